package sparksgd.engine.gang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sparksgd.data.EpochPlan;
import sparksgd.data.PartitionData;
import sparksgd.data.Split;
import sparksgd.engine.Combine;
import sparksgd.engine.JobsEngine;
import sparksgd.engine.LocalEngine;
import sparksgd.engine.PartitionWorker;
import sparksgd.engine.SparseExchangeTestData;
import sparksgd.engine.StepEngine;
import sparksgd.engine.StepResult;
import sparksgd.model.Losses;
import sparksgd.model.Metrics;
import sparksgd.model.Mlp;
import sparksgd.optim.ConstantSchedule;
import sparksgd.optim.Optimizer;
import sparksgd.optim.OptimizerSettings;
import sparksgd.optim.OptimizerState;
import sparksgd.optim.Optimizers;
import sparksgd.optim.Sgd;
import sparksgd.testing.SparkTest;
import sparksgd.train.EpochRecord;
import sparksgd.train.Trainer;
import sparksgd.train.TrainerState;

/**
 * Sparse rows through every engine with the sparse exchange (sparse partition sums, and in the gang's driver
 * mode parameter changes instead of the whole vector) against the dense exchange: bit-identical parameters,
 * optimizer state and history with plain SGD and with Adam, also across a relaunched gang and a resume.
 */
@SparkTest
class SparseExchangeEnginesTest {
  private static final int BATCH = 16;
  private static final double LR = 0.5;
  private static final int EPOCHS = 4;
  private static SparkSession spark;
  private static JavaSparkContext jsc;
  private static List<PartitionData> local;
  private static JavaRDD<PartitionData> data;
  private static PartitionWorker worker;
  private static final long TRAIN_ROWS = 260;
  private static double[] init;

  @BeforeAll
  static void start() {
    local = SparseExchangeTestData.sparseData(new int[] {150, 110}, 8, false, 3);
    data = jsc.parallelize(local, 2).cache();
    data.count();
    Mlp model = Mlp.linear(SparseExchangeTestData.D, 1);
    worker = new PartitionWorker(model, Losses.BCE, BATCH, 5, TRAIN_ROWS, 64, 0, 1);
    init = new double[model.numParams()];
    model.init(init, 7);
  }

  /** The dense exchange: every partition's dense step ({@link PartitionWorker#step}), summed by Combine. */
  private static final class DenseExchange implements StepEngine {
    private final List<PartitionWorker> workers = new ArrayList<>();

    DenseExchange() {
      for (int p = 0; p < local.size(); p++) {
        workers.add(GangFixtures.copy(worker));
      }
    }

    @Override
    public String name() {
      return "dense";
    }

    @Override
    public StepResult step(int epoch, int step, double[] params) {
      List<double[]> parts = new ArrayList<>();
      for (int p = 0; p < local.size(); p++) {
        parts.add(workers.get(p).step(local.get(p), epoch, step, params));
      }
      return Combine.steps(parts, params.length);
    }

    @Override
    public double[] evaluate(Split split, double[] params) {
      List<double[]> parts = new ArrayList<>();
      for (int p = 0; p < local.size(); p++) {
        parts.add(workers.get(p).evaluate(local.get(p), split, params));
      }
      return Combine.sums(parts, metrics().width());
    }

    @Override
    public Metrics metrics() {
      return worker.metrics();
    }

    @Override
    public void close() {}
  }

  record Trained(TrainerState state, List<EpochRecord> history) {}

  private static Trained train(StepEngine engine, Optimizer optimizer, int epochs) {
    TrainerState state = new TrainerState(init.clone(), optimizer.initialise(init.length), 0, 0);
    return train(engine, optimizer, state, epochs);
  }

  private static Trained train(StepEngine engine, Optimizer optimizer, TrainerState state, int epochs) {
    Trainer t = new Trainer(engine, optimizer, new ConstantSchedule(), LR, TRAIN_ROWS, BATCH, java.util.Set.of());
    List<EpochRecord> history = t.run(state, epochs, List.of());
    return new Trained(state, history);
  }

