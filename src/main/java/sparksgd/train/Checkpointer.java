package sparksgd.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import sparksgd.data.FeatureStats;
import sparksgd.job.JobLoader;
import sparksgd.job.JobSpec;
import sparksgd.optim.OptimizerState;
import sparksgd.store.CheckpointData;
import sparksgd.store.CheckpointStore;
import sparksgd.store.StatsFiles;

/**
 * Writes a checkpoint every {@code checkpoint.every-epochs} epochs (and on request, e.g. when the run
 * is interrupted), keeps the last {@code checkpoint.keep-last}, and restores a {@link TrainerState}
 * from the newest valid one. A checkpoint is the whole trainer state plus the statistics and the
 * resolved job, so a resumed run ends bit-identical to an uninterrupted one.
 *
 * <p>{@link #inBackground} moves the writes off the training thread: at an epoch's end the state is
 * copied (a few arrays) and a {@link BackgroundWriter} writes it while training goes on. The first
 * checkpoint of a run is still written before training continues, so a run that got past it can
 * always be resumed; {@link #finish} waits for the last one.
 */
public final class Checkpointer implements EpochListener, AutoCloseable {
  /** Settings that may change on resume: they do not change the arithmetic of the steps. */
  public static final List<String> RESUMABLE = List.of("training.epochs", "training.engine", "training.exchange", "training.step-timeout",
      "training.early-stopping", "spark.", "checkpoint.", "cv.", "optimizer.schedule.min-learning-rate");
  private final CheckpointStore store;
  private final JobSpec job;
  private final FeatureStats stats;
  private final Map<String, String> history = new LinkedHashMap<>();
  private String historyCsv = "";
  private BackgroundWriter background;
  private boolean wroteOne;
  private com.fasterxml.jackson.databind.JsonNode statsJson; // the same in every checkpoint: made once

  public Checkpointer(CheckpointStore store, JobSpec job, FeatureStats stats) {
    this.store = store;
    this.job = job;
    this.stats = stats;
  }

  /** The history rows so far, saved with each checkpoint so a resumed run's history.csv is whole. */
  public void historySoFar(String csv) {
    this.historyCsv = csv;
  }

  /** Writes on a background thread from now on; {@code timings} gets the writes' duration. */
  public Checkpointer inBackground(Timings timings) {
    if (background == null) {
      background = new BackgroundWriter("checkpoint", timings, Timings.CHECKPOINT_WRITES);
    }
    return this;
  }

  @Override
  public boolean afterEpoch(EpochRecord r, TrainerState state) {
    if (r.epoch() % job.checkpoint().everyEpochs() == 0 || r.epoch() == job.training().epochs()) {
      if (background != null && wroteOne) {
        CheckpointData snapshot = snapshot(state);
        background.submit(() -> write(snapshot));
      } else {
        save(state);
      }
    }
    return true;
  }

  /** Writes the state now (after any background write in flight); returns the checkpoint's name. */
  public String save(TrainerState s) {
    finish();
    String name = write(snapshot(s));
    wroteOne = true;
    return name;
  }

  /** Waits until every checkpoint that fell due is written (rethrows a failed background write). */
  public void finish() {
    if (background != null) {
      background.drain();
    }
  }

  @Override
  public void close() {
    if (background != null) {
      background.close();
    }
  }

  private String write(CheckpointData data) {
    String name = store.save(data);
    store.prune(job.checkpoint().keepLast());
    return name;
  }

  /** Copies of everything a checkpoint holds, so training may go on while it is written. */
  private CheckpointData snapshot(TrainerState s) {
    LinkedHashMap<String, double[]> slots = new LinkedHashMap<>();
    s.optimizer.slots().forEach((k, v) -> slots.put(k, v.clone()));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("job.conf", job.resolvedHocon());
    meta.put("epoch-loss-sum", Double.toString(s.epochLossSum));
    // A row count stays an integer string (as checkpoints before sample weights wrote it).
    meta.put("epoch-rows", s.epochRows == Math.rint(s.epochRows) && Math.abs(s.epochRows) < 1e15
        ? Long.toString((long) s.epochRows) : Double.toString(s.epochRows));
    meta.put("history.csv", historyCsv);
    meta.put("saved", java.time.Instant.now().toString());
    meta.put("precision", job.training().precision().configName());
    return new CheckpointData(s.params.clone(), slots, s.optimizer.step(), s.epochsDone,
        s.stepInEpoch, s.globalStep, Map.of(), job.configHash(), statsJson(), meta);
  }

