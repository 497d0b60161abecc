package sparksgd.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.GradientDescent;
import org.apache.spark.mllib.optimization.LogisticGradient;
import org.apache.spark.mllib.optimization.SimpleUpdater;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;
import sparksgd.data.Block;
import sparksgd.data.PartitionData;
import sparksgd.data.SparseLogisticRows;
import sparksgd.data.SplitRangePartitioner;
import sparksgd.data.TrainingDataLoader;
import sparksgd.engine.gang.GangEngine;
import sparksgd.engine.gang.GangSettings;
import sparksgd.engine.LocalEngine;
import sparksgd.engine.PartitionWorker;
import sparksgd.engine.StepEngine;
import sparksgd.engine.StepResult;
import sparksgd.model.Losses;
import sparksgd.model.Mlp;
import sparksgd.optim.OptimizerState;
import sparksgd.optim.Sgd;

/**
 * {@code bench --only sparse} (issue 14): logistic regression on seeded sparse rows ({@code generate --kind
 * sparse-logistic}: {@code nnz} features set to 1 out of {@code features}), cached as our CSR blocks and as
 * MLlib's (label, SparseVector) pairs; full gradient pass, one 4,096-row step and one epoch of mini-batch
 * SGD against MLlib's GradientDescent with LogisticGradient in the same run, and cached bytes.
 */
final class SparseBench {
  private SparseBench() {}

  static final int BATCH = 4096;
  private static final double LR = 0.5;
  /** Steps before the timed epoch, so that it runs compiled code (5 left a 200,000-row epoch half in the JIT). */
  private static final int WARMUP_STEPS = 20;

  static ObjectNode run(JavaSparkContext jsc, ObjectMapper mapper, long rows, int features, int nnz, int repeats) {
    int partitions = 2;
    SparseLogisticRows gen = new SparseLogisticRows(11, features, nnz);
    JavaRDD<PartitionData> data = blocks(jsc, gen, rows, partitions);
    long ours = data.map(PartitionData::bytes).reduce(Long::sum);
    long csr = rows * nnz * (4L + 8L); // int index + double value per nonzero
    Mlp model = Mlp.linear(features, 1);
    double[] params = new double[model.numParams()];

    double[] full = fullPassMs(jsc, data, model, rows, params, repeats);
    double fullMs = full[0];
    double fullPassCpuMs = full[1];
    int stepsPerEpoch = (int) ((rows + BATCH - 1) / BATCH);
    int timedSteps = Math.min(stepsPerEpoch, 40);
    Steps steps = miniBatchSteps(jsc, data, model, rows, params);
    double stepMs = steps.stepMs;
    double epochS = steps.epochS;
    Steps local = localSteps(data, model, rows, new double[params.length]);
    double[] localFull = localFullPassMs(data, model, rows, params, repeats);
    double localFullMs = localFull[0];
    double localFullCpuMs = localFull[1];
    data.unpersist(true);

    JavaRDD<Tuple2<Object, Vector>> ml = mllib(jsc, gen, rows, partitions);
    long theirs = BenchData.cachedBytes(jsc, ml);
    double[] mllibMs = mllibMs(ml, features, rows, repeats, Math.min(timedSteps, 20));
    double mllibFullMs = mllibMs[0];
    double mllibStepMs = mllibMs[1];
    double mllibFullCpuMs = mllibMs[2];
    double mllibStepCpuMs = mllibMs[3];
    ml.unpersist(true);

    ObjectNode n = mapper.createObjectNode();
    n.put("rows", rows);
    n.put("features", features);
    n.put("nnz_per_row", nnz);
    n.put("partitions", partitions);
    n.put("batch", BATCH);
    n.put("ours_full_pass_ms", fullMs);
    n.put("mllib_full_iteration_ms", mllibFullMs);
    n.put("full_ours_over_mllib", fullMs / mllibFullMs);
    n.put("ours_step_ms_median", stepMs);
    n.put("mllib_step_ms", mllibStepMs);
    n.put("mllib_over_ours_step", mllibStepMs / stepMs);
    n.put("steps_per_epoch", stepsPerEpoch);
    n.put("ours_epoch_s", epochS);
    n.put("local_full_pass_ms", localFullMs);
    n.put("local_full_over_mllib", localFullMs / mllibFullMs);
    n.put("local_full_pass_cpu_ms", localFullCpuMs);
    n.put("local_step_ms_median", local.stepMs);
    n.put("mllib_over_local_step", mllibStepMs / local.stepMs);
    n.put("local_epoch_s", local.epochS);
    n.put("local_step_cpu_ms", local.cpuMsPerStep);
    n.put("ours_full_pass_cpu_ms", fullPassCpuMs);
    n.put("ours_step_cpu_ms", steps.cpuMsPerStep);
    n.put("mllib_full_iteration_cpu_ms", mllibFullCpuMs);
    n.put("mllib_step_cpu_ms", mllibStepCpuMs);
    n.put("full_ours_over_mllib_cpu", fullPassCpuMs / mllibFullCpuMs);
    n.put("mllib_over_ours_step_cpu", mllibStepCpuMs / steps.cpuMsPerStep);
    n.put("dense_param_bytes", 8L * params.length);
    n.put("touched_params_per_step", steps.touchedPerStep);
    n.put("driver_bytes_in_per_step", steps.driverInPerStep);
    n.put("driver_bytes_out_per_step", steps.driverOutPerStep);
    n.put("task_bytes_in_per_step", steps.toTaskPerStep);
    n.put("task_bytes_out_per_step_max", steps.fromBusiestTaskPerStep);
    n.put("csr_bytes", csr);
    n.put("ours_cached_bytes", ours);
    n.put("ours_cached_over_csr", (double) ours / csr);
    n.put("mllib_cached_bytes", theirs);
    n.put("mllib_cached_over_csr", (double) theirs / csr);
    print(n, repeats);
    return n;
  }

