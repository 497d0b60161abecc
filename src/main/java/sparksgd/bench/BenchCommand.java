package sparksgd.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.feature.LabeledPoint;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.optimization.GradientDescent;
import org.apache.spark.mllib.optimization.LeastSquaresGradient;
import org.apache.spark.mllib.optimization.SimpleUpdater;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.Tuple2;
import sparksgd.data.PartitionData;
import sparksgd.data.SyntheticRows;
import sparksgd.engine.gang.GangEngine;
import sparksgd.engine.gang.GangSettings;
import sparksgd.engine.JobsEngine;
import sparksgd.engine.PartitionWorker;
import sparksgd.engine.SparkSessions;
import sparksgd.engine.StepEngine;
import sparksgd.job.SparkSpec;
import sparksgd.model.Blas;
import sparksgd.model.Losses;
import sparksgd.model.Mlp;
import sparksgd.model.Precision;
import sparksgd.train.TrainingRun;
import sparksgd.store.HadoopFiles;

/**
 * {@code bench}: our engines against MLlib on the same cached data in one JVM, with fixed seeds,
 * warm-up and repeats; prints medians and ratios and writes {@code bench.json}. Not a test: timings
 * belong here, never in assertions.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark: step latency, full-batch linear pass, MLP pass and cached bytes, against MLlib.")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--master", defaultValue = "local[2]", description = "Spark master (default ${DEFAULT-VALUE}).")
  String master;

  @Option(names = "--out", defaultValue = "runs/bench", description = "Folder for bench.json (default ${DEFAULT-VALUE}).")
  String out;

  @Option(names = "--rows", defaultValue = "2000000", description = "Rows of the linear full-pass part.")
  long linearRows;

  @Option(names = "--mlp-rows", defaultValue = "500000", description = "Rows of the MLP full-pass part.")
  long mlpRows;

  @Option(names = "--sparse-rows", defaultValue = "1000000",
      description = "Rows of the sparse part (2^20 features, 40 nonzeros a row; default ${DEFAULT-VALUE}).")
  long sparseRows;

  @Option(names = "--repeats", defaultValue = "11", description = "Timed repeats of each full pass (default ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--quick", description = "Small sizes for a smoke run (numbers are not meaningful).")
  boolean quick;

  @Option(names = "--only", split = ",", description = "Parts to run: step, linear, mlp, sweep (default these four);"
      + " exchange (gradient exchange, driver vs allreduce: run it on a cluster with --exchange-partitions slots);"
      + " sparse (logistic regression on sparse rows against MLlib, --sparse-rows).")
  List<String> only = List.of("step", "linear", "mlp", "sweep");

  @Option(names = "--exchange-partitions", split = ",", defaultValue = "2,4,8",
      description = "Partition counts of the exchange part (default ${DEFAULT-VALUE}).")
  List<Integer> exchangePartitions;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  private final ObjectMapper mapper = new ObjectMapper();
  /**
   * Untimed passes before the timed ones, for both precisions: after a single one (about a thousand blocks
   * per partition) the JIT may still be compiling the path being timed, which the two cores then share.
   * Measured on the 2-core machine: after 3 passes the float32 linear pass still took 1.1-1.4x its steady
   * time (the compiler's CPU time counted in it), hence also a minimum warm-up time.
   */
  private static final int PASS_WARMUP = 3;
  private static final double PASS_WARMUP_SECONDS = 2.0;

  @Override
  public Integer call() throws Exception {
    if (quick) {
      linearRows = 20_000;
      mlpRows = 10_000;
      repeats = 2;
      sparseRows = 20_000;
    }
    SparkSession spark = SparkSessions.create(new SparkSpec(master, "spark-sgd-bench", Map.of()), master);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ObjectNode root = mapper.createObjectNode();
    root.put("master", master);
    root.put("cores", Runtime.getRuntime().availableProcessors());
    root.put("java", System.getProperty("java.version"));
    root.put("spark", spark.version());
    root.put("blas", Blas.describe());
    System.out.printf(Locale.ROOT, "spark-sgd bench: %s, %d cores, Java %s, Spark %s, BLAS %s%n", master,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), spark.version(), Blas.describe());
    if (only.contains("step")) {
      root.set("step", stepLatency(jsc));
    }
    if (only.contains("linear")) {
      root.set("linear", linearPass(jsc));
    }
    if (only.contains("mlp")) {
      root.set("mlp", mlpPass(jsc, spark));
    }
    if (only.contains("sweep")) {
      root.set("sweep", SweepBench.run(jsc, spark, mapper, quick));
    }
    if (only.contains("sparse")) {
      root.set("sparse", SparseBench.run(jsc, mapper, sparseRows, 1 << 20, 40, repeats));
    }
    if (only.contains("exchange")) {
      root.set("exchange", ExchangeBench.run(jsc, mapper, quick, exchangePartitions));
    }
    HadoopFiles.writeStringAtomically(jsc.hadoopConfiguration(), HadoopFiles.path(out + "/bench.json"),
        mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    System.out.println("wrote " + out + "/bench.json");
    return 0;
  }

  /** 1. Boston-size data (404 x 13), MLP 13-64-64-1, batch 16: ms per synchronous step. */
  private ObjectNode stepLatency(JavaSparkContext jsc) {
    int rows = 404;
    int steps = quick ? 200 : 2080;
    SyntheticRows gen = SyntheticRows.teacher(1, 13, 8, 0.1);
    JavaRDD<PartitionData> data = BenchData.blocks(jsc, gen, rows, 2);
    Mlp mlp = Mlp.of(13, List.of(64, 64), List.of("relu", "relu"), "glorot-uniform", 1);
    PartitionWorker worker = new PartitionWorker(mlp, Losses.MSE, 16, 7, rows, 1024, 0, 1);
    double[] params = new double[mlp.numParams()];
    mlp.init(params, 7);
    ObjectNode n = mapper.createObjectNode();
    double gang;
    double keras;
    try (StepEngine e = new GangEngine(jsc, data, worker, GangSettings.defaults())) {
      gang = medianStepMs(e, params, 200, steps);
      long t0 = System.nanoTime();
      for (int epoch = 0; epoch < 80; epoch++) { // the Keras Boston job's steps: 80 epochs x 26 steps
        for (int s = 0; s < 26; s++) {
          e.step(epoch, s, params);
        }
      }
      keras = (System.nanoTime() - t0) / 1e9;
    }
    double jobs;
    try (StepEngine e = new JobsEngine(jsc, data, worker)) {
      jobs = medianStepMs(e, params, 20, quick ? 20 : 150);
    }
    JavaRDD<Tuple2<Object, Vector>> ml = BenchData.mllib(jsc, gen, rows, 2, false);
    int iters = quick ? 20 : 150;
    GradientDescent.runMiniBatchSGD(ml.rdd(), new LeastSquaresGradient(), new SimpleUpdater(), 0.01, 10, 0.0, 16.0 / rows,
        zeros(13));
    long t0 = System.nanoTime();
    GradientDescent.runMiniBatchSGD(ml.rdd(), new LeastSquaresGradient(), new SimpleUpdater(), 0.01, iters, 0.0,
        16.0 / rows, zeros(13));
    double mllib = (System.nanoTime() - t0) / 1e6 / iters;
    data.unpersist(true);
    ml.unpersist(true);
    n.put("gang_ms_median", gang);
    n.put("jobs_ms_median", jobs);
    n.put("mllib_gd_ms_per_iteration", mllib);
    n.put("mllib_over_gang", mllib / gang);
    n.put("keras_boston_2080_steps_seconds", keras);
    System.out.printf(Locale.ROOT, "%n1. step latency, 404 x 13, MLP 13-64-64-1, batch 16, 2 partitions%n"
        + "   gang engine   %8.3f ms/step (median of %d)%n   jobs engine   %8.3f ms/step%n"
        + "   MLlib GD      %8.3f ms/iteration (runMiniBatchSGD, fraction 16/404)%n"
        + "   MLlib / gang  %8.1fx%n   Keras Boston job's 2,080 steps on the gang engine: %.2f s (PyTorch CPU: 0.7 s)%n",
        gang, steps, jobs, mllib, mllib / gang, keras);
    return n;
  }

  private static double medianStepMs(StepEngine e, double[] params, int warmup, int steps) {
    StepTimes.warm(warmup, i -> e.step(0, i % 26, params));
    return StepTimes.medianMs(steps, i -> e.step(1 + i / 26, i % 26, params));
  }

  /** 2. One full-batch linear gradient pass over rows x 32 (ours: one step with batch >= rows). */
  private ObjectNode linearPass(JavaSparkContext jsc) {
    SyntheticRows gen = SyntheticRows.linear(3, 32, null, 1, 0.1);
    JavaRDD<PartitionData> data = BenchData.blocks(jsc, gen, linearRows, 2);
    // Exact bytes of our arrays: Spark's SizeEstimator samples arrays of more than 400 objects (a
    // partition holds about a thousand blocks) and misses by several percent either way.
    long oursEstimate = BenchData.cachedBytes(jsc, data);
    long ours = data.map(PartitionData::bytes).reduce(Long::sum);
    Mlp linear = Mlp.linear(32, 1);
    double[] params = new double[linear.numParams()];
    // The same rows as float32 blocks and a float32 model (sgemv over float rows).
    JavaRDD<PartitionData> data32 = BenchData.blocks(jsc, gen, linearRows, 2, Precision.FLOAT32);
    long ours32 = data32.map(PartitionData::bytes).reduce(Long::sum);
    double[] probeBefore = HostProbe.measure(quick ? 0.3 : 1.0);
    PrecisionPasses.Result passes = PrecisionPasses.measure(jsc, linearRows, data, linear, params, data32,
        linear.withPrecision(Precision.FLOAT32), params, PASS_WARMUP, quick ? 0 : PASS_WARMUP_SECONDS, repeats);
    double[] probeAfter = HostProbe.measure(quick ? 0.3 : 1.0);
    double oursMs = passes.f64().ms();
    double oursCpu = passes.f64().cpuMs();
    double ours32Ms = passes.f32().ms();
    double ours32Cpu = passes.f32().cpuMs();
    JavaRDD<Tuple2<Object, Vector>> ml = BenchData.mllib(jsc, gen, linearRows, 2, false);
    long theirs = BenchData.cachedBytes(jsc, ml);
    GradientDescent.runMiniBatchSGD(ml.rdd(), new LeastSquaresGradient(), new SimpleUpdater(), 0.01, 1, 0.0, 1.0, zeros(32));
    long t0 = System.nanoTime();
    GradientDescent.runMiniBatchSGD(ml.rdd(), new LeastSquaresGradient(), new SimpleUpdater(), 0.01, repeats, 0.0, 1.0,
        zeros(32));
    double mllibMs = (System.nanoTime() - t0) / 1e6 / repeats;
    ml.unpersist(true);
    long raw = 8L * linearRows * 33;
    ObjectNode n = mapper.createObjectNode();
    n.put("rows", linearRows);
    n.put("ours_ms_per_pass", oursMs);
    n.put("mllib_gd_ms_per_iteration", mllibMs);
    n.put("ours_over_mllib", oursMs / mllibMs);
    n.put("raw_bytes", raw);
    n.put("ours_cached_bytes", ours);
    n.put("ours_spark_estimate_bytes", oursEstimate);
    n.put("mllib_cached_bytes", theirs);
    n.put("ours_f32_ms_per_pass", ours32Ms);
    n.put("f32_over_f64", ours32Ms / oursMs);
    n.put("ours_f32_cached_bytes", ours32);
    n.put("ours_f32_cached_over_raw", (double) ours32 / raw);
    n.put("ours_cpu_ms_per_pass", oursCpu);
    n.put("ours_f32_cpu_ms_per_pass", ours32Cpu);
    n.put("f32_over_f64_cpu", ours32Cpu / oursCpu);
    n.put("host_probe_sgemv_us_before", probeBefore[0]);
    n.put("host_probe_dgemv_us_before", probeBefore[1]);
    n.put("host_probe_sgemv_us_after", probeAfter[0]);
    n.put("host_probe_dgemv_us_after", probeAfter[1]);
    System.out.printf(Locale.ROOT, "%n2. full-batch linear gradient pass, %,d x 32%n"
        + "   ours          %8.1f ms/pass (median of %d in 2 alternating rounds)%n   MLlib GD      %8.1f ms/iteration (fraction 1.0)%n"
        + "   ours / MLlib  %8.2fx%n%n3. cached training data, %,d x 32%n   raw doubles   %8.1f MB%n"
        + "   ours          %8.1f MB (%.2fx raw; exact array bytes, Spark's sampled estimate %.1f MB)%n"
        + "   MLlib RDD     %8.1f MB (%.2fx raw; Spark's estimate)%n",
        linearRows, oursMs, PrecisionPasses.ROUNDS * repeats, mllibMs, oursMs / mllibMs, linearRows, raw / 1e6, ours / 1e6, (double) ours / raw,
        oursEstimate / 1e6,
        theirs / 1e6, (double) theirs / raw);
    System.out.printf(Locale.ROOT, "   float32: pass %8.1f ms (%.2fx the float64 pass); cached %8.1f MB (%.3fx raw doubles)%n",
        ours32Ms, ours32Ms / oursMs, ours32 / 1e6, (double) ours32 / raw);
    System.out.printf(Locale.ROOT, "   process CPU time per pass: float64 %.1f ms, float32 %.1f ms (%.2fx)%n", oursCpu,
        ours32Cpu, ours32Cpu / oursCpu);
    System.out.printf(Locale.ROOT, "   host speed probe (one thread, in-cache sgemv / dgemv of a 2,048 x 32 block): "
        + "%.1f / %.1f us before the passes, %.1f / %.1f us after (README, Precision)%n", probeBefore[0],
        probeBefore[1], probeAfter[0], probeAfter[1]);
    return n;
  }

  /** 4. One full pass of a 32-64-64-1 MLP over mlpRows rows vs MLlib MLPC (gd) per iteration. */
  private ObjectNode mlpPass(JavaSparkContext jsc, SparkSession spark) {
    SyntheticRows gen = SyntheticRows.teacher(5, 32, 16, 0.1);
    JavaRDD<PartitionData> data = BenchData.blocks(jsc, gen, mlpRows, 2);
    Mlp mlp = Mlp.of(32, List.of(64, 64), List.of("relu", "relu"), "glorot-uniform", 1);
    double[] params = new double[mlp.numParams()];
    mlp.init(params, 7);
    JavaRDD<PartitionData> data32 = BenchData.blocks(jsc, gen, mlpRows, 2, Precision.FLOAT32);
    Mlp mlp32 = mlp.withPrecision(Precision.FLOAT32);
    double[] params32 = new double[mlp32.numParams()];
    mlp32.init(params32, 7);
    PrecisionPasses.Result passes = PrecisionPasses.measure(jsc, mlpRows, data, mlp, params, data32, mlp32, params32,
        PASS_WARMUP, quick ? 0 : PASS_WARMUP_SECONDS, repeats);
    double oursMs = passes.f64().ms();
    double oursCpu = passes.f64().cpuMs();
    double ours32Ms = passes.f32().ms();
    double ours32Cpu = passes.f32().cpuMs();
    JavaRDD<LabeledPoint> points = BenchData.mllib(jsc, gen, mlpRows, 2, true)
        .map(t -> new LabeledPoint((Double) t._1(), t._2().asML()));
    Dataset<Row> df = spark.createDataFrame(points, LabeledPoint.class).cache();
    df.count();
    int a = 1;
    int extra = quick ? 1 : 3;
    fitSeconds(df, a); // warm-up: JIT and MLPC's stacked copy of the data, so the difference is iterations only
    double tA = fitSeconds(df, a);
    double tB = fitSeconds(df, a + extra);
    // A difference of fits is only a time per iteration when it is clearly above timing noise; --quick's
    // single extra iteration can measure 0 or less, and a ratio to that would be meaningless.
    boolean measurable = tB - tA > 0.05 * tA && tB - tA > 0.005;
    double mlpcMs = (tB - tA) / extra * 1000;
    df.unpersist(true);
    ObjectNode n = mapper.createObjectNode();
    n.put("rows", mlpRows);
    n.put("ours_ms_per_pass", oursMs);
    n.put("ours_rows_per_second", mlpRows / (oursMs / 1000));
    if (measurable) {
      n.put("mllib_mlpc_gd_ms_per_iteration", mlpcMs);
      n.put("ours_over_mllib", oursMs / mlpcMs);
      n.put("ours_f32_over_mllib", ours32Ms / mlpcMs);
    } else {
      n.putNull("mllib_mlpc_gd_ms_per_iteration");
      n.putNull("ours_over_mllib");
      n.putNull("ours_f32_over_mllib");
    }
    n.put("ours_f32_ms_per_pass", ours32Ms);
    n.put("ours_f32_rows_per_second", mlpRows / (ours32Ms / 1000));
    n.put("f32_over_f64", ours32Ms / oursMs);
    n.put("ours_cpu_ms_per_pass", oursCpu);
    n.put("ours_f32_cpu_ms_per_pass", ours32Cpu);
    n.put("f32_over_f64_cpu", ours32Cpu / oursCpu);
    System.out.printf(Locale.ROOT, "%n4. MLP 32-64-64-1, one full pass over %,d rows%n"
        + "   ours          %8.1f ms/pass = %.2f M rows/s (median of %d in 2 alternating rounds)%n", mlpRows, oursMs,
        mlpRows / (oursMs / 1000) / 1e6, PrecisionPasses.ROUNDS * repeats);
    if (measurable) {
      System.out.printf(Locale.ROOT, "   MLlib MLPC    %8.1f ms/iteration (solver gd, layers 32-64-64-2; "
          + "(t(%d iters) - t(%d)) / %d)%n   ours / MLlib  %8.2fx%n", mlpcMs, a + extra, a, extra, oursMs / mlpcMs);
    } else {
      System.out.printf(Locale.ROOT, "   MLlib MLPC    not measurable in this run: t(%d iters) - t(%d) = %.1f ms is "
          + "within timing noise (run without --quick); no ratio%n", a + extra, a, (tB - tA) * 1000);
    }
    System.out.printf(Locale.ROOT, "   float32       %8.1f ms/pass = %.2f M rows/s (%.2fx the float64 pass)%n",
        ours32Ms, mlpRows / (ours32Ms / 1000) / 1e6, ours32Ms / oursMs);
    System.out.printf(Locale.ROOT, "   process CPU time per pass: float64 %.1f ms, float32 %.1f ms (%.2fx)%n", oursCpu,
        ours32Cpu, ours32Cpu / oursCpu);
    return n;
  }

  private static Vector zeros(int d) {
    return org.apache.spark.mllib.linalg.Vectors.zeros(d);
  }

  private static double fitSeconds(Dataset<Row> df, int iters) {
    long t0 = System.nanoTime();
    new MultilayerPerceptronClassifier().setLayers(new int[] {32, 64, 64, 2}).setSolver("gd").setMaxIter(iters)
        .setTol(0).setStepSize(0.03).setSeed(1).fit(df);
    return (System.nanoTime() - t0) / 1e9;
  }
}
