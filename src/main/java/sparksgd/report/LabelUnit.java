package sparksgd.report;

import java.util.Locale;

/**
 * What the model predicts, for axis titles: the label column's name and, where known, its unit (e.g.
 * {@code MEDV} in {@code USD 1000s}). A metric inherits the unit when it is measured in the label's unit
 * (MAE, RMSE), its square for MSE, and none for accuracy, R2 and the like.
 */
public record LabelUnit(String name, String unit) {
  /** Neither name nor unit known: axis titles stay generic. */
  public static final LabelUnit NONE = new LabelUnit("", "");

  /** Units of the built-in data sets' labels (see their PROVENANCE.md). */
  private static final java.util.Map<String, String> KNOWN_UNITS = java.util.Map.of(
      "builtin:boston_housing.csv MEDV", "USD 1000s");

  /** The label's name, and its unit when the data set is one whose unit is known (the built-in ones). */
  public static LabelUnit of(String train, String label) {
    return new LabelUnit(label, KNOWN_UNITS.getOrDefault(train + " " + label, ""));
  }

  public LabelUnit {
    name = name == null ? "" : name.strip();
    unit = unit == null ? "" : unit.strip();
  }

  /** "MEDV (USD 1000s)", "MEDV", or the fallback when the name is unknown. */
  public String axis(String fallback) {
    String n = name.isEmpty() ? fallback : name;
    return unit.isEmpty() ? n : n + " (" + unit + ")";
  }

  /** A metric's axis title: "validation MAE of MEDV (USD 1000s)", "validation accuracy". */
  public String metricAxis(String prefix, String metric) {
    String m = metric.toLowerCase(Locale.ROOT);
    boolean inLabelUnits = m.equals("mae") || m.equals("rmse") || m.equals("mse");
    String title = prefix + metric + (inLabelUnits && !name.isEmpty() ? " of " + name : "");
    if (!inLabelUnits || unit.isEmpty()) {
      return title;
    }
    return title + " (" + (m.equals("mse") ? "(" + unit + ")\u00b2" : unit) + ")";
  }
}
