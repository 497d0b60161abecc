package sparksgd.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
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

  public int features() {
    return names.size() - 1;
  }

  /** Subtracted from column j before scaling. */
  public double shift(int j) {
    if (!applies(j) || (!centered && j < features())) {
      return 0;
    }
    return mean[j];
  }

  /** Column j is divided by this; a constant column gets 1 so it maps to 0, never NaN. */
  public double scale(int j) {
    if (!applies(j)) {
      return 1;
    }
    double s = normalization == Normalization.STANDARD ? std[j] : max[j] - min[j];
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

  public JsonNode toJson() {
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = m.createObjectNode();
    root.put("normalize", normalization.configName);
    root.put("normalize-label", normalizeLabel);
    root.put("centered", centered);
    root.put("count", count);
    ArrayNode cols = root.putArray("columns");
    for (int j = 0; j < names.size(); j++) {
      ObjectNode c = cols.addObject();
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
    return root;
  }

  public static FeatureStats fromJson(JsonNode root) {
    JsonNode cols = root.get("columns");
    int d = cols.size();
    String[] names = new String[d];
    double[] mean = new double[d];
    double[] std = new double[d];
    double[] min = new double[d];
    double[] max = new double[d];
    for (int j = 0; j < d; j++) {
      JsonNode c = cols.get(j);
      names[j] = c.get("name").asText();
      mean[j] = c.get("mean").asDouble();
      std[j] = c.get("std").asDouble();
      min[j] = c.get("min").asDouble();
      max[j] = c.get("max").asDouble();
    }
    return new FeatureStats(List.of(names), root.get("count").asLong(), mean, std, min, max,
        Normalization.parse(root.get("normalize").asText()), root.get("normalize-label").asBoolean(),
        root.path("centered").asBoolean(true));
  }
}
