package sparksgd.engine;

/** The sum over all partitions of one step: gradient sum, loss sum and the number of rows. */
public record StepResult(double[] gradientSum, double lossSum, long rows) {}
