package sparksgd.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sparksgd.store.RunFolder;
import sparksgd.store.Json;

/**
 * All trials, best first: finished trials by score in the sweep's direction (ties by trial number),
 * then trials ASHA stopped early (highest rung first, then by their score there), then unfinished and
 * failed ones by trial number. Written as {@code leaderboard.csv} and
 * {@code leaderboard.json}.
 */
public final class Leaderboard {
  public static final String CSV = "leaderboard.csv";
  public static final String JSON = "leaderboard.json";
  private final List<TrialResult> rows;
  private final String metric;
  private final boolean maximize;

  public Leaderboard(List<TrialResult> results, String metric, boolean maximize) {
    this.metric = metric;
    this.maximize = maximize;
    Comparator<TrialResult> byScore = Comparator.comparingDouble(r -> maximize ? -r.score() : r.score());
    List<TrialResult> done = new ArrayList<>(results.stream().filter(TrialResult::finished).toList());
    done.sort(byScore.thenComparingInt(TrialResult::trial));
    List<TrialResult> early = new ArrayList<>(results.stream().filter(TrialResult::stoppedEarly).toList());
    early.sort(Comparator.<TrialResult>comparingInt(r -> -r.rung()).thenComparing(byScore)
        .thenComparingInt(TrialResult::trial));
    List<TrialResult> rest = new ArrayList<>(results.stream().filter(r -> !r.finished() && !r.stoppedEarly()).toList());
    rest.sort(Comparator.comparingInt(TrialResult::trial));
    done.addAll(early);
    done.addAll(rest);
    this.rows = List.copyOf(done);
  }

  public List<TrialResult> rows() {
    return rows;
  }

  /** The best finished trial, if any finished. */
  public java.util.Optional<TrialResult> best() {
    return rows.isEmpty() || !rows.get(0).finished() ? java.util.Optional.empty() : java.util.Optional.of(rows.get(0));
  }

  public void write(RunFolder folder, List<String> keys) {
    folder.writeText(CSV, csv(keys));
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("metric", metric);
    root.put("direction", maximize ? "maximize" : "minimize");
    root.put("trials", rows);
    folder.writeText(JSON, Json.toString(root));
  }

  /**
   * One row per trial: rank, trial, status, score, its std over folds, epochs, seconds, the settings,
   * reason, then the ASHA rung reached and the epochs trained summed over folds (columns are only ever
   * added at the end). Trials stopped at a rung are ranked after the finished ones.
   */
  public String csv(List<String> keys) {
    StringBuilder sb = new StringBuilder("rank,trial,status,").append(metric).append(',').append(metric)
        .append("_std,epochs,seconds");
    for (String k : keys) {
      sb.append(',').append(quote(k));
    }
    sb.append(",reason,rung,epochs_spent\n");
    int rank = 0;
    for (TrialResult r : rows) {
      sb.append(r.finished() || r.stoppedEarly() ? Integer.toString(++rank) : "").append(',').append(r.trial()).append(',')
          .append(r.status()).append(',').append(num(r.score())).append(',').append(num(r.scoreStd())).append(',')
          .append(num(r.epochs())).append(',').append(String.format(Locale.ROOT, "%.2f", r.seconds()));
      for (String k : keys) {
        sb.append(',').append(quote(r.settings().getOrDefault(k, "")));
      }
      sb.append(',').append(quote(r.reason() == null ? "" : r.reason())).append(',')
          .append(r.rung() == null ? "" : r.rung().toString()).append(',').append(num(r.epochsSpent())).append('\n');
    }
    return sb.toString();
  }

  private static String num(Double v) {
    return v == null ? "" : Double.toString(v);
  }

  private static String quote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"").replace('\n', ' ') + '"';
  }
}
