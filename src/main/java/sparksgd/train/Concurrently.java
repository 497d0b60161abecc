package sparksgd.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a batch of driver-side tasks (cross-validation folds, sweep trials, ASHA slots) on a fixed number
 * of daemon threads, each of which submits its own Spark jobs, and waits for all of them. The first
 * failure, in task order, is rethrown as it was (a checked one wrapped); the pool never outlives the call.
 */
public final class Concurrently {
  private Concurrently() {}

  /**
   * The tasks' results in task order.
   *
   * @param onFailure run before the pool is shut down when a task failed or the wait was interrupted
   * @throws InterruptedException when this thread is interrupted while waiting
   */
  public static <T> List<T> run(int threads, String threadName, List<Callable<T>> tasks, Runnable onFailure)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(pool.submit(task));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      onFailure.run();
      throw e;
    } catch (ExecutionException e) {
      onFailure.run();
      Throwable c = e.getCause();
      throw c instanceof RuntimeException re ? re : new IllegalStateException(c);
    } finally {
      pool.shutdownNow();
    }
  }
}