  /** The part's lines on the terminal, from the figures it writes to {@code bench.json}. */
  private static void print(ObjectNode n, int repeats) {
    double csr = n.get("csr_bytes").asDouble();
    System.out.printf(Locale.ROOT, "%n6. sparse logistic regression, %,d rows x %,d features, %d nonzeros a row, "
        + "%d partitions%n   full pass     ours %8.1f ms (median of %d)   MLlib GD %8.1f ms/iteration (fraction 1.0)"
        + "   ours / MLlib %.2fx%n   step of %,d   ours %8.2f ms (median of %d)   MLlib GD %8.1f ms/iteration "
        + "(fraction %.5f)   MLlib / ours %.1fx%n   one epoch of mini-batch SGD (%d steps of %,d): %.2f s%n"
        + "   cached        ours %8.1f MB (%.2fx CSR bytes %.1f MB)   MLlib RDD %8.1f MB (%.2fx; Spark's estimate)%n"
        + "   bytes a step  %,.0f touched parameters of %,d; driver in %,.0f, out %,.0f; each task in %,.0f, "
        + "busiest task out %,.0f (dense vector %,d)%n"
        + "   process CPU   full pass ours %.1f ms, MLlib %.1f ms (%.2fx); step ours %.2f ms, MLlib %.1f ms (MLlib / ours"
        + " %.1fx); every thread: driver, tasks, JIT, GC%n"
        + "   local engine (train's default under a local master for this data): full pass %.1f ms (%.2fx MLlib);"
        + " step %.2f ms (median of %d), MLlib / local %.1fx; epoch %.2f s; CPU %.2f ms a step%n",
        n.get("rows").asLong(), n.get("features").asInt(), n.get("nnz_per_row").asInt(), n.get("partitions").asInt(),
        n.get("ours_full_pass_ms").asDouble(), repeats, n.get("mllib_full_iteration_ms").asDouble(),
        n.get("full_ours_over_mllib").asDouble(), BATCH, n.get("ours_step_ms_median").asDouble(),
        n.get("steps_per_epoch").asInt(), n.get("mllib_step_ms").asDouble(), Math.min(1.0, BATCH / n.get("rows").asDouble()),
        n.get("mllib_over_ours_step").asDouble(), n.get("steps_per_epoch").asInt(), BATCH, n.get("ours_epoch_s").asDouble(),
        n.get("ours_cached_bytes").asDouble() / 1e6, n.get("ours_cached_over_csr").asDouble(), csr / 1e6,
        n.get("mllib_cached_bytes").asDouble() / 1e6, n.get("mllib_cached_over_csr").asDouble(),
        n.get("touched_params_per_step").asDouble(), n.get("dense_param_bytes").asLong() / 8,
        n.get("driver_bytes_in_per_step").asDouble(), n.get("driver_bytes_out_per_step").asDouble(),
        n.get("task_bytes_in_per_step").asDouble(), n.get("task_bytes_out_per_step_max").asDouble(),
        n.get("dense_param_bytes").asLong(), n.get("ours_full_pass_cpu_ms").asDouble(),
        n.get("mllib_full_iteration_cpu_ms").asDouble(), n.get("full_ours_over_mllib_cpu").asDouble(),
        n.get("ours_step_cpu_ms").asDouble(), n.get("mllib_step_cpu_ms").asDouble(),
        n.get("mllib_over_ours_step_cpu").asDouble(), n.get("local_full_pass_ms").asDouble(),
        n.get("local_full_over_mllib").asDouble(), n.get("local_step_ms_median").asDouble(),
        n.get("steps_per_epoch").asInt(), n.get("mllib_over_local_step").asDouble(), n.get("local_epoch_s").asDouble(),
        n.get("local_step_cpu_ms").asDouble());
  }

