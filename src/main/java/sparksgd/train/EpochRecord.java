package sparksgd.train;

/**
 * One row of {@code history.csv}. Validation and test values are NaN when that split is absent.
 * Losses are in training units (what the optimizer minimizes), MAE in the label's units.
 */
public record EpochRecord(int epoch, double trainLoss, double validationLoss, double validationMae,
    double testLoss, double testMae, double learningRate, double seconds) {}
