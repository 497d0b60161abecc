package sparksgd.sweep;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import sparksgd.data.Folds;
import sparksgd.data.TrainingData;
import sparksgd.job.JobSpec;
import sparksgd.train.HistoryCsv;
import sparksgd.store.RunFolder;
import sparksgd.train.EpochListener;
import sparksgd.train.FoldTrainer;
import sparksgd.train.StopSignal;
import sparksgd.train.TrainingRun;

/**
 * Scores sweep trials through the {@link FoldTrainer} (one shared, cached copy of the raw training rows,
 * K folds or the validation split), whole or in ASHA's segments, and writes the folds' histories. Each
 * trial runs its Spark jobs in its own FAIR scheduler pool, so concurrent trials share the task slots.
 */
public final class FoldScorer implements TrialScorer, TrialSegments {
  /** Bound on a paused fold's file (parameters, optimizer slots and history of a small model). */
  private static final long MAX_STATE_BYTES = 1L << 30;
  private final JavaSparkContext jsc;
  private final FoldTrainer folds;
  private final String metricKey;
  private final StopSignal stop;
  private final java.io.PrintWriter out;
  /** ASHA: each trial's folds where they paused, by trial id. */
  private final java.util.concurrent.ConcurrentHashMap<Integer, FoldState[]> paused =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param raw rows cached raw ({@code CachedRows.RAW}), loaded once for every trial
   * @param folds null: score on the VALIDATION split
   * @param metricKey a key of the validation metrics: mae, mse, rmse, r2, accuracy, logloss, f1
   */
  public FoldScorer(JavaSparkContext jsc, TrainingData raw, Folds folds, JobSpec dataJob, String metricKey,
      StopSignal stop) {
    this(new FoldTrainer(jsc, raw, folds, dataJob.data()), metricKey, stop, new java.io.PrintWriter(System.out, true));
  }

  /** Scores on {@code folds}; engine choices are announced on {@code out}. */
  public FoldScorer(FoldTrainer folds, String metricKey, StopSignal stop, java.io.PrintWriter out) {
    this.jsc = folds.jsc();
    this.folds = folds;
    this.metricKey = metricKey;
    this.stop = stop;
    this.out = out;
  }

  /** A fold's start: from {@code initial} (null: fresh weights) up to {@code untilEpoch} (0: the last). */
  private TrainingRun.Start start(
      java.util.function.Function<sparksgd.model.Model, sparksgd.train.TrainerState> initial, int untilEpoch) {
    return new TrainingRun.Start(initial, stop, untilEpoch, new sparksgd.train.Timings(), out);
  }

  @Override
  public TrialScore score(Trial trial, RunFolder folder) {
    jsc.setLocalProperty("spark.scheduler.pool", trial.name());
    jsc.setJobGroup("spark-sgd-" + trial.name(), "sweep " + trial.name() + " " + trial.settings(), false);
    sparksgd.train.Metric historyMetric = sparksgd.train.Metric.headline(trial.job().model());
    int k = folds.count();
    List<Double> scores = new ArrayList<>();
    double epochs = 0;
    double spent = 0;
    for (int f = 0; f < k; f++) {
      TrainingRun.Result r = folds.train(trial.job(), f, List.of(), start(null, 0));
      if (r.interrupted()) {
        throw new SweepInterrupted("stopped at epoch " + (r.state().epochsDone + 1) + " of fold " + (f + 1));
      }
      folder.writeText(historyFile(f), HistoryCsv.render(r.history(), historyMetric));
      Double v = r.validation().get(metricKey);
      scores.add(v == null ? Double.NaN : v);
      epochs += r.keptEpoch();
      spent += r.history().size();
    }
    return TrialScore.of(scores, epochs / k, spent);
  }

