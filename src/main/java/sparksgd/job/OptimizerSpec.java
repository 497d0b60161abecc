package sparksgd.job;

import java.io.Serializable;

/** The {@code optimizer} section, including its learning-rate schedule. */
public record OptimizerSpec(String type, double learningRate, double momentum, boolean nesterov, double rho,
    double beta1, double beta2, double epsilon, double weightDecay, String schedule, int scheduleEveryEpochs,
    double scheduleGamma, double scheduleMinLearningRate) implements Serializable {}