  /**
   * The statistics as each checkpoint records them: every column listed, or for wide data (over
   * {@link FeatureStats#WIDE_FEATURES} features) the header and the checksum of the per-feature arrays
   * ({@link StatsFiles#describe}), so a checkpoint costs its parameters, not megabytes of statistics.
   */
  private synchronized com.fasterxml.jackson.databind.JsonNode statsJson() {
    if (statsJson == null) {
      statsJson = StatsFiles.describe(stats);
    }
    return statsJson;
  }

  /** A restored state and the history rows that came with it. */
  public record Restored(String checkpoint, TrainerState state, String historyCsv) {}

  /**
   * The newest valid checkpoint turned back into a trainer state; refuses (naming the keys) a job
   * whose training-affecting settings differ, and data whose statistics differ.
   */
  public static Optional<Restored> restore(CheckpointStore store, JobSpec job, FeatureStats stats,
      int numParams, Consumer<String> warn) {
    Optional<CheckpointStore.Loaded> loaded = store.loadNewestValid(warn);
    if (loaded.isEmpty()) {
      return Optional.empty();
    }
    CheckpointData d = loaded.get().data();
    String saved = d.meta().getOrDefault("job.conf", "");
    List<String> diff = JobLoader.differingKeys(saved, job.resolvedHocon(), RESUMABLE);
    if (!diff.isEmpty()) {
      throw new sparksgd.job.JobConfigException(null, "cannot resume from " + loaded.get().name()
          + ": these settings differ from the checkpoint's: " + String.join(", ", diff)
          + " (only training.epochs and run settings may change)");
    }
    if (!sameStats(d.stats(), stats, loaded.get().name())) {
      throw new sparksgd.data.DataException(job.data().train(), "cannot resume from " + loaded.get().name()
          + ": the training data changed since the checkpoint (its statistics differ)");
    }
    if (d.params().length != numParams) {
      throw new sparksgd.job.JobConfigException(null, "checkpoint " + loaded.get().name() + " has "
          + d.params().length + " parameters, the model has " + numParams);
    }
    OptimizerState opt = new OptimizerState();
    opt.setStep(d.optimizerStep());
    d.optimizerSlots().forEach((k, v) -> System.arraycopy(v, 0, opt.slot(k, v.length), 0, v.length));
    TrainerState state = new TrainerState(d.params(), opt, d.epoch(), d.globalStep());
    state.stepInEpoch = d.stepInEpoch();
    state.epochLossSum = Double.parseDouble(d.meta().getOrDefault("epoch-loss-sum", "0"));
    state.epochRows = Double.parseDouble(d.meta().getOrDefault("epoch-rows", "0"));
    return Optional.of(new Restored(loaded.get().name(), state, d.meta().getOrDefault("history.csv", "")));
  }

  /** Whether a checkpoint's statistics (either layout) are {@code current}. */
  private static boolean sameStats(com.fasterxml.jackson.databind.JsonNode saved, FeatureStats current,
      String checkpoint) {
    if (FeatureStats.isWide(saved)) {
      return StatsFiles.sameWide(saved, current);
    }
    FeatureStats savedStats;
    try {
      savedStats = FeatureStats.fromJson(saved);
    } catch (IllegalArgumentException e) {
      throw new sparksgd.data.DataException(checkpoint, "cannot resume: " + e.getMessage());
    }
    return savedStats.equals(current) || sameStats(savedStats, current);
  }

  private static boolean sameStats(FeatureStats a, FeatureStats b) {
    return a.count() == b.count() && java.util.Arrays.equals(a.mean(), b.mean())
        && java.util.Arrays.equals(a.std(), b.std()) && java.util.Arrays.equals(a.min(), b.min())
        && java.util.Arrays.equals(a.max(), b.max()) && a.names().equals(b.names());
  }
}
