package sparksgd.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every report builder takes: the title, the headline metric's key, the summary table, the job's
 * text, the label's name and unit, and paragraphs under the title. {@code B} is the concrete builder, so
 * the calls chain.
 */
abstract class ReportBuilder<B extends ReportBuilder<B>> {
  protected final String title;
  protected String metric = "mae";
  protected Map<String, Map<String, Double>> metrics = Map.of();
  protected String jobText;
  protected LabelUnit label = LabelUnit.NONE;
  protected final List<String> notes = new ArrayList<>();

  ReportBuilder(String title) {
    this.title = title;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** The headline metric's key (EpochRecord's validationMetric/testMetric): "mae" (default) or "accuracy". */
  public B metric(String name) {
    this.metric = name;
    return self();
  }

  /** Summary table: column (e.g. "train", "test") to metric name to value. */
  public B metrics(Map<String, Map<String, Double>> m) {
    this.metrics = m == null ? Map.of() : m;
    return self();
  }

  /** The job's configuration text, shown verbatim (escaped). */
  public B jobText(String text) {
    this.jobText = text;
    return self();
  }

  /** The label's name and unit, for the axis titles (default: neither known). */
  public B label(LabelUnit l) {
    this.label = l == null ? LabelUnit.NONE : l;
    return self();
  }

  /** Paragraphs under the title (plain text). */
  public B notes(List<String> texts) {
    notes.addAll(texts);
    return self();
  }

  /** A paragraph under the title (plain text). */
  public B note(String text) {
    notes.add(text);
    return self();
  }
}
