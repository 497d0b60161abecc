package sparksgd.train;

import java.util.ArrayList;
import java.util.List;
import sparksgd.data.EpochPlan;
import sparksgd.data.Split;
import sparksgd.model.Metrics;
import sparksgd.engine.ResidentStateEngine;
import sparksgd.engine.StepEngine;
import sparksgd.engine.StepResult;
import sparksgd.optim.LearningRateSchedule;
import sparksgd.optim.Optimizer;

/**
 * The epoch loop on the driver: for every step, the engine's gradient sum divided by the global
 * batch's row count, then one optimizer update; after every epoch, evaluation of validation and
 * test splits and the listeners. Knows nothing of Spark.
 */
public final class Trainer {
  private final StepEngine engine;
  private final Optimizer optimizer;
  private final LearningRateSchedule schedule;
  private final double baseLearningRate;
  private final long trainRows;
  private final int batchSize;
  private final java.util.Set<Split> scored;
  private Timings timings = new Timings();

  /** {@code scored}: the splits evaluated after each epoch besides the training rows (VALIDATION, TEST). */
  public Trainer(StepEngine engine, Optimizer optimizer, LearningRateSchedule schedule, double baseLearningRate,
      long trainRows, int batchSize, java.util.Set<Split> scored) {
    this.engine = engine;
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.baseLearningRate = baseLearningRate;
    this.trainRows = trainRows;
    this.batchSize = batchSize;
    this.scored = java.util.Set.copyOf(scored);
  }

  /** Where the loop's time goes: steps, evaluation, checkpoints, the other epoch listeners. */
  public Trainer timedBy(Timings t) {
    this.timings = t;
    return this;
  }

  public int stepsPerEpoch() {
    return EpochPlan.stepsPerEpoch(trainRows, batchSize);
  }

  /** Trains from {@code state.epochsDone} up to {@code epochs}; returns the new history rows. */
  public List<EpochRecord> run(TrainerState state, int epochs, List<EpochListener> listeners) {
    return run(state, epochs, listeners, null);
  }

  /**
   * Trains from where {@code state} stands (epoch and step) up to {@code epochs}. When {@code stop}
   * is requested, returns after the current step with {@code state} at that step boundary.
   */
  public List<EpochRecord> run(TrainerState state, int epochs, List<EpochListener> listeners, StopSignal stop) {
    List<EpochRecord> history = new ArrayList<>();
    int steps = stepsPerEpoch();
    ResidentStateEngine resident = engine instanceof ResidentStateEngine r && r.residentState() ? r : null;
    boolean fetchDue = false; // the tasks stepped since the state was last loaded or fetched
    int[] changed = null; // entries of the parameters the last update moved; null: unknown (any)
    if (resident != null) {
      resident.load(state.params, state.optimizer);
    }
    for (int epoch = state.epochsDone; epoch < epochs; epoch++) {
      long start = System.nanoTime();
      double lr = schedule.rate(baseLearningRate, epoch);
      long stepsStart = System.nanoTime();
      for (int s = state.stepInEpoch; s < steps; s++) {
        if (stop != null && stop.requested()) {
          if (fetchDue) {
            resident.fetch(state.params, state.optimizer);
          }
          timings.add(Timings.STEPS, System.nanoTime() - stepsStart);
          return history;
        }
        StepResult r = resident != null ? resident.update(epoch, s, lr)
            : engine.step(epoch, s, state.params, changed);
        if (!Double.isFinite(r.lossSum())) {
          throw new TrainingDivergedException(epoch + 1, s + 1, r.lossSum() / Math.max(1, r.rows()), lr);
        }
        fetchDue = resident != null;
        if (resident == null) {
          changed = update(state, r, lr);
        }
        state.globalStep++;
        state.stepInEpoch = s + 1;
        state.epochLossSum += r.lossSum();
        state.epochRows += r.rows();
      }
      if (fetchDue) {
        resident.fetch(state.params, state.optimizer);
        fetchDue = false;
      }
      changed = null; // the listeners below may change the parameters (e.g. restore the best ones)
      long evalStart = System.nanoTime();
      timings.add(Timings.STEPS, evalStart - stepsStart);
      double trainLoss = state.epochLossSum / state.epochRows;
      state.epochsDone = epoch + 1;
      state.stepInEpoch = 0;
      state.epochLossSum = 0;
      state.epochRows = 0;
      double[] val = scored.contains(Split.VALIDATION) ? engine.evaluate(Split.VALIDATION, state.params) : null;
      double[] test = scored.contains(Split.TEST) ? engine.evaluate(Split.TEST, state.params) : null;
      if (!finite(state.params)) {
        throw new TrainingDivergedException(epoch + 1, steps, Double.NaN, lr);
      }
      timings.add(Timings.EVALUATION, System.nanoTime() - evalStart);
      Metrics m = engine.metrics();
      EpochRecord rec = new EpochRecord(epoch + 1, trainLoss,
          val == null ? Double.NaN : m.loss(val), val == null ? Double.NaN : m.headline(val),
          test == null ? Double.NaN : m.loss(test), test == null ? Double.NaN : m.headline(test),
          lr, (System.nanoTime() - start) / 1e9);
      history.add(rec);
      boolean go = true;
      for (EpochListener l : listeners) {
        long t = System.nanoTime();
        go &= l.afterEpoch(rec, state);
        timings.add(l instanceof Checkpointer ? Timings.CHECKPOINTS : Timings.EPOCH_OUTPUT, System.nanoTime() - t);
      }
      if (!go) {
        break;
      }
    }
    return history;
  }

  /**
   * The driver's update with the step's mean gradient; returns the entries it moved, or null for any (the
   * engine then sends the tasks the whole vector).
   */
  private int[] update(TrainerState state, StepResult r, double lr) {
    double inv = r.rows() > 0 ? 1.0 / r.rows() : 0; // 0: a step whose rows all weigh 0 moves nothing
    if (r.sparse() && optimizer.updatesOnlyTouched()) {
      // Sparse rows, plain SGD: only the touched entries move (the same bits as the dense update).
      double[] g = r.touchedSums();
      for (int j = 0; j < g.length; j++) {
        g[j] *= inv;
      }
      optimizer.stepTouched(state.params, r.touched(), g, state.optimizer, lr);
      return r.touched();
    }
    double[] grad = r.gradientSum();
    for (int i = 0; i < grad.length; i++) {
      grad[i] *= inv;
    }
    optimizer.step(state.params, grad, state.optimizer, lr);
    return null;
  }

  private static boolean finite(double[] a) {
    for (double v : a) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
