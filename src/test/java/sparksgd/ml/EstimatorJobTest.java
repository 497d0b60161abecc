package sparksgd.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import sparksgd.job.JobLoader;
import sparksgd.job.JobSpec;

/** An estimator's Params become a job without HOCON text, so any column name or path survives as it is. */
class EstimatorJobTest {
  @Test
  void aLabelColumnOrCheckpointPathWithQuotesAndHoconSyntaxStaysAPlainString() {
    SgdRegressor r = new SgdRegressor().setHiddenLayers(new int[] {4}).setCheckpointDir("/tmp/a \"b\" ${c}");
    JobSpec job = EstimatorTraining.job(r, "price \"usd\", net} #1", "mse", 0);
    assertEquals("price \"usd\", net} #1", job.data().label());
    assertEquals("/tmp/a \"b\" ${c}", job.checkpoint().dir());
  }

  @Test
  void ordinaryParamsGiveTheSameJobAsBefore() {
    // The job the estimator built from HOCON text before: same resolved config, so the same config hash
    // (a checkpoint written by an earlier fit still resumes).
    SgdRegressor r = new SgdRegressor().setHiddenLayers(new int[] {8, 4}).setLearningRate(0.003).setMaxEpochs(7)
        .setCheckpointDir("/tmp/ckpt");
    JobSpec before = JobLoader.load(null, "spark-ml", List.of("data.train=\"DataFrame\"", "data.label=\"y\"",
        "data.test-fraction=0", "data.normalize=" + r.getOrDefault(r.normalize()), "model.type=mlp",
        "model.hidden=[8,4]", "model.activation=" + r.getActivation(),
        "model.initializer=" + r.getOrDefault(r.initializer()), "model.loss=mse", "model.classes=0",
        "optimizer.type=" + r.getOptimizer(), "optimizer.learning-rate=" + r.getLearningRate(),
        "optimizer.weight-decay=" + r.getOrDefault(r.weightDecay()), "training.epochs=7",
        "training.batch-size=" + r.getBatchSize(), "training.seed=" + r.getSeed(),
        "training.partitions=" + r.getPartitions(), "training.engine=" + r.getEngine(),
        "training.precision=" + r.getPrecision(), "checkpoint.dir=\"/tmp/ckpt\""));
    JobSpec now = EstimatorTraining.job(r, "y", "mse", 0);
    assertEquals(before.resolvedHocon(), now.resolvedHocon());
    assertEquals(before.configHash(), now.configHash());
  }
}
