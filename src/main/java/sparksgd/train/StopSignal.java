package sparksgd.train;

/**
 * A request to stop training at the next step boundary (SIGTERM, Ctrl-C), and the hand-shake that
 * lets whoever asked wait until the stop point has been saved.
 */
public final class StopSignal {
  private volatile boolean requested;
  private final java.util.concurrent.CountDownLatch saved = new java.util.concurrent.CountDownLatch(1);

  public void request() {
    requested = true;
  }

  public boolean requested() {
    return requested;
  }

  /** Called by the trainer's owner once the state at the stop point is safely written (or training ended). */
  public void markSaved() {
    saved.countDown();
  }

  public boolean awaitSaved(long millis) throws InterruptedException {
    return saved.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /**
   * Requests a stop when the JVM shuts down (SIGTERM, Ctrl-C) and holds the shutdown up to 50 s until
   * {@link #markSaved}; runs before Spark's own hooks, which stop the SparkContext. Closing marks the
   * stop point saved and removes the hook.
   */
  public Registration stopOnShutdown() {
    Runnable hook = () -> {
      request();
      try {
        awaitSaved(java.util.concurrent.TimeUnit.SECONDS.toMillis(50));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    org.apache.hadoop.util.ShutdownHookManager.get().addShutdownHook(hook, 100, 60,
        java.util.concurrent.TimeUnit.SECONDS);
    return () -> {
      markSaved();
      try {
        org.apache.hadoop.util.ShutdownHookManager.get().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting: the hook has run
      }
    };
  }

  /** A registered shutdown hook; closing it removes it. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
