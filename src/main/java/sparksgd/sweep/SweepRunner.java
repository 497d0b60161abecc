package sparksgd.sweep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import sparksgd.store.RunFolder;

/**
 * Runs a sweep's trials, {@code parallelism} at a time, recording each one's status in its folder as it
 * starts and ends. Trials already finished (or failed, unless {@code retryFailed}) in the folder are
 * skipped; a failing trial is recorded with its reason and the sweep goes on; an interrupt stops
 * starting new trials and leaves the running ones {@code interrupted}, to be run again next time.
 */
public final class SweepRunner {
  /** Every trial's latest result (trial order), and which trials this run trained. */
  public record Outcome(List<TrialResult> results, List<Integer> ran, boolean interrupted) {}

  private SweepRunner() {}

  public static Outcome run(List<Trial> trials, TrialScorer scorer, SweepFolder folder, int parallelism,
      boolean retryFailed, Consumer<TrialResult> onEnd) {
    List<Trial> pending = pending(trials, folder, retryFailed);
    List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean stopped = new AtomicBoolean();
    List<java.util.concurrent.Callable<Void>> tasks = new ArrayList<>();
    for (Trial t : pending) {
      tasks.add(() -> {
        if (stopped.get()) {
          return null; // stopping: trials not yet started stay without a status
        }
        ran.add(t.id());
        TrialResult r = runOne(t, scorer, folder);
        if (TrialResult.INTERRUPTED.equals(r.status())) {
          stopped.set(true);
        }
        onEnd.accept(r);
        return null;
      });
    }
    try {
      sparksgd.train.Concurrently.run(parallelism, "spark-sgd-trial", tasks, () -> { });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SweepInterrupted("sweep interrupted");
    }
    // Every trial's latest status, as recorded (trials never started have none).
    List<TrialResult> all = new ArrayList<>();
    for (Trial t : trials) {
      folder.status(t).ifPresent(all::add);
    }
    List<Integer> order = new ArrayList<>(ran);
    Collections.sort(order);
    return new Outcome(all, order, stopped.get());
  }

  /** Trials still to run: no status yet, or one that is not final (failed is final unless retried). */
  public static List<Trial> pending(List<Trial> trials, SweepFolder folder, boolean retryFailed) {
    List<Trial> out = new ArrayList<>();
    for (Trial t : trials) {
      Optional<TrialResult> prior = folder.status(t);
      boolean done = prior.isPresent() && (prior.get().finished()
          || (!retryFailed && TrialResult.FAILED.equals(prior.get().status())));
      if (!done) {
        out.add(t);
      }
    }
    return out;
  }

  /** One trial: status {@code running}, then its score or the reason it failed. */
  static TrialResult runOne(Trial t, TrialScorer scorer, SweepFolder folder) {
    RunFolder dir = folder.trial(t);
    dir.writeText("job.conf", t.job().resolvedHocon());
    folder.writeStatus(dir, TrialResult.running(t));
    long start = System.nanoTime();
    TrialResult r;
    try {
      TrialScore s = scorer.score(t, dir);
      double seconds = (System.nanoTime() - start) / 1e9;
      r = Double.isFinite(s.score()) ? TrialResult.finished(t, s, seconds)
          : TrialResult.ended(t, TrialResult.FAILED, "the score is " + s.score(), seconds);
    } catch (SweepInterrupted e) {
      r = TrialResult.ended(t, TrialResult.INTERRUPTED, e.getMessage(), (System.nanoTime() - start) / 1e9);
    } catch (RuntimeException e) {
      r = TrialResult.ended(t, TrialResult.FAILED, reason(e), (System.nanoTime() - start) / 1e9);
    }
    folder.writeStatus(dir, r);
    return r;
  }

  /** The most telling message in a cause chain (Spark wraps task failures several times). */
  static String reason(Throwable e) {
    Throwable best = e;
    for (Throwable c = e; c != null && c.getCause() != c; c = c.getCause()) {
      if (c instanceof sparksgd.train.TrainingDivergedException || c instanceof sparksgd.job.JobConfigException
          || c instanceof sparksgd.data.DataException) {
        best = c;
        break;
      }
      best = c;
    }
    String m = best.getMessage() == null ? best.getClass().getSimpleName() : best.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
