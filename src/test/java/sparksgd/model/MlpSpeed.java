package sparksgd.model;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Not a test: a throughput probe for one forward + backward pass of a 32-64-64-1 ReLU MLP (MSE), one
 * workspace per thread. Run with OPENBLAS_NUM_THREADS=1:
 * {@code java -cp target/classes:target/test-classes:<deps> sparksgd.model.MlpSpeed [threads] [chunkRows]}.
 */
public final class MlpSpeed {
  private MlpSpeed() {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int chunk = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
    int rowsPerThread = 262_144;
    Mlp net = args.length > 2 && args[2].equals("linear") ? Mlp.linear(32, 1)
        : new Mlp(32, new int[] {64, 64}, new Activation[] {Activation.RELU, Activation.RELU}, 1,
            Initializer.GLOROT_UNIFORM);
    double[] params = new double[net.numParams()];
    net.init(params, 1);
    SplittableRandom rnd = new SplittableRandom(2);
    double[] x = new double[rowsPerThread * 32];
    double[] y = new double[rowsPerThread];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextDouble(-1, 1);
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = rnd.nextDouble();
    }
    System.out.println("BLAS: " + Blas.implementationName() + ", " + net + ", threads " + threads
        + ", chunk " + chunk);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (int rep = 0; rep < 6; rep++) {
      long t0 = System.nanoTime();
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      Future<?>[] fs = new Future<?>[threads];
      long[] cpu = new long[threads];
      for (int t = 0; t < threads; t++) {
        int slot = t;
        fs[t] = pool.submit(() -> {
          long c0 = mx.getCurrentThreadCpuTime();
          Workspace ws = net.newWorkspace(chunk);
          double[] grad = new double[net.numParams()];
          net.addGradient(params, Batch.of(x, y, rowsPerThread, 32), Losses.MSE, grad, ws);
          cpu[slot] = mx.getCurrentThreadCpuTime() - c0;
        });
      }
      for (Future<?> f : fs) {
        f.get();
      }
      double s = (System.nanoTime() - t0) / 1e9;
      double cpuS = 0;
      for (long c : cpu) {
        cpuS += c / 1e9;
      }
      // Rows per CPU-second shows the code's speed when the shared machine is busy (wall time lies then).
      System.out.printf("rep %d: %.1f ms wall, %.2f M rows/s wall, %.2f M rows per CPU-second%n", rep, s * 1e3,
          threads * rowsPerThread / s / 1e6, threads * rowsPerThread / cpuS / 1e6);
    }
    pool.shutdown();
  }
}
