package sparksgd.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import sparksgd.data.Block;
import sparksgd.data.EpochPlan;
import sparksgd.data.PartitionData;
import sparksgd.data.Split;
import sparksgd.model.Losses;
import sparksgd.model.Mlp;
import sparksgd.model.Model;

/**
 * A quick sanity check of per-step cost, not the benchmark: median ms per synchronous step of both
 * engines on 404 x 13 synthetic rows (Boston size), batch 16, 2 partitions, the Keras Boston model
 * (MLP 13-64-64-1, ReLU, mse: 5,121 parameters).
 * Also checks that both engines gave bit-identical gradients for the measured steps.
 *
 * <p>{@code java -cp ... sparksgd.engine.StepLatencyProbe [master=local[2]] [gangSteps=2000] [jobsSteps=200] [hidden=64]}
 */
public final class StepLatencyProbe {
  private StepLatencyProbe() {}

  public static void main(String[] args) {
    String master = args.length > 0 ? args[0] : "local[2]";
    int gangSteps = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int jobsSteps = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int hidden = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    int rows = 404;
    int d = 13;
    int batch = 16;
    SparkSession spark = SparkSession.builder().master(master).appName("step-latency-probe")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.stage.maxConsecutiveAttempts", "100")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      JavaRDD<PartitionData> data = jsc.parallelize(syntheticData(rows, d, 2, 7), 2).cache();
      data.count();
      Model model = Mlp.of(d, List.of(hidden, hidden), List.of("relu", "relu"), "glorot-uniform", 1);
      PartitionWorker worker = new PartitionWorker(model, Losses.MSE, batch, 1, rows, 64, 0, 1);
      double[] params = new double[model.numParams()];
      model.init(params, 42);
      int perEpoch = EpochPlan.stepsPerEpoch(rows, batch);
      System.out.printf(Locale.ROOT, "%d rows x %d features, batch %d, %d parameters, %d partitions, %s%n", rows, d,
          batch, model.numParams(), data.getNumPartitions(), master);

      // The arithmetic alone: both partitions' share of a step, one after the other, on this thread.
      List<PartitionData> local = syntheticData(rows, d, 2, 7);
      PartitionWorker direct = new PartitionWorker(model, Losses.MSE, batch, 1, rows, 64, 0, 1);
      double[] computeMs = new double[gangSteps];
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < gangSteps; i++) {
          long t = System.nanoTime();
          for (PartitionData pd : local) {
            direct.step(pd, i / perEpoch, i % perEpoch, params);
          }
          computeMs[i] = (System.nanoTime() - t) / 1e6;
        }
      }
      print("compute only (both partitions, one thread)", computeMs);

      List<double[]> jobsGrads = new ArrayList<>();
      double[] jobsMs;
      try (JobsEngine jobs = new JobsEngine(jsc, data, worker)) {
        run(jobs, params, perEpoch, Math.max(10, jobsSteps / 10), null);
        jobsMs = run(jobs, params, perEpoch, jobsSteps, jobsGrads);
      }
      List<double[]> gangGrads = new ArrayList<>();
      double[] gangMs;
      long start = System.nanoTime();
      try (GangEngine gang = new GangEngine(jsc, data, worker)) {
        double startMs = (System.nanoTime() - start) / 1e6;
        System.out.printf(Locale.ROOT, "gang start-up (job submitted, all tasks connected): %.0f ms%n", startMs);
        run(gang, params, perEpoch, Math.max(200, gangSteps / 5), null);
        gangMs = run(gang, params, perEpoch, gangSteps, gangGrads);
      }
      boolean same = true;
      for (int i = 0; i < Math.min(jobsGrads.size(), gangGrads.size()); i++) {
        same &= Arrays.equals(jobsGrads.get(i), gangGrads.get(i));
      }
      print("jobs", jobsMs);
      print("gang", gangMs);
      System.out.printf(Locale.ROOT, "gang / jobs median: %.1fx faster; first %d gradients bit-identical: %s%n",
          median(jobsMs) / median(gangMs), Math.min(jobsGrads.size(), gangGrads.size()), same);
      System.out.printf(Locale.ROOT, "issue 10 target, gang median <= 0.5 ms per step: %s (load average %.2f)%n",
          median(gangMs) <= 0.5 ? "met" : "NOT met",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    } finally {
      spark.stop();
    }
  }

  /** Steps at fixed parameters (the probe measures transport, not training); ms per step. */
  private static double[] run(StepEngine engine, double[] params, int perEpoch, int steps, List<double[]> grads) {
    double[] ms = new double[steps];
    for (int i = 0; i < steps; i++) {
      long t = System.nanoTime();
      StepResult r = engine.step(i / perEpoch, i % perEpoch, params);
      ms[i] = (System.nanoTime() - t) / 1e6;
      if (grads != null) {
        grads.add(r.gradientSum());
      }
    }
    return ms;
  }

  private static void print(String name, double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    System.out.printf(Locale.ROOT, "%s: %d steps, median %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms%n", name,
        s.length, median(ms), s[(int) (s.length * 0.9)], s[(int) (s.length * 0.99)], s[s.length - 1]);
  }

  private static double median(double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static List<PartitionData> syntheticData(int rows, int d, int partitions, long seed) {
    Random r = new Random(seed);
    List<PartitionData> out = new ArrayList<>();
    int blockRows = 128;
    long id = 0;
    for (int p = 0; p < partitions; p++) {
      int n = (int) ((long) rows * (p + 1) / partitions - (long) rows * p / partitions);
      List<Block> blocks = new ArrayList<>();
      for (int from = 0; from < n; from += blockRows) {
        int k = Math.min(blockRows, n - from);
        double[] x = new double[k * d];
        double[] y = new double[k];
        for (int i = 0; i < x.length; i++) {
          x[i] = r.nextGaussian();
        }
        for (int i = 0; i < k; i++) {
          y[i] = x[i * d] - 0.5 * x[i * d + 1] + 0.1 * r.nextGaussian();
        }
        blocks.add(new Block(x, y, k, d, id));
        id += k;
      }
      out.add(new PartitionData(p, blockRows, new Block[][] {blocks.toArray(new Block[0]), new Block[0], new Block[0]}));
    }
    return out;
  }
}
