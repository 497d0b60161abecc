package sparksgd.train;

import java.util.function.Supplier;

/**
 * Writes files on one background thread so that training does not wait for the file system
 * (checkpoints, history.csv). At most one write is in flight; a write that falls due meanwhile
 * waits, and a newer one replaces it (only the newest state is worth writing). A failed write is
 * thrown to the training thread at its next submit or {@link #drain}.
 */
public final class BackgroundWriter implements AutoCloseable {
  private final Timings timings;
  private final String phase;
  private final String threadName;
  private Supplier<?> pending;
  private boolean busy;
  private boolean closed;
  private RuntimeException failure;
  private Thread thread;

  /** {@code phase}: the {@link Timings} phase the writes' duration is added to. */
  public BackgroundWriter(String name, Timings timings, String phase) {
    this.threadName = "spark-sgd-" + name + "-writer";
    this.timings = timings;
    this.phase = phase;
  }

  /** Queues a write (already a snapshot: it must not read live training state). */
  public synchronized void submit(Supplier<?> write) {
    throwIfFailed();
    if (closed) {
      throw new IllegalStateException(threadName + " closed");
    }
    pending = write;
    if (thread == null) {
      thread = new Thread(this::loop, threadName);
      thread.setDaemon(true);
      thread.start();
    }
    notifyAll();
  }

  /** Waits until every queued checkpoint is written; rethrows a failed write. */
  public synchronized void drain() {
    boolean interrupted = false;
    while (pending != null || busy) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true; // a half-drained writer would leave the newest checkpoint unwritten
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    throwIfFailed();
  }

  @Override
  public void close() {
    try {
      drain();
    } finally {
      synchronized (this) {
        closed = true;
        notifyAll();
      }
    }
  }

  private void throwIfFailed() {
    if (failure != null) {
      RuntimeException f = failure;
      failure = null;
      throw f;
    }
  }

  private void loop() {
    while (true) {
      Supplier<?> write;
      synchronized (this) {
        while (pending == null && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (pending == null) {
          return;
        }
        write = pending;
        pending = null;
        busy = true;
      }
      long start = System.nanoTime();
      try {
        write.get();
      } catch (RuntimeException | Error e) {
        synchronized (this) {
          if (failure == null) {
            failure = e instanceof RuntimeException r ? r : new IllegalStateException(threadName + ": " + e, e);
          }
        }
      } finally {
        timings.add(phase, System.nanoTime() - start);
        synchronized (this) {
          busy = false;
          notifyAll();
        }
      }
    }
  }
}
