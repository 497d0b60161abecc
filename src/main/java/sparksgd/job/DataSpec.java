package sparksgd.job;

import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;
import java.util.List;
import sparksgd.model.ConfigNames;

/**
 * The {@code data} section: where rows come from and how they are split and scaled. {@code weight} is the
 * sample-weight column ({@code data.weight}) or null; {@code categorical} the columns one-hot encoded
 * ({@code data.categorical}, empty for none) and {@code hashBits} &gt; 0 when they are hashed into
 * 2^hashBits slots instead of a learned vocabulary ({@code data.hash-bits}).
 */
public record DataSpec(
    String train,
    String test,
    double testFraction,
    double validationFraction,
    String label,
    List<String> features,
    List<String> drop,
    Normalization normalize,
    boolean normalizeLabel,
    Format format,
    String delimiter,
    boolean header,
    List<String> columns,
    int numFeatures,
    int blockRows,
    String storageLevel,
    LabelKind labelKind,
    Representation representation,
    String weight,
    List<String> categorical,
    int hashBits) implements Serializable {

  /** Without categorical columns ({@code data.categorical}, {@code data.hash-bits}). */
  public DataSpec(String train, String test, double testFraction, double validationFraction, String label,
      List<String> features, List<String> drop, Normalization normalize, boolean normalizeLabel, Format format,
      String delimiter, boolean header, List<String> columns, int numFeatures, int blockRows, String storageLevel,
      LabelKind labelKind, Representation representation, String weight) {
    this(train, test, testFraction, validationFraction, label, features, drop, normalize, normalizeLabel, format,
        delimiter, header, columns, numFeatures, blockRows, storageLevel, labelKind, representation, weight,
        List.of(), 0);
  }

  /** Without a sample-weight column. */
  public DataSpec(String train, String test, double testFraction, double validationFraction, String label,
      List<String> features, List<String> drop, Normalization normalize, boolean normalizeLabel, Format format,
      String delimiter, boolean header, List<String> columns, int numFeatures, int blockRows, String storageLevel,
      LabelKind labelKind, Representation representation) {
    this(train, test, testFraction, validationFraction, label, features, drop, normalize, normalizeLabel, format,
        delimiter, header, columns, numFeatures, blockRows, storageLevel, labelKind, representation, null, List.of(), 0);
  }

  /** What a label must be: any number (regression), 0 or 1 (bce), or a class index (softmax). */
  public enum LabelKind { REAL, BINARY, CLASS }

  /** Feature scaling rules; the names are the config values. */
  public enum Normalization {
    STANDARD("standard"), MINMAX("minmax"), MAXABS("maxabs"), NONE("none");

    public final String configName;

    Normalization(String configName) {
      this.configName = configName;
    }

    public static Normalization parse(String s) {
      return ConfigNames.parse(Normalization.class, "normalization", s);
    }

    @Override
    public String toString() {
      return configName;
    }
  }

  /** {@code data.format}: how rows are written. */
  public enum Format {
    CSV, WHITESPACE, LIBSVM, PARQUET;

    @JsonValue
    @Override
    public String toString() {
      return ConfigNames.of(this);
    }
  }

  /** {@code data.representation}: dense blocks, CSR blocks, or chosen from the data. */
  public enum Representation {
    AUTO, DENSE, SPARSE;

    @JsonValue
    @Override
    public String toString() {
      return ConfigNames.of(this);
    }
  }
}
