package sparksgd.engine.gang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sparksgd.data.EpochPlan;
import sparksgd.data.PartitionData;
import sparksgd.data.Split;
import sparksgd.model.Losses;
import sparksgd.model.Mlp;
import sparksgd.optim.ConstantSchedule;
import sparksgd.optim.Optimizer;
import sparksgd.optim.OptimizerSettings;
import sparksgd.optim.Optimizers;
import sparksgd.engine.JobsEngine;
import sparksgd.engine.LocalEngine;
import sparksgd.engine.PartitionWorker;
import sparksgd.testing.SparkTest;
import sparksgd.train.Trainer;
import sparksgd.train.TrainerState;

/**
 * The in-driver engine against the one-job-per-step reference: the same bits, one thread or several (here
 * beside the gang's tests, whose fixtures it shares).
 */
@SparkTest
class LocalEngineTest {
  /** The splits a trainer scores here: the validation split only. */
  static final java.util.Set<sparksgd.data.Split> VALIDATION = java.util.Set.of(sparksgd.data.Split.VALIDATION);

  private static final int D = 5;
  private static final int BATCH = 16;
  private static SparkSession spark;
  private static JavaSparkContext jsc;
  private static List<PartitionData> local;
  private static JavaRDD<PartitionData> data;
  private static final long TRAIN_ROWS = 273;

  @BeforeAll
  static void start() {
    // unequal partitions, several blocks each, a validation split
    local = GangFixtures.data(new int[][] {{180, 20, 0}, {93, 11, 0}}, D, 32, 11);
    data = jsc.parallelize(local, 2).cache();
    data.count();
  }

  private static int steps() {
    return EpochPlan.stepsPerEpoch(TRAIN_ROWS, BATCH);
  }

  private static void assertBits(double[] expected, double[] actual, String what) {
    GangFixtures.assertBits(expected, actual, what);
  }

  @Test
  void stepsAndEvaluationsEqualTheJobsEngineBitForBit() {
    Mlp mlp = Mlp.of(D, List.of(16, 16), List.of("relu", "tanh"), "glorot-uniform", 1);
    PartitionWorker w = new PartitionWorker(mlp, Losses.MSE, BATCH, 9, TRAIN_ROWS, 64, 0.0, 1.0);
    double[] p0 = new double[mlp.numParams()];
    mlp.init(p0, 4);
    GangFixtures.Run expected;
    try (JobsEngine jobs = new JobsEngine(jsc, data, w)) {
      expected = GangFixtures.train(jobs, p0, 3, steps(), 0.05);
    }
    for (int threads : new int[] {1, 2}) {
      try (LocalEngine engine = new LocalEngine(data, w, threads)) {
        assertEquals("local", engine.name());
        GangFixtures.Run run = GangFixtures.train(engine, p0, 3, steps(), 0.05);
        assertBits(expected.params(), run.params(), threads + " thread(s): parameters");
        assertEquals(expected.losses(), run.losses(), threads + " thread(s): step losses");
        for (int i = 0; i < expected.evaluations().size(); i++) {
          assertBits(expected.evaluations().get(i), run.evaluations().get(i), "evaluation " + i);
        }
      }
    }
  }

  @Test
  void aWholeTrainingWithAdamEndsInTheSameState() {
    Optimizer adam = Optimizers.create(OptimizerSettings.defaults("adam").withWeightDecay(1e-3));
    PartitionWorker w = new PartitionWorker(new TinyLinear(D), new TinyMse(), BATCH, 5, TRAIN_ROWS, 64, 0.0, 1.0);
    double[] init = new double[D + 1];
    new TinyLinear(D).init(init, 3);
    TrainerState viaJobs = new TrainerState(init.clone(), adam.initialise(init.length), 0, 0);
    try (JobsEngine jobs = new JobsEngine(jsc, data, w)) {
      new Trainer(jobs, adam, new ConstantSchedule(), 0.05, TRAIN_ROWS, BATCH, VALIDATION).run(viaJobs, 4, List.of());
    }
    TrainerState viaLocal = new TrainerState(init.clone(), adam.initialise(init.length), 0, 0);
    try (LocalEngine engine = new LocalEngine(data, w, 2)) {
      new Trainer(engine, adam, new ConstantSchedule(), 0.05, TRAIN_ROWS, BATCH, VALIDATION)
          .run(viaLocal, 4, List.of());
    }
    assertBits(viaJobs.params, viaLocal.params, "parameters");
    assertEquals(viaJobs.optimizer.step(), viaLocal.optimizer.step());
    for (String slot : viaJobs.optimizer.slots().keySet()) {
      assertBits(viaJobs.optimizer.slots().get(slot), viaLocal.optimizer.slots().get(slot), slot);
    }
  }

  @Test
  void enginesOverOneCachedRddCollectItOnce() {
    JavaRDD<PartitionData> rdd = jsc.parallelize(local, 2).cache();
    PartitionWorker w = new PartitionWorker(new TinyLinear(D), new TinyMse(), BATCH, 5, TRAIN_ROWS, 64, 0.0, 1.0);
    double[] p = new double[D + 1];
    jsc.setJobGroup("local-engine-collect-once", "test", false);
    try {
      double[] first;
      try (LocalEngine a = new LocalEngine(rdd, w, 1)) {
        first = a.evaluate(sparksgd.data.Split.TRAIN, p);
      }
      try (LocalEngine b = new LocalEngine(rdd, w, 2)) { // a second training on the same cache: no Spark job
        assertBits(first, b.evaluate(sparksgd.data.Split.TRAIN, p), "evaluation over the kept copy");
      }
      assertEquals(1, jsc.statusTracker().getJobIdsForGroup("local-engine-collect-once").length);
    } finally {
      jsc.clearJobGroup();
      rdd.unpersist(false);
    }
  }

  @Test
  void anErrorInAPartitionReachesTheCaller() {
    PartitionWorker w = new PartitionWorker(new TinyLinear(D), new TinyMse(), BATCH, 5, TRAIN_ROWS, 64, 0.0, 1.0);
    try (LocalEngine engine = new LocalEngine(data, w, 2)) {
      // parameters of the wrong length: the worker's own check fails inside a partition
      assertThrows(RuntimeException.class, () -> engine.evaluate(Split.TRAIN, new double[2]));
    }
  }
}