  /** Median ms of a full gradient pass: one step whose batch is every row, straight from the CSR blocks. */
  private static double[] fullPassMs(JavaSparkContext jsc, JavaRDD<PartitionData> data, Mlp model, long rows,
      double[] params, int repeats) {
    PartitionWorker full = new PartitionWorker(model, Losses.BCE, (int) rows, 7, rows, BATCH, 0, 1);
    try (StepEngine e = new GangEngine(jsc, data, full, GangSettings.defaults())) {
      return timedFullPasses(e, params, repeats);
    }
  }

  /** The same full pass on the in-driver {@link LocalEngine} ({@code train}'s default under a local master). */
  private static double[] localFullPassMs(JavaRDD<PartitionData> data, Mlp model, long rows, double[] params,
      int repeats) {
    PartitionWorker full = new PartitionWorker(model, Losses.BCE, (int) rows, 7, rows, BATCH, 0, 1);
    try (StepEngine e = new LocalEngine(data, full, Runtime.getRuntime().availableProcessors())) {
      return timedFullPasses(e, params, repeats);
    }
  }

  /** {median wall ms, process CPU ms} of a full pass on {@code e}, after one untimed pass. */
  private static double[] timedFullPasses(StepEngine e, double[] params, int repeats) {
    StepTimes.warm(1, i -> e.step(0, 0, params));
    long cpu0 = StepTimes.processCpuNanos();
    double ms = StepTimes.medianMs(repeats, i -> e.step(0, 0, params));
    return new double[] {ms, (StepTimes.processCpuNanos() - cpu0) / 1e6 / repeats};
  }

  /**
   * One epoch of plain SGD as the trainer runs it on sparse rows (the driver sums the partitions' sparse
   * parts, updates only the touched entries, and the tasks get only those entries back): the median of its
   * steps (exchange and update), the whole epoch, and the bytes each step moved.
   */
  private static Steps miniBatchSteps(JavaSparkContext jsc, JavaRDD<PartitionData> data, Mlp model, long rows,
      double[] params) {
    PartitionWorker mini = new PartitionWorker(model, Losses.BCE, BATCH, 7, rows, BATCH, 0, 1);
    int stepsPerEpoch = (int) ((rows + BATCH - 1) / BATCH);
    Sgd sgd = new Sgd();
    OptimizerState state = sgd.initialise(params.length);
    try (GangEngine e = new GangEngine(jsc, data, mini, GangSettings.defaults())) {
      return timedEpoch(e, sgd, state, stepsPerEpoch, params);
    }
  }

  /**
   * The same epoch on the in-driver {@link LocalEngine}, which {@code train} picks under a local master
   * ({@code training.engine = auto}) when a copy of the cached rows fits a quarter of the heap, with a thread
   * per partition for batches of 1,024 rows and more: no sockets, the partitions' parts summed as above.
   */
  private static Steps localSteps(JavaRDD<PartitionData> data, Mlp model, long rows, double[] params) {
    PartitionWorker mini = new PartitionWorker(model, Losses.BCE, BATCH, 7, rows, BATCH, 0, 1);
    int stepsPerEpoch = (int) ((rows + BATCH - 1) / BATCH);
    Sgd sgd = new Sgd();
    try (LocalEngine e = new LocalEngine(data, mini, Runtime.getRuntime().availableProcessors())) {
      return timedEpoch(e, sgd, sgd.initialise(params.length), stepsPerEpoch, params);
    }
  }