  /**
   * Continues every fold from where it paused (in memory, else its {@code fold-K.state} file, else
   * fresh weights) up to {@code untilEpoch}, with the trial's own job: the schedule, batches and
   * optimizer see the same epochs as a straight run, so the score at {@code untilEpoch} is the one a
   * straight run of that many epochs reports. A fold already scored there (before an interrupt) is
   * not trained again.
   */
  @Override
  public TrialScore advance(Trial trial, int untilEpoch, RunFolder folder) {
    jsc.setLocalProperty("spark.scheduler.pool", trial.name());
    jsc.setJobGroup("spark-sgd-" + trial.name(), "sweep " + trial.name() + " " + trial.settings(), false);
    int k = folds.count();
    FoldState[] states = paused.computeIfAbsent(trial.id(), id -> new FoldState[k]);
    List<Double> scores = new ArrayList<>();
    double spent = 0;
    for (int f = 0; f < k; f++) {
      FoldState s = states[f] != null ? states[f] : read(folder, f, trial);
      if (s == null || s.scoredEpoch() != untilEpoch) {
        sparksgd.train.TrainerState from = s == null ? null : s.state();
        TrainingRun.Result r = folds.train(trial.job(), f, List.of(),
            start(from == null ? null : m -> from, untilEpoch));
        List<sparksgd.train.EpochRecord> history = new ArrayList<>(s == null ? List.of() : s.history());
        history.addAll(r.history());
        if (r.interrupted()) {
          states[f] = new FoldState(r.state(), history, 0, Double.NaN, trial.job().configHash());
          folder.writeBytes(stateFile(f), states[f].toBytes());
          throw new SweepInterrupted("stopped at epoch " + (r.state().epochsDone + 1) + " of fold " + (f + 1));
        }
        Double v = r.validation().get(metricKey);
        s = new FoldState(r.state(), history, untilEpoch, v == null ? Double.NaN : v, trial.job().configHash());
        folder.writeBytes(stateFile(f), s.toBytes());
        if (untilEpoch >= trial.job().training().epochs()) { // a paused fold's history is in its state file
          writeHistory(folder, f, trial, history);
        }
        states[f] = s;
      }
      scores.add(s.score());
      spent += s.state().epochsDone;
    }
    return TrialScore.of(scores, untilEpoch, spent);
  }

  private FoldState read(RunFolder folder, int fold, Trial trial) {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(folder.path(), stateFile(fold));
    if (!sparksgd.store.HadoopFiles.exists(folder.conf(), p)) {
      return null;
    }
    return FoldState.fromBytes(sparksgd.store.HadoopFiles.readAllBytes(folder.conf(), p, MAX_STATE_BYTES),
        trial.job().configHash());
  }

  static String stateFile(int fold) {
    return "fold-" + (fold + 1) + ".state";
  }

  /**
   * Writes the history of each fold of {@code trial} that paused short of the trial's epochs (a trial
   * ASHA stopped), then lets go of its memory.
   */
  @Override
  public void release(Trial trial, RunFolder folder) {
    FoldState[] states = paused.remove(trial.id());
    for (int f = 0; f < folds.count(); f++) {
      FoldState s = states != null && states[f] != null ? states[f] : read(folder, f, trial); // paused in a run before
      if (s != null && s.scoredEpoch() > 0 && s.scoredEpoch() < trial.job().training().epochs()) {
        writeHistory(folder, f, trial, s.history());
      }
    }
  }

  private void writeHistory(RunFolder folder, int f, Trial trial, List<sparksgd.train.EpochRecord> history) {
    folder.writeText(historyFile(f), HistoryCsv.render(history, sparksgd.train.Metric.headline(trial.job().model())));
  }

  private String historyFile(int fold) {
    return folds.crossValidates() ? "fold-" + (fold + 1) + "-history.csv" : "history.csv";
  }

  @Override
  public void reset(Trial trial, RunFolder folder) {
    paused.remove(trial.id());
    for (int f = 0; f < folds.count(); f++) {
      sparksgd.store.HadoopFiles.delete(folder.conf(), new org.apache.hadoop.fs.Path(folder.path(), stateFile(f)),
          false);
    }
  }

  /**
   * Trains {@code job} on every training row, normalized with the statistics of all of them, and
   * evaluates it on the test split (and the validation split, when scoring used one).
   */
  public TrainingRun.Result trainFinal(JobSpec job, List<EpochListener> listeners) {
    jsc.setLocalProperty("spark.scheduler.pool", "final");
    return folds.trainFinal(job, listeners, start(null, 0));
  }

  public TrainingData data() {
    return folds.data();
  }
}
