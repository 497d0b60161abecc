package sparksgd.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import sparksgd.data.PartitionData;
import sparksgd.data.SyntheticRows;
import sparksgd.engine.gang.ExchangeChoice;
import sparksgd.engine.gang.GangEngine;
import sparksgd.engine.gang.GangSettings;
import sparksgd.engine.PartitionWorker;
import sparksgd.engine.StepResult;
import sparksgd.model.Losses;
import sparksgd.model.Mlp;
import sparksgd.optim.Optimizer;
import sparksgd.optim.OptimizerSettings;
import sparksgd.optim.OptimizerState;
import sparksgd.optim.Optimizers;

/**
 * {@code bench --only exchange}: the gang engine's two gradient exchanges on a model of about 4 M
 * parameters for several partition counts: bytes through the driver and through the busiest task per
 * step, and step time, plus a Boston-size step with {@code training.exchange = auto}. Both modes start
 * from the same parameters and take the same steps; the final parameters are compared bit for bit.
 * Meant for a multi-process cluster with at least max(P) one-core executors.
 */
final class ExchangeBench {
  private static final int FEATURES = 1000;
  private static final List<Integer> HIDDEN = List.of(2000, 1000);
  private static final int BATCH = 16;
  private static final double LR = 1e-3;

  private ExchangeBench() {}

  static ObjectNode run(JavaSparkContext jsc, ObjectMapper mapper, boolean quick, List<Integer> partitionCounts) {
    int slots = awaitSlots(jsc, partitionCounts.stream().mapToInt(Integer::intValue).max().orElse(2));
    List<Integer> hidden = quick ? List.of(200, 100) : HIDDEN;
    Mlp mlp = Mlp.of(quick ? 100 : FEATURES, hidden, List.of("relu", "relu"), "glorot-uniform", 1);
    int n = mlp.numParams();
    int warmup = 2;
    int steps = quick ? 4 : 8;
    ObjectNode root = mapper.createObjectNode();
    root.put("params", n);
    root.put("param_bytes", 8L * n);
    root.put("batch", BATCH);
    root.put("steps_timed", steps);
    System.out.printf(Locale.ROOT, "%n5. gradient exchange, MLP %d-%s-1 = %,d parameters (%.1f MB), batch %d, "
        + "plain SGD; %d timed steps after %d warm-up (task slots: %d)%n"
        + "   %-3s %-10s %12s %12s %14s %11s %9s%n", mlp.inputs(),
        hidden.toString().replace(", ", "-").replace("[", "").replace("]", ""), n, 8e-6 * n,
        BATCH, steps, warmup, slots, "P", "exchange", "ms/step", "driver B/step", "busiest task B", "x params", "same bits");
    for (int p : partitionCounts) {
      slots = Math.max(slots, awaitSlots(jsc, p));
      if (p > slots) {
        System.out.printf(Locale.ROOT, "   P=%d skipped: only %d task slots (start a cluster with --workers %d)%n", p,
            slots, p);
        continue;
      }
      root.set("p" + p, compare(jsc, mapper, mlp, p, warmup, steps));
    }
    root.set("boston_auto", bostonAuto(jsc, mapper, quick));
    return root;
  }

  private static ObjectNode compare(JavaSparkContext jsc, ObjectMapper mapper, Mlp mlp, int p, int warmup,
      int steps) {
    int rows = 64 * p;
    SyntheticRows gen = SyntheticRows.teacher(3, mlp.inputs(), 8, 0.1);
    JavaRDD<PartitionData> data = BenchData.blocks(jsc, gen, rows, p);
    PartitionWorker worker = new PartitionWorker(mlp, Losses.MSE, BATCH, 7, rows, 1024, 0, 1);
    int spe = sparksgd.data.EpochPlan.stepsPerEpoch(rows, BATCH);
    Optimizer sgd = Optimizers.create(OptimizerSettings.defaults("sgd"));
    double[] init = new double[mlp.numParams()];
    mlp.init(init, 7);
    long paramBytes = 8L * init.length;
    GangSettings settings = GangSettings.defaults();
    ObjectNode node = mapper.createObjectNode();
    double[] driverParams = init.clone();
    OptimizerState driverState = sgd.initialise(init.length);
    double driverMs;
    long driverBytes;
    long driverBusiest;
    try (GangEngine e = new GangEngine(jsc, data, worker, settings)) {
      for (int i = 0; i < warmup; i++) {
        driverStep(e, sgd, driverParams, driverState, i / spe, i % spe);
      }
      long[] before = e.driverTraffic();
      double[] t = new double[steps];
      for (int i = 0; i < steps; i++) {
        long t0 = System.nanoTime();
        driverStep(e, sgd, driverParams, driverState, (warmup + i) / spe, (warmup + i) % spe);
        t[i] = (System.nanoTime() - t0) / 1e6;
      }
      long[] after = e.driverTraffic();
      driverMs = StepTimes.median(t);
      driverBytes = (after[0] - before[0] + after[1] - before[1]) / steps;
      driverBusiest = (after[0] - before[0]) / steps / p; // every task sends one gradient to the driver
    }
    double[] ringParams = init.clone();
    OptimizerState ringState = sgd.initialise(init.length);
    double ringMs;
    long ringBytes;
    long ringBusiest = 0;
    try (GangEngine e = new GangEngine(jsc, data, worker, settings, sgd)) {
      e.load(ringParams, ringState);
      for (int i = 0; i < warmup; i++) {
        e.update(i / spe, i % spe, LR);
      }
      long[] before = e.driverTraffic();
      double[] t = new double[steps];
      for (int i = 0; i < steps; i++) {
        long t0 = System.nanoTime();
        e.update((warmup + i) / spe, (warmup + i) % spe, LR);
        t[i] = (System.nanoTime() - t0) / 1e6;
        ringBusiest = Math.max(ringBusiest, e.busiestTaskBytesLastStep());
      }
      long[] after = e.driverTraffic();
      ringMs = StepTimes.median(t);
      ringBytes = (after[0] - before[0] + after[1] - before[1]) / steps;
      e.fetch(ringParams, ringState);
    }
    data.unpersist(true);
    boolean same = Arrays.equals(driverParams, ringParams) && driverState.step() == ringState.step();
    node.put("driver_mode_step_ms_median", driverMs);
    node.put("allreduce_step_ms_median", ringMs);
    node.put("allreduce_over_driver_step_time", ringMs / driverMs);
    node.put("driver_mode_driver_bytes_per_step", driverBytes);
    node.put("allreduce_driver_bytes_per_step", ringBytes);
    node.put("driver_mode_busiest_task_bytes_per_step", driverBusiest);
    node.put("allreduce_busiest_task_bytes_per_step", ringBusiest);
    node.put("allreduce_busiest_task_over_param_bytes", (double) ringBusiest / paramBytes);
    node.put("bit_identical", same);
    System.out.printf(Locale.ROOT, "   %-3d %-10s %12.1f %12s %14s %11.2f %9s%n", p, "driver", driverMs, mb(driverBytes),
        mb(driverBusiest), (double) driverBusiest / paramBytes, "");
    System.out.printf(Locale.ROOT, "   %-3d %-10s %12.1f %12s %14s %11.2f %9s   allreduce/driver time %.2fx%n", p,
        "allreduce", ringMs, mb(ringBytes), mb(ringBusiest), (double) ringBusiest / paramBytes, same ? "yes" : "NO",
        ringMs / driverMs);
    return node;
  }

