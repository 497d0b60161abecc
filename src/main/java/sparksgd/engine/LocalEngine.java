package sparksgd.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.apache.spark.api.java.JavaRDD;
import sparksgd.data.PartitionData;
import sparksgd.data.Split;
import sparksgd.model.Metrics;

/**
 * Every partition's step computed in the driver's own JVM, over a copy of the cached partitions. Under a
 * local master the tasks would run in this JVM anyway; here a step costs its arithmetic instead of a
 * round trip through the scheduler ({@link JobsEngine}) or the gang's sockets and thread hand-offs
 * ({@code GangEngine}), which dominate small models (a Boston step: about 0.02 ms of math). The
 * partitions keep their rows and their order, and their sums are added in partition order as in the
 * other engines, so the parameters are bit-identical whichever engine ran.
 */
public final class LocalEngine implements StepEngine {
  private final List<PartitionData> partitions;
  private final PartitionWorker[] workers; // one per partition: a worker keeps scratch buffers
  private final Metrics metrics;
  private final ExecutorService pool; // null: the calling thread does every partition
  // Reused every step (see PartitionWorker.stepInto): a step's gradient is read before the next step.
  private final double[][] parts;
  private final double[] grad;
  private final GradientSum sum; // sums sparse parts (StepParts) in partition order

  /**
   * @param threads partitions computed at once; 1 (small batches, where a hand-off costs more than
   *     the math) runs them one after the other on the calling thread
   */
  public LocalEngine(JavaRDD<PartitionData> data, PartitionWorker worker, int threads) {
    this.partitions = collected(data); // one PartitionData per partition, in partition order
    this.workers = new PartitionWorker[partitions.size()];
    for (int p = 0; p < workers.length; p++) {
      workers[p] = copy(worker);
    }
    this.metrics = worker.metrics();
    int width = worker.resultWidth();
    this.parts = new double[workers.length][width];
    this.grad = new double[width - 2];
    this.sum = new GradientSum(width - 2);
    int n = Math.max(1, Math.min(threads, partitions.size()));
    this.pool = n > 1 ? Executors.newFixedThreadPool(n, r -> {
      Thread t = new Thread(r, "spark-sgd-local-engine");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public Metrics metrics() {
    return metrics;
  }

  @Override
  public StepResult step(int epoch, int step, double[] params) {
    // Dense parts are this engine's own arrays and their sum goes into its own buffers (no garbage per step:
    // see PartitionWorker.stepInto); the result's gradient is valid until the next step, and the trainer
    // uses it at once. Sparse parts (StepParts) are summed by GradientSum, in partition order either way.
    List<double[]> out = each(p -> workers[p].stepPart(partitions.get(p), epoch, step, params, parts[p]));
    boolean dense = true;
    for (int p = 0; p < out.size(); p++) {
      dense &= out.get(p) == parts[p];
    }
    return dense ? Combine.stepsInto(out, params.length, grad) : sum.add(out);
  }

  @Override
  public double[] evaluate(Split split, double[] params) {
    return Combine.sums(each(p -> workers[p].evaluate(partitions.get(p), split, params)), metrics.width());
  }

  /** {@code f} of every partition, in partition order; the partitions in parallel when there is a pool. */
  private List<double[]> each(IntFunction<double[]> f) {
    List<double[]> out = new ArrayList<>(partitions.size());
    if (pool == null) {
      for (int p = 0; p < partitions.size(); p++) {
        out.add(f.apply(p));
      }
      return out;
    }
    List<Future<double[]>> futures = new ArrayList<>(partitions.size());
    for (int p = 0; p < partitions.size(); p++) {
      int part = p;
      futures.add(pool.submit(() -> f.apply(part)));
    }
    try {
      for (Future<double[]> fu : futures) {
        out.add(fu.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during a step", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
    return out;
  }

  /**
   * Collected once per RDD: the cached rows are read-only (Spark's tasks share them the same way), and a
   * sweep or an ASHA rung starts thousands of short trainings on one cache, each else paying a Spark job.
   */
  private static final java.util.Map<org.apache.spark.rdd.RDD<?>, List<PartitionData>> COLLECTED =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  private static List<PartitionData> collected(JavaRDD<PartitionData> data) {
    return COLLECTED.computeIfAbsent(data.rdd(), r -> List.copyOf(data.collect()));
  }

  /** A private copy, as a Spark task would deserialize its own. */
  private static PartitionWorker copy(PartitionWorker w) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(w);
      }
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        return (PartitionWorker) in.readObject();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the partition worker", e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
