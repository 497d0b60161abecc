package sparksgd.train;

import sparksgd.optim.OptimizerState;

/**
 * What training carries from step to step, all plain data: parameters, optimizer state, where in the
 * run it is (epoch and step within it), and the running loss sums of the unfinished epoch. A
 * checkpoint is exactly this plus the job's statistics; the batch order needs no saved random state,
 * since every epoch's order is a pure function of (seed, epoch).
 */
public final class TrainerState {
  public final double[] params;
  public final OptimizerState optimizer;
  /** Completed epochs. */
  public int epochsDone;
  /** Completed steps of epoch {@code epochsDone} (0 at an epoch boundary). */
  public int stepInEpoch;
  public long globalStep;
  /** Loss sum and row count (weight sum of weighted rows) of the steps done so far in the unfinished epoch. */
  public double epochLossSum;
  public double epochRows;

  public TrainerState(double[] params, OptimizerState optimizer, int epochsDone, long globalStep) {
    this.params = params;
    this.optimizer = optimizer;
    this.epochsDone = epochsDone;
    this.globalStep = globalStep;
  }
}
