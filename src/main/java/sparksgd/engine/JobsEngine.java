package sparksgd.engine;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import sparksgd.data.PartitionData;
import sparksgd.data.Split;
import sparksgd.model.Metrics;

/**
 * The reference engine: one Spark job per step. Parameters travel in the task closure (small
 * models) or as a broadcast (large ones), whole every step; each partition returns its sums
 * ({@link StepParts}: sparse when that is smaller) and the driver adds them in partition order. Simple and robust; pays Spark's scheduling cost (~10-20 ms) every step.
 */
public final class JobsEngine implements StepEngine {
  private static final int CLOSURE_LIMIT = 1 << 17; // doubles; above this a broadcast is cheaper
  private final JavaSparkContext jsc;
  private final JavaRDD<PartitionData> data;
  private final PartitionWorker worker;
  private final GradientSum sum;

  public JobsEngine(JavaSparkContext jsc, JavaRDD<PartitionData> data, PartitionWorker worker) {
    this.jsc = jsc;
    this.data = data;
    this.worker = worker;
    this.sum = new GradientSum(worker.resultWidth() - 2);
  }

  @Override
  public Metrics metrics() {
    return worker.metrics();
  }

  @Override
  public String name() {
    return "jobs";
  }

  @Override
  public StepResult step(int epoch, int step, double[] params) {
    PartitionWorker w = worker;
    if (w.float32()) {
      // float32: parameters out and gradient sums back at 4 bytes a value (the loss sum stays double).
      CompactDoubles p = CompactDoubles.of(params);
      List<CompactDoubles> packed;
      if (params.length <= 2 * CLOSURE_LIMIT) {
        packed = data.map(d -> CompactDoubles.of(w.stepPart(d, epoch, step, p.toArray(), null))).collect();
      } else {
        Broadcast<CompactDoubles> b = jsc.broadcast(p);
        packed = data.map(d -> CompactDoubles.of(w.stepPart(d, epoch, step, b.value().toArray(), null))).collect();
        b.destroy();
      }
      return sum.add(packed.stream().map(CompactDoubles::toArray).toList());
    }
    List<double[]> parts;
    if (params.length <= CLOSURE_LIMIT) {
      double[] p = params.clone();
      parts = data.map(d -> w.stepPart(d, epoch, step, p, null)).collect();
    } else {
      Broadcast<double[]> b = jsc.broadcast(params);
      parts = data.map(d -> w.stepPart(d, epoch, step, b.value(), null)).collect();
      b.destroy();
    }
    return sum.add(parts);
  }

  @Override
  public double[] evaluate(Split split, double[] params) {
    PartitionWorker w = worker;
    double[] p = params.clone();
    return Combine.sums(data.map(d -> w.evaluate(d, split, p)).collect(), w.metrics().width());
  }

  @Override
  public void close() {}
}
