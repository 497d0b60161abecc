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
}
