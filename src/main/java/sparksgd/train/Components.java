package sparksgd.train;

import sparksgd.job.JobSpec;
import sparksgd.job.ModelSpec;
import sparksgd.job.OptimizerSpec;
import sparksgd.model.Loss;
import sparksgd.model.LossType;
import sparksgd.model.Mlp;
import sparksgd.model.Model;
import sparksgd.model.ParamLayout;
import sparksgd.optim.LearningRateSchedule;
import sparksgd.optim.Optimizer;
import sparksgd.optim.Optimizers;
import sparksgd.optim.Regularization;
import sparksgd.optim.Schedules;

/** Turns a job's sections into the math objects (model, loss, optimizer, schedule). */
public final class Components {
  private Components() {}

  /** A linear model is an MLP with no hidden layer: one implementation of the math. */
  public static Model model(ModelSpec spec, int inputs) {
    return model(spec, inputs, 2);
  }

  /** {@code classes}: the softmax output width (ignored by mse and bce, which have one output). */
  public static Model model(ModelSpec spec, int inputs, int classes) {
    return Mlp.of(inputs, spec.hidden(), spec.activations(), spec.initializer(),
        spec.loss() == LossType.SOFTMAX ? classes : 1);
  }

  /** The job's model at its {@code training.precision}. */
  public static Model model(JobSpec job, int inputs, int classes) {
    return ((Mlp) model(job.model(), inputs, classes)).withPrecision(job.training().precision());
  }

  /** model.classes, or the largest training label + 1. */
  public static int classes(ModelSpec spec, double maxTrainingLabel) {
    return spec.classes() > 0 ? spec.classes() : (int) maxTrainingLabel + 1;
  }

  public static Loss loss(ModelSpec spec) {
    return spec.loss().loss();
  }

  public static Optimizer optimizer(OptimizerSpec o) {
    return Optimizers.create(o.settings());
  }

  /** The rule with the elastic-net penalty on {@code layout}'s weights (never its biases) and clipping. */
  public static Optimizer optimizer(OptimizerSpec o, ParamLayout layout) {
    Regularization r = new Regularization(o.l1(), o.elasticNet(), o.clipNorm(), null).weightsOf(layout);
    return Optimizers.create(o.settings(), r);
  }

  public static LearningRateSchedule schedule(JobSpec job) {
    OptimizerSpec o = job.optimizer();
    return Schedules.create(o.schedule(), o.scheduleEveryEpochs(), o.scheduleGamma(), o.scheduleMinLearningRate(),
        job.training().epochs());
  }
}