  /** Warm-up steps, then one timed epoch of plain SGD steps on {@code e}; bytes are counted on a gang. */
  private static Steps timedEpoch(StepEngine e, Sgd sgd, OptimizerState state, int stepsPerEpoch, double[] params) {
    int[] changed = null;
    for (int s = 0; s < WARMUP_STEPS; s++) {
      changed = sgdStep(e, sgd, state, s / stepsPerEpoch, s % stepsPerEpoch, params, changed, null);
    }
    int epoch = WARMUP_STEPS / stepsPerEpoch + 1;
    GangEngine gang = e instanceof GangEngine g ? g : null;
    long[] in0 = gang != null ? gang.driverTraffic() : new long[2];
    double[] stepMs = new double[stepsPerEpoch];
    double[] bytes = new double[4]; // to each task, from the busiest task, touched entries, steps counted
    long cpu0 = StepTimes.processCpuNanos();
    long t0 = System.nanoTime();
    for (int s = 0; s < stepsPerEpoch; s++) {
      long t = System.nanoTime();
      changed = sgdStep(e, sgd, state, epoch, s, params, changed, gang != null ? bytes : null);
      stepMs[s] = (System.nanoTime() - t) / 1e6;
    }
    double epochS = (System.nanoTime() - t0) / 1e9;
    double cpuMs = (StepTimes.processCpuNanos() - cpu0) / 1e6;
    long[] in1 = gang != null ? gang.driverTraffic() : new long[2];
    Arrays.sort(stepMs);
    Steps out = new Steps();
    out.stepMs = stepMs[stepsPerEpoch / 2];
    out.epochS = epochS;
    out.cpuMsPerStep = cpuMs / stepsPerEpoch;
    out.steps = stepsPerEpoch;
    out.driverInPerStep = (in1[0] - in0[0]) / (double) stepsPerEpoch;
    out.driverOutPerStep = (in1[1] - in0[1]) / (double) stepsPerEpoch;
    out.toTaskPerStep = bytes[0] / stepsPerEpoch;
    out.fromBusiestTaskPerStep = bytes[1] / stepsPerEpoch;
    out.touchedPerStep = bytes[2] / stepsPerEpoch;
    return out;
  }

  /** One trainer-like step: exchange, mean gradient, plain SGD on the touched entries; returns them. */
  private static int[] sgdStep(StepEngine e, Sgd sgd, OptimizerState state, int epoch, int s, double[] params,
      int[] changed, double[] bytes) {
    StepResult r = e.step(epoch, s, params, changed);
    double inv = 1.0 / r.rows();
    if (bytes != null) {
      GangEngine gang = (GangEngine) e;
      bytes[0] += gang.lastStepBytesToEachTask();
      bytes[1] += Arrays.stream(gang.lastStepBytesFromEachTask()).max().orElse(0);
      bytes[2] += r.sparse() ? r.touched().length : params.length;
    }
    if (!r.sparse()) {
      double[] g = r.gradientSum();
      for (int i = 0; i < g.length; i++) {
        g[i] *= inv;
      }
      sgd.step(params, g, state, LR);
      return null;
    }
    double[] g = r.touchedSums();
    for (int j = 0; j < g.length; j++) {
      g[j] *= inv;
    }
    sgd.stepTouched(params, r.touched(), g, state, LR);
    return r.touched();
  }

  /** What {@link #miniBatchSteps} measured. */
  private static final class Steps {
    double stepMs;
    double epochS;
    int steps;
    double driverInPerStep;
    double driverOutPerStep;
    double toTaskPerStep;
    double fromBusiestTaskPerStep;
    double touchedPerStep;
    double cpuMsPerStep;
  }