  private static void assertSame(Trained expected, Trained actual, String what) {
    GangFixtures.assertBits(expected.state().params, actual.state().params, what + " parameters");
    OptimizerState e = expected.state().optimizer;
    OptimizerState a = actual.state().optimizer;
    assertEquals(e.step(), a.step(), what + " optimizer step count");
    assertEquals(e.slots().keySet(), a.slots().keySet());
    for (String slot : e.slots().keySet()) {
      GangFixtures.assertBits(e.slots().get(slot), a.slots().get(slot), what + " slot " + slot);
    }
    for (int i = 0; i < expected.history().size(); i++) {
      assertEquals(Double.doubleToRawLongBits(expected.history().get(i).trainLoss()),
          Double.doubleToRawLongBits(actual.history().get(i).trainLoss()), what + " epoch " + (i + 1) + " loss");
    }
  }

  private static GangSettings settings() {
    return GangSettings.defaults().withConnectTimeout(Duration.ofSeconds(30)).withStopTimeout(Duration.ofSeconds(5));
  }

  private static List<Optimizer> optimizers() {
    return List.of(new Sgd(), Optimizers.create(OptimizerSettings.defaults("adam").withWeightDecay(1e-3)));
  }

  @Test
  void everyEngineMatchesTheDenseExchangeWithSgdAndAdam() {
    assertTrue(EpochPlan.stepsPerEpoch(TRAIN_ROWS, BATCH) * EPOCHS >= 60, "dozens of steps");
    for (Optimizer optimizer : optimizers()) {
      Trained expected = train(new DenseExchange(), optimizer, EPOCHS);
      String name = optimizer.name();
      try (LocalEngine e = new LocalEngine(data, worker, 2)) {
        assertSame(expected, train(e, optimizer, EPOCHS), "local " + name);
      }
      try (JobsEngine e = new JobsEngine(jsc, data, worker)) {
        assertSame(expected, train(e, optimizer, EPOCHS), "jobs " + name);
      }
      try (GangEngine e = new GangEngine(jsc, data, worker, settings())) {
        assertSame(expected, train(e, optimizer, EPOCHS), "gang " + name);
        long[] fromTasks = e.lastStepBytesFromEachTask();
        long dense = 8L * (init.length + 2);
        for (long b : fromTasks) {
          assertTrue(b > 0 && b * 10 < dense, "a task's answer is sparse: " + b + " bytes against " + dense);
        }
        long toTask = e.lastStepBytesToEachTask();
        if (optimizer.updatesOnlyTouched()) {
          assertTrue(toTask * 10 < dense, "plain SGD: the tasks get the changed entries only: " + toTask);
        } else {
          assertTrue(toTask > 4L * init.length, "Adam moves every parameter: the whole vector: " + toTask);
        }
      }
    }
  }

  @Test
  void aRelaunchedGangGetsTheWholeVectorAndStaysBitIdentical() {
    Optimizer sgd = new Sgd();
    Trained expected = train(new DenseExchange(), sgd, EPOCHS);
    GangSettings s = settings().withFault(FaultInjection.throwAt(1, 2, 5, 0));
    try (GangEngine e = new GangEngine(jsc, data, worker, s)) {
      Trained got = train(e, sgd, EPOCHS);
      assertTrue(e.stageAttempt() >= 1, "the barrier stage was relaunched");
      assertSame(expected, got, "relaunched gang");
    }
  }

  @Test
  void aResumedRunIsBitIdenticalToAnUninterruptedOne() {
    for (Optimizer optimizer : optimizers()) {
      Trained expected = train(new DenseExchange(), optimizer, EPOCHS);
      try (GangEngine first = new GangEngine(jsc, data, worker, settings())) {
        Trained half = train(first, optimizer, 2);
        // What a checkpoint keeps: parameters, optimizer slots and step count, the epoch; a new engine resumes.
        OptimizerState restored = optimizer.initialise(init.length);
        for (var slot : half.state().optimizer.slots().entrySet()) {
          System.arraycopy(slot.getValue(), 0, restored.slot(slot.getKey(), init.length), 0, init.length);
        }
        restored.setStep(half.state().optimizer.step());
        TrainerState resumed = new TrainerState(half.state().params.clone(), restored, 2, half.state().globalStep);
        try (LocalEngine second = new LocalEngine(data, worker, 1)) {
          Trained rest = train(second, optimizer, resumed, EPOCHS);
          GangFixtures.assertBits(expected.state().params, rest.state().params, optimizer.name() + " resumed");
          assertEquals(expected.state().optimizer.step(), rest.state().optimizer.step());
        }
        Trained more = train(first, optimizer, half.state(), EPOCHS); // the same gang goes on
        GangFixtures.assertBits(expected.state().params, more.state().params, optimizer.name() + " continued");
      }
    }
  }
}
