package sparksgd.sweep;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sparksgd.report.Charts;
import sparksgd.report.ReportHtml;

/** The sweep's {@code report.html}: the best setting, its test metrics, and the score against each axis. */
public final class SweepReport {
  public static final String REPORT = "report.html";
  public static final String ASHA_CHART = "sweep-asha-rungs.png";

  private SweepReport() {}

  /**
   * Files of the report, by name.
   *
   * @param finalMetrics the best setting retrained on all training rows, by split; null if none finished
   */
  public static Map<String, byte[]> build(String title, SweepSpec spec, Leaderboard board, String metric,
      boolean maximize, Map<String, Map<String, Double>> finalMetrics, String sweepText) {
    return build(title, spec, board, metric, maximize, finalMetrics, sweepText, null);
  }

  /**
   * What an ASHA sweep adds to the report: its rungs, every started trial's score at each rung it
   * reached, and the fold-epochs a full sweep of the same space would train.
   */
  public record Asha(List<Integer> rungs, Map<Integer, List<AshaRecord.RungScore>> curves, double fullEpochs) {
    /** Fold-epochs trained: each trial's count at its last rung. */
    public double epochsSpent() {
      return curves.values().stream().filter(c -> !c.isEmpty())
          .mapToDouble(c -> c.get(c.size() - 1).epochsSpent()).sum();
    }
  }

  /** As above; {@code asha} null for a full sweep. */
  public static Map<String, byte[]> build(String title, SweepSpec spec, Leaderboard board, String metric,
      boolean maximize, Map<String, Map<String, Double>> finalMetrics, String sweepText, Asha asha) {
    return build(title, spec, board, metric, maximize, finalMetrics, sweepText, asha, null);
  }

  /** As above; {@code timeNote}: when the sweep ran and how long it took, the report's first paragraph. */
  public static Map<String, byte[]> build(String title, SweepSpec spec, Leaderboard board, String metric,
      boolean maximize, Map<String, Map<String, Double>> finalMetrics, String sweepText, Asha asha,
      String timeNote) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    List<ReportHtml.Figure> figures = new ArrayList<>();
    List<TrialResult> done = board.rows().stream().filter(TrialResult::finished).toList();
    String scoreName = "validation " + metric + (spec.folds() > 0 ? " (mean of " + spec.folds() + " folds)" : "");
    for (String key : spec.space().keys()) {
      if (done.isEmpty()) {
        break;
      }
      List<Object> values = new ArrayList<>();
      double[] scores = new double[done.size()];
      for (int i = 0; i < done.size(); i++) {
        values.add(axisValue(done.get(i).settings().get(key)));
        scores[i] = done.get(i).score();
      }
      String file = "sweep-" + key.replaceAll("[^A-Za-z0-9_-]", "_") + ".png";
      files.put(file, Charts.sweep(key, values, scores, scoreName));
      figures.add(new ReportHtml.Figure(file, "Each finished trial's " + scoreName + " against " + key
          + " (" + (maximize ? "higher" : "lower") + " is better)."));
    }
    List<String> notes = new ArrayList<>();
    if (timeNote != null) {
      notes.add(timeNote);
    }
    if (asha != null && !asha.curves().isEmpty()) {
      files.put(ASHA_CHART, AshaChart.render(asha, scoreName, board.best().map(TrialResult::trial).orElse(-1)));
      figures.add(0, new ReportHtml.Figure(ASHA_CHART, "Each trial's " + scoreName + " at the rungs it reached "
          + "(dashed lines: the rungs at " + asha.rungs() + " epochs); the best trial is drawn thick."));
      notes.add(String.format(Locale.ROOT, "ASHA (reduction factor %d, rungs at %s epochs) trained %.0f fold-epochs: "
          + "%.1f%% of the %.0f a full sweep of the same space trains.", spec.asha().reductionFactor(), asha.rungs(),
          asha.epochsSpent(), 100 * asha.epochsSpent() / asha.fullEpochs(), asha.fullEpochs()));
    }
    long failed = board.rows().stream().filter(r -> TrialResult.FAILED.equals(r.status())).count();
    long early = board.rows().stream().filter(TrialResult::stoppedEarly).count();
    notes.add(String.format(Locale.ROOT, "%d trials (%s search): %d finished, %d stopped early, %d failed, %d not "
        + "finished. "
        + "Trials are ranked by %s, %s; all of them are in leaderboard.csv.", board.rows().size(), spec.search(),
        done.size(), early, failed, board.rows().size() - done.size() - early - failed, scoreName, maximize ? "highest first"
            : "lowest first"));
    board.best().ifPresent(b -> notes.add("Best: trial " + b.trial() + " " + b.settings() + String.format(Locale.ROOT,
        " with %s %.4f +- %.4f; retrained on all training rows as best/ (model, metrics, report).", metric, b.score(),
        b.scoreStd())));
    Map<String, Map<String, Double>> table = new LinkedHashMap<>();
    for (int i = 0; i < Math.min(5, done.size()); i++) {
      TrialResult r = done.get(i);
      notes.add(String.format(Locale.ROOT, "#%d: trial %d, %s %.4f +- %.4f, %s", i + 1, r.trial(), metric, r.score(),
          r.scoreStd(), r.settings()));
    }
    if (finalMetrics != null) {
      finalMetrics.forEach((split, m) -> table.put("best setting, " + split, m));
    }
    files.put(REPORT, ReportHtml.render(title, notes, table, sweepText, figures).getBytes(StandardCharsets.UTF_8));
    return files;
  }

  /** Numbers plot on a numeric axis; anything else ("relu", "[64,64]") is a category. */
  static Object axisValue(String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException | NullPointerException e) {
      return String.valueOf(v);
    }
  }
}
