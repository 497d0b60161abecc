package sparksgd.train;

/**
 * One row of {@code history.csv}. Validation and test values are NaN when that split is absent.
 * Losses are in training units (what the optimizer minimizes); {@code validationMetric} and
 * {@code testMetric} are the run's headline {@link Metric} (MAE in the label's units, or accuracy).
 */
public record EpochRecord(int epoch, double trainLoss, double validationLoss, double validationMetric,
    double testLoss, double testMetric, double learningRate, double seconds) {}
