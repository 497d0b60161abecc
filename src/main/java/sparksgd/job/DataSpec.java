package sparksgd.job;

import java.io.Serializable;
import java.util.List;

/**
 * The {@code data} section: where rows come from and how they are split and scaled. {@code weight} is the
 * sample-weight column ({@code data.weight}) or null.
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
    String format,
    String delimiter,
    boolean header,
    List<String> columns,
    int numFeatures,
    int blockRows,
    String storageLevel,
    LabelKind labelKind,
    String representation,
    String weight) implements Serializable {

  /** Without a sample-weight column. */
  public DataSpec(String train, String test, double testFraction, double validationFraction, String label,
      List<String> features, List<String> drop, Normalization normalize, boolean normalizeLabel, String format,
      String delimiter, boolean header, List<String> columns, int numFeatures, int blockRows, String storageLevel,
      LabelKind labelKind, String representation) {
    this(train, test, testFraction, validationFraction, label, features, drop, normalize, normalizeLabel, format,
        delimiter, header, columns, numFeatures, blockRows, storageLevel, labelKind, representation, null);
  }

  /** What a label must be: any number (regression), 0 or 1 (bce), or a class index (softmax). */
  public enum LabelKind { REAL, BINARY, CLASS }

  /** Feature scaling rules; the names are the config values. */
  public enum Normalization {
    STANDARD("standard"), MINMAX("minmax"), NONE("none");

    public final String configName;

    Normalization(String configName) {
      this.configName = configName;
    }

    public static Normalization parse(String s) {
      for (Normalization n : values()) {
        if (n.configName.equals(s)) {
          return n;
        }
      }
      throw new IllegalArgumentException(s);
    }
  }
}
