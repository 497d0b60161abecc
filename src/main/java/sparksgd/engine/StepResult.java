package sparksgd.engine;

/**
 * The sum over all partitions of one step: gradient sum, loss sum and the number of rows, or the rows'
 * weight sum when they carry sample weights ({@code data.weight}): what the gradient is divided by.
 */
public record StepResult(double[] gradientSum, double lossSum, double rows) {}