  /** Driver mode as the trainer runs it: gradient sum from the tasks, the update on the driver. */
  private static void driverStep(GangEngine e, Optimizer sgd, double[] params, OptimizerState state, int epoch,
      int step) {
    StepResult r = e.step(epoch, step, params);
    double[] grad = r.gradientSum();
    double inv = 1.0 / r.rows();
    for (int i = 0; i < grad.length; i++) {
      grad[i] *= inv;
    }
    sgd.step(params, grad, state, LR);
  }

  /** The Boston-size step (404 x 13, MLP 13-64-64-1, batch 16, 2 partitions) with the exchange auto picks. */
  private static ObjectNode bostonAuto(JavaSparkContext jsc, ObjectMapper mapper, boolean quick) {
    int rows = 404;
    SyntheticRows gen = SyntheticRows.teacher(1, 13, 8, 0.1);
    JavaRDD<PartitionData> data = BenchData.blocks(jsc, gen, rows, 2);
    Mlp mlp = Mlp.of(13, List.of(64, 64), List.of("relu", "relu"), "glorot-uniform", 1);
    PartitionWorker worker = new PartitionWorker(mlp, Losses.MSE, BATCH, 7, rows, 1024, 0, 1);
    Optimizer rms = Optimizers.create(OptimizerSettings.defaults("rmsprop"));
    ExchangeChoice choice = ExchangeChoice.choose("auto", mlp.numParams(), 2);
    double[] params = new double[mlp.numParams()];
    mlp.init(params, 7);
    OptimizerState state = rms.initialise(params.length);
    int steps = quick ? 200 : 2080;
    double[] t = new double[steps];
    boolean ring = choice.exchange().equals("allreduce");
    try (GangEngine e = new GangEngine(jsc, data, worker, GangSettings.defaults(), ring ? rms : null)) {
      if (ring) {
        e.load(params, state);
      }
      for (int i = 0; i < 200 + steps; i++) {
        long t0 = System.nanoTime();
        if (ring) {
          e.update(i / 26, i % 26, 1e-3);
        } else {
          driverStep(e, rms, params, state, i / 26, i % 26);
        }
        if (i >= 200) {
          t[i - 200] = (System.nanoTime() - t0) / 1e6;
        }
      }
    }
    data.unpersist(true);
    double ms = StepTimes.median(t);
    ObjectNode n = mapper.createObjectNode();
    n.put("exchange", choice.exchange());
    n.put("reason", choice.reason());
    n.put("step_ms_median", ms);
    System.out.printf(Locale.ROOT, "   Boston size (404 x 13, MLP 13-64-64-1, 2 partitions): %s; %.3f ms/step "
        + "(median of %d, optimizer update included)%n", choice.describe(), ms, steps);
    return n;
  }

  /** On a cluster executors register seconds after the driver starts: wait (bounded) for enough slots. */
  private static int awaitSlots(JavaSparkContext jsc, int wanted) {
    long deadline = System.nanoTime() + 300_000_000_000L;
    int slots = jsc.sc().defaultParallelism();
    while (slots < wanted && !jsc.sc().isLocal() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      slots = jsc.sc().defaultParallelism();
    }
    return slots;
  }



  private static String mb(long bytes) {
    return bytes >= 1_000_000 ? String.format(Locale.ROOT, "%.2f MB", bytes / 1e6)
        : String.format(Locale.ROOT, "%,d B", bytes);
  }
}