  /**
   * {MLlib GD ms per full iteration, ms per 4,096-row iteration, and the process CPU ms of each}, each after a
   * warm-up.
   */
  private static double[] mllibMs(JavaRDD<Tuple2<Object, Vector>> ml, int features, long rows, int repeats,
      int steps) {
    Vector zeros = Vectors.zeros(features);
    GradientDescent.runMiniBatchSGD(ml.rdd(), new LogisticGradient(), new SimpleUpdater(), 0.5, 1, 0.0, 1.0, zeros);
    long cpu0 = StepTimes.processCpuNanos();
    long t0 = System.nanoTime();
    GradientDescent.runMiniBatchSGD(ml.rdd(), new LogisticGradient(), new SimpleUpdater(), 0.5, repeats, 0.0, 1.0,
        zeros);
    double full = (System.nanoTime() - t0) / 1e6 / repeats;
    double fullCpu = (StepTimes.processCpuNanos() - cpu0) / 1e6 / repeats;
    double fraction = Math.min(1.0, (double) BATCH / rows);
    GradientDescent.runMiniBatchSGD(ml.rdd(), new LogisticGradient(), new SimpleUpdater(), 0.5, 2, 0.0, fraction,
        zeros);
    cpu0 = StepTimes.processCpuNanos();
    t0 = System.nanoTime();
    GradientDescent.runMiniBatchSGD(ml.rdd(), new LogisticGradient(), new SimpleUpdater(), 0.5, steps, 0.0,
        fraction, zeros);
    double step = (System.nanoTime() - t0) / 1e6 / steps;
    double stepCpu = (StepTimes.processCpuNanos() - cpu0) / 1e6 / steps;
    return new double[] {full, step, fullCpu, stepCpu};
  }



  /** Our CSR blocks of the rows (values 1.0, as the LibSVM parser caches them), sized as training sizes them. */
  private static JavaRDD<PartitionData> blocks(JavaSparkContext jsc, SparseLogisticRows gen, long rows,
      int partitions) {
    List<Integer> ps = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      ps.add(p);
    }
    int d = gen.features();
    int nnz = gen.nnz();
    JavaRDD<PartitionData> data = jsc.parallelize(ps, partitions).map(p -> {
      long first = SplitRangePartitioner.firstId(p, partitions, rows);
      long end = SplitRangePartitioner.firstId(p + 1, partitions, rows);
      int blockRows = TrainingDataLoader.sparseBlockRows(0, nnz);
      List<Block> blocks = new ArrayList<>();
      for (long start = first; start < end; start += blockRows) {
        int n = (int) Math.min(blockRows, end - start);
        int[] rowStart = new int[n + 1];
        int[] col = new int[n * nnz];
        double[] values = new double[n * nnz];
        double[] y = new double[n];
        for (int r = 0; r < n; r++) {
          int[] c = gen.columns(start + r);
          System.arraycopy(c, 0, col, r * nnz, nnz);
          Arrays.fill(values, r * nnz, (r + 1) * nnz, 1.0);
          rowStart[r + 1] = (r + 1) * nnz;
          y[r] = gen.label(start + r, c);
        }
        blocks.add(Block.csr(rowStart, col, values, null, y, n, d, start));
      }
      return new PartitionData(p, blockRows, new Block[][] {blocks.toArray(new Block[0]), new Block[0], new Block[0]});
    });
    data.persist(StorageLevel.MEMORY_ONLY());
    data.count();
    return data;
  }

  /** MLlib's input: (label, SparseVector) pairs of the same rows. */
  private static JavaRDD<Tuple2<Object, Vector>> mllib(JavaSparkContext jsc, SparseLogisticRows gen, long rows,
      int partitions) {
    List<Integer> ps = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      ps.add(p);
    }
    int d = gen.features();
    JavaRDD<Tuple2<Object, Vector>> data = jsc.parallelize(ps, partitions).flatMap(p -> {
      long first = SplitRangePartitioner.firstId(p, partitions, rows);
      long end = SplitRangePartitioner.firstId(p + 1, partitions, rows);
      List<Tuple2<Object, Vector>> out = new ArrayList<>();
      for (long i = first; i < end; i++) {
        int[] c = gen.columns(i);
        double[] v = new double[c.length];
        Arrays.fill(v, 1.0);
        out.add(new Tuple2<>(gen.label(i, c), Vectors.sparse(d, c, v)));
      }
      return out.iterator();
    });
    data.persist(StorageLevel.MEMORY_ONLY());
    data.count();
    return data;
  }
}
