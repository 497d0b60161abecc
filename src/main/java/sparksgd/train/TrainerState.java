package sparksgd.train;

import sparksgd.optim.OptimizerState;

/**
 * What training carries from step to step, all plain data: parameters, optimizer state and the
 * number of epochs completed. A checkpoint is exactly this plus the job's statistics.
 */
public final class TrainerState {
  public final double[] params;
  public final OptimizerState optimizer;
  public int epochsDone;
  public long globalStep;

  public TrainerState(double[] params, OptimizerState optimizer, int epochsDone, long globalStep) {
    this.params = params;
    this.optimizer = optimizer;
    this.epochsDone = epochsDone;
    this.globalStep = globalStep;
  }
}
