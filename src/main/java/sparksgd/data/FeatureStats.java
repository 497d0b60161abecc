package sparksgd.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.stat.MultivariateOnlineSummarizer;
import sparksgd.job.DataSpec.Normalization;

/**
 * Per-column statistics of the training rows (features in the job's order, then the label), and the
 * shift/scale each column is normalized with. Saved as {@code stats.json} and reused unchanged for
 * validation, test and later prediction inputs.
 */
public record FeatureStats(List<String> names, long count, double[] mean, double[] std, double[] min,
    double[] max, Normalization normalization, boolean normalizeLabel, boolean centered) implements Serializable {

  /** Statistics whose features are shifted and scaled (dense data). */
  public FeatureStats(List<String> names, long count, double[] mean, double[] std, double[] min, double[] max,
      Normalization normalization, boolean normalizeLabel) {
    this(names, count, mean, std, min, max, normalization, normalizeLabel, true);
  }

  /**
   * The same statistics with features scaled but never shifted: for sparse data, where subtracting a
   * mean would turn every zero into a nonzero ({@code standard} then divides by the std, as MLlib's
   * {@code StandardScaler(withMean = false)}; {@code minmax} by max - min). The label is still shifted.
   */
  public FeatureStats uncentered() {
    return new FeatureStats(names, count, mean, std, min, max, normalization, normalizeLabel, false);
  }

  /** From Spark's summarizer (sample variance), turned into population std as z-scores use. */
  public static FeatureStats of(List<String> names, MultivariateOnlineSummarizer s, Normalization rule,
      boolean normalizeLabel) {
    int d = names.size();
    long n = s.count();
    Vector var = s.variance();
    double[] mean = s.mean().toArray();
    double[] std = new double[d];
    for (int j = 0; j < d; j++) {
      std[j] = n > 1 ? Math.sqrt(Math.max(0, var.apply(j)) * (n - 1) / n) : 0;
    }
    return new FeatureStats(List.copyOf(names), n, mean, std, s.min().toArray(), s.max().toArray(), rule,
        normalizeLabel);
  }

  /**
   * From sample-weighted rows ({@code data.weight}): weighted means and population deviations; the count is
   * the rows of positive weight.
   */
  public static FeatureStats of(List<String> names, WeightedMoments m, Normalization rule, boolean normalizeLabel) {
    return new FeatureStats(List.copyOf(names), m.rows(), m.mean(), m.std(), m.min(), m.max(), rule, normalizeLabel);
  }

  public int features() {
    return names.size() - 1;
  }

  /** Subtracted from column j before scaling. */
  public double shift(int j) {
    // maxabs never shifts (as MLlib's MaxAbsScaler): a sparse row's zeros stay zeros, dense or not.
    if (!applies(j) || normalization == Normalization.MAXABS || (!centered && j < features())) {
      return 0;
    }
    return mean[j];
  }

  /** Column j is divided by this; a constant column gets 1 so it maps to 0, never NaN. */
  public double scale(int j) {
    if (!applies(j)) {
      return 1;
    }
    double s = switch (normalization) {
      case STANDARD -> std[j];
      case MAXABS -> Math.max(Math.abs(min[j]), Math.abs(max[j]));
      default -> max[j] - min[j];
    };
    return s > 0 && Double.isFinite(s) ? s : 1;
  }

  private boolean applies(int j) {
    return normalization != Normalization.NONE && (j < features() || normalizeLabel);
  }

  /** Normalizes {@code [features..., label]} in place. */
  public void apply(double[] row) {
    for (int j = 0; j < row.length; j++) {
      row[j] = (row[j] - shift(j)) / scale(j);
    }
  }

  public double labelShift() {
    return shift(features());
  }

  public double labelScale() {
    return scale(features());
  }

  /** Every column listed with its statistics: the layout of models up to {@link #WIDE_FEATURES} features. */
  public JsonNode toJson() {
    ObjectNode root = header();
    ArrayNode cols = root.putArray("columns");
    for (int j = 0; j < names.size(); j++) {
      column(cols.addObject(), j);
    }
    return root;
  }

  /** More features than this: the per-feature statistics go to a binary sidecar ({@link #toWideJson}). */
  public static final int WIDE_FEATURES = 1000;
  /** The rows of {@link #featureArrays()}, in order. */
  public static final List<String> SIDECAR_ROWS = List.of("mean", "std", "min", "max");

  /** Whether the files list the features' statistics in a sidecar rather than one by one. */
  public boolean wide() {
    return features() > WIDE_FEATURES;
  }

  /** The features' statistics as one row-major [4, features] array: the rows {@link #SIDECAR_ROWS}. */
  public double[] featureArrays() {
    int d = features();
    double[] a = new double[4 * d];
    System.arraycopy(mean, 0, a, 0, d);
    System.arraycopy(std, 0, a, d, d);
    System.arraycopy(min, 0, a, 2 * d, d);
    System.arraycopy(max, 0, a, 3 * d, d);
    return a;
  }

  /**
   * The wide layout: the header, the label's column as {@link #toJson()} writes it, and under
   * {@code features} their count, their names ({@link FeatureNames}: a pattern when they follow one), the
   * rule of their shift and scale, and {@code sidecar} (the file holding {@link #featureArrays()}: name,
   * shape, sha256) with the rows it holds.
   */
  public JsonNode toWideJson(ObjectNode sidecar) {
    ObjectNode root = header();
    ObjectNode f = root.putObject("features");
    int d = features();
    f.put("count", d);
    f.set("names", FeatureNames.toJson(names.subList(0, d)));
    f.put("shift-rule", normalization == Normalization.NONE || !centered ? "none" : "mean");
    f.put("scale-rule", normalization == Normalization.NONE ? "none"
        : normalization == Normalization.STANDARD ? "std" : "max - min");
    f.put("scale-note", "a scale that is not a positive finite number is 1");
    ArrayNode rows = f.putArray("rows");
    SIDECAR_ROWS.forEach(rows::add);
    f.setAll(sidecar);
    column(root.putObject("label"), d);
    return root;
  }

  private ObjectNode header() {
    ObjectNode root = new ObjectMapper().createObjectNode();
    root.put("normalize", normalization.configName);
    root.put("normalize-label", normalizeLabel);
    root.put("centered", centered);
    root.put("count", count);
    return root;
  }

  private void column(ObjectNode c, int j) {
    c.put("name", names.get(j));
    c.put("role", j < features() ? "feature" : "label");
    c.put("count", count);
    c.put("mean", mean[j]);
    c.put("std", std[j]);
    c.put("min", min[j]);
    c.put("max", max[j]);
    c.put("shift", shift(j));
    c.put("scale", scale(j));
  }

  /** Whether {@code root} is {@link #toWideJson}'s layout (its feature arrays are in a sidecar). */
  public static boolean isWide(JsonNode root) {
    return root != null && root.isObject() && root.path("features").isObject();
  }

  /**
   * Reads {@link #toWideJson}'s layout; {@code arrays} is the sidecar's content, already checked against
   * its declared shape and checksum. Anything missing or not finite is an {@link IllegalArgumentException}.
   */
  public static FeatureStats fromWideJson(JsonNode root, double[] arrays) {
    JsonNode f = root.path("features");
    if (!f.path("count").canConvertToInt() || f.get("count").asInt() < 1) {
      throw new IllegalArgumentException("normalization statistics: 'features.count' must be a positive number");
    }
    int d = f.get("count").asInt();
    if (arrays.length != 4L * d) {
      throw new IllegalArgumentException("normalization statistics: the sidecar holds " + arrays.length
          + " values, 4 x " + d + " expected");
    }
    List<String> names = new ArrayList<>(FeatureNames.fromJson(f.get("names"), d));
    JsonNode label = root.get("label");
    if (label == null || !label.isObject() || !label.path("name").isTextual()) {
      throw new IllegalArgumentException("normalization statistics: missing the 'label' column");
    }
    names.add(label.get("name").asText());
    double[] mean = new double[d + 1];
    double[] std = new double[d + 1];
    double[] min = new double[d + 1];
    double[] max = new double[d + 1];
    System.arraycopy(arrays, 0, mean, 0, d);
    System.arraycopy(arrays, d, std, 0, d);
    System.arraycopy(arrays, 2 * d, min, 0, d);
    System.arraycopy(arrays, 3 * d, max, 0, d);
    mean[d] = finite(label, "mean", d);
    std[d] = finite(label, "std", d);
    min[d] = finite(label, "min", d);
    max[d] = finite(label, "max", d);
    FeatureStats s = withHeader(root, List.copyOf(names), mean, std, min, max);
    int bad = s.firstNonFinite();
    if (bad >= 0) {
      throw new IllegalArgumentException("normalization statistics: feature " + (bad + 1) + " ('"
          + CsvLineParser.shorten(names.get(bad)) + "') has a statistic that is not a finite number");
    }
    return s;
  }

  /**
   * Reads {@link #toJson()}'s form; a missing field or a non-finite number is an
   * {@link IllegalArgumentException} naming it (the file is a model's or a checkpoint's).
   */
  public static FeatureStats fromJson(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("missing the normalization statistics");
    }
    JsonNode cols = root.get("columns");
    if (cols == null || !cols.isArray() || cols.isEmpty()) {
      throw new IllegalArgumentException("normalization statistics: missing the 'columns' list");
    }
    int d = cols.size();
    String[] names = new String[d];
    double[] mean = new double[d];
    double[] std = new double[d];
    double[] min = new double[d];
    double[] max = new double[d];
    for (int j = 0; j < d; j++) {
      JsonNode c = cols.get(j);
      JsonNode name = c.get("name");
      if (name == null || !name.isTextual()) {
        throw new IllegalArgumentException("normalization statistics: column " + (j + 1) + " has no name");
      }
      names[j] = name.asText();
      mean[j] = finite(c, "mean", j);
      std[j] = finite(c, "std", j);
      min[j] = finite(c, "min", j);
      max[j] = finite(c, "max", j);
    }
    return withHeader(root, List.of(names), mean, std, min, max);
  }

  /** The statistics with the rule, count and label flag of {@code root}'s header. */
  private static FeatureStats withHeader(JsonNode root, List<String> names, double[] mean, double[] std,
      double[] min, double[] max) {
    JsonNode count = root.get("count");
    JsonNode normalize = root.get("normalize");
    JsonNode normalizeLabel = root.get("normalize-label");
    if (count == null || !count.canConvertToLong() || count.asLong() < 0) {
      throw new IllegalArgumentException("normalization statistics: 'count' must be a row count");
    }
    if (normalize == null || !normalize.isTextual() || normalizeLabel == null || !normalizeLabel.isBoolean()) {
      throw new IllegalArgumentException("normalization statistics: missing 'normalize' or 'normalize-label'");
    }
    Normalization rule;
    try {
      rule = Normalization.parse(normalize.asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("normalization statistics: unknown rule '"
          + CsvLineParser.shorten(normalize.asText()) + "'");
    }
    return new FeatureStats(names, count.asLong(), mean, std, min, max, rule, normalizeLabel.asBoolean(),
        root.path("centered").asBoolean(true));
  }

  private static double finite(JsonNode column, String field, int j) {
    JsonNode v = column.get(field);
    if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
      throw new IllegalArgumentException("normalization statistics: column " + (j + 1) + " ('"
          + CsvLineParser.shorten(column.path("name").asText()) + "') has " + field + " = "
          + (v == null ? "nothing" : CsvLineParser.shorten(v.asText())) + "; a finite number is needed");
    }
    return v.asDouble();
  }

  /** The first column whose statistics are not finite numbers (values too large to sum), or -1. */
  public int firstNonFinite() {
    for (int j = 0; j < names.size(); j++) {
      if (!Double.isFinite(mean[j]) || !Double.isFinite(std[j]) || !Double.isFinite(min[j])
          || !Double.isFinite(max[j])) {
        return j;
      }
    }
    return -1;
  }
}
