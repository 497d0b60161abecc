package sparksgd.bench;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import sparksgd.data.PartitionData;
import sparksgd.engine.PartitionWorker;
import sparksgd.engine.StepEngine;
import sparksgd.engine.gang.GangEngine;
import sparksgd.engine.gang.GangSettings;
import sparksgd.model.Losses;
import sparksgd.model.Mlp;
import sparksgd.train.TrainingRun;

/**
 * Full-batch gradient passes of one model in float64 and in float32 on the gang engine, timed in alternating
 * rounds (float64, float32, float64, float32): the 2-core machine's speed drifts over a minute (other
 * virtual machines on the host), and a slow spell should land on both precisions, not on whichever was
 * timed then. Each round warms up (at least {@code warmup} passes and {@code warmupSeconds}: the JIT's
 * compiler threads share the cores with the tasks), collects garbage, then times {@code repeats} passes.
 */
final class PrecisionPasses {
  static final int ROUNDS = 2;

  /** Median wall ms and process CPU ms per pass, of all timed passes of one precision. */
  record Times(double ms, double cpuMs) {}

  record Result(Times f64, Times f32) {}

  private PrecisionPasses() {}

  /** Both data sets stay cached until the last round, then are unpersisted. */
  static Result measure(JavaSparkContext jsc, long rows, JavaRDD<PartitionData> data64, Mlp model64, double[] params64,
      JavaRDD<PartitionData> data32, Mlp model32, double[] params32, int warmup, double warmupSeconds, int repeats) {
    double[][] ms = new double[2][ROUNDS * repeats];
    double[] cpu = new double[2];
    try {
      for (int round = 0; round < ROUNDS; round++) {
        for (int p = 0; p < 2; p++) {
          Mlp model = p == 0 ? model64 : model32;
          double[] params = p == 0 ? params64 : params32;
          PartitionWorker worker = new PartitionWorker(model, Losses.MSE, (int) Math.min(Integer.MAX_VALUE, rows), 7,
              rows, TrainingRun.chunkRows(model), 0, 1);
          try (StepEngine e = new GangEngine(jsc, p == 0 ? data64 : data32, worker, GangSettings.defaults())) {
            StepTimes.warmFor(warmup, warmupSeconds, i -> e.step(0, 0, params));
            System.gc(); // the garbage of building and caching the rows, not during a timed pass
            long cpu0 = StepTimes.processCpuNanos();
            double[] t = StepTimes.timesMs(repeats, i -> e.step(0, 0, params));
            cpu[p] += StepTimes.processCpuNanos() - cpu0;
            System.arraycopy(t, 0, ms[p], round * repeats, repeats);
          }
        }
      }
    } finally {
      data64.unpersist(true);
      data32.unpersist(true);
    }
    int n = ROUNDS * repeats;
    return new Result(new Times(StepTimes.median(ms[0]), cpu[0] / 1e6 / n),
        new Times(StepTimes.median(ms[1]), cpu[1] / 1e6 / n));
  }
}
