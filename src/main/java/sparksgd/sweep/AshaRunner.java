package sparksgd.sweep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;
import sparksgd.store.RunFolder;
import sparksgd.store.HadoopFiles;
import sparksgd.store.Json;
import sparksgd.store.StoreException;

/**
 * Runs a sweep under the ASHA scheduler with {@code parallelism} slots: each slot asks the
 * {@link AshaScheduler} for work, trains that trial's folds on to its next milestone, and reports the
 * score. Each trial's {@code asha.json} (scores per rung, promoted or not) and {@code status.json} (its
 * leaderboard row) are written after every rung, so a re-run of an interrupted sweep continues the rungs:
 * trials being trained resume from their paused folds first, and no scored rung is trained again. When no
 * trial can be promoted any more, the paused ones are recorded as {@code stopped}.
 */
public final class AshaRunner {
  private AshaRunner() {}

  /**
   * @param rungs the rungs in epochs ({@link AshaSpec#rungs})
   * @param onRung called after every rung a trial is scored at (or fails at), from the slot's thread
   */
  public static SweepRunner.Outcome run(List<Trial> trials, List<Integer> rungs, int eta, boolean maximize,
      TrialSegments segments, SweepFolder folder, int parallelism, boolean retryFailed, Consumer<TrialResult> onRung) {
    Map<Integer, AshaRecord> prior = new LinkedHashMap<>();
    for (Trial t : trials) {
      Optional<AshaRecord> r = record(folder, t);
      if (r.isPresent() && r.get().failed() && retryFailed) {
        segments.reset(t, folder.trial(t));
      } else {
        r.ifPresent(rec -> prior.put(t.id(), rec));
      }
    }
    AshaScheduler scheduler = new AshaScheduler(trials, rungs, eta, maximize, prior);
    List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
    List<java.util.concurrent.Callable<Void>> slots = new ArrayList<>();
    for (int i = 0; i < Math.max(1, parallelism); i++) {
      slots.add(() -> {
        AshaScheduler.Task task;
        while ((task = scheduler.take()) != null) {
          if (!ran.contains(task.trial().id())) {
            ran.add(task.trial().id());
          }
          runTask(task, scheduler, segments, folder, onRung);
        }
        return null;
      });
    }
    try {
      sparksgd.train.Concurrently.run(parallelism, "spark-sgd-asha-slot", slots, scheduler::stop);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SweepInterrupted("sweep interrupted");
    }
    boolean interrupted = scheduler.stopped();
    if (!interrupted) {
      for (AshaScheduler.Entry e : scheduler.entries()) {
        if (e.paused()) { // no promotion is possible any more: ASHA stopped it at its rung
          folder.writeStatus(folder.trial(e.trial), result(e.trial, scheduler.snapshot(e), TrialResult.STOPPED, null));
          segments.release(e.trial, folder.trial(e.trial));
        }
      }
    }
    List<TrialResult> all = new ArrayList<>();
    for (Trial t : trials) {
      folder.status(t).ifPresent(all::add);
    }
    List<Integer> order = new ArrayList<>(ran);
    Collections.sort(order);
    return new SweepRunner.Outcome(all, order, interrupted);
  }

  private static void runTask(AshaScheduler.Task task, AshaScheduler scheduler, TrialSegments segments,
      SweepFolder folder, Consumer<TrialResult> onRung) {
    Trial t = task.trial();
    RunFolder dir = folder.trial(t);
    if (task.milestone() == 0) {
      dir.writeText("job.conf", t.job().resolvedHocon());
    }
    folder.writeStatus(dir, TrialResult.running(t));
    long start = System.nanoTime();
    AshaScheduler.Entry e;
    String status;
    String reason = null;
    try {
      TrialScore s = segments.advance(t, task.untilEpoch(), dir);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (!Double.isFinite(s.score())) {
        e = scheduler.failed(task, "the score is " + s.score() + " at epoch " + task.untilEpoch(), seconds);
        status = TrialResult.FAILED;
      } else {
        e = scheduler.scored(task, AshaRecord.RungScore.of(task.untilEpoch(), s), seconds);
        status = e.milestones.size() == scheduler.snapshot(e).rungs().size() ? TrialResult.FINISHED
            : TrialResult.PAUSED;
      }
    } catch (SweepInterrupted x) {
      e = scheduler.interrupted(task, (System.nanoTime() - start) / 1e9);
      status = TrialResult.INTERRUPTED;
      reason = x.getMessage();
    } catch (RuntimeException x) {
      e = scheduler.failed(task, SweepRunner.reason(x), (System.nanoTime() - start) / 1e9);
      status = TrialResult.FAILED;
    }
    TrialResult r;
    synchronized (e) { // a slot that promoted this trial meanwhile may write its files too
      AshaRecord rec = scheduler.snapshot(e);
      Json.write(dir.conf(), new Path(dir.path(), AshaRecord.FILE), rec);
      r = result(t, rec, status, reason);
      folder.writeStatus(dir, r);
    }
    if (TrialResult.FAILED.equals(status) || TrialResult.FINISHED.equals(status)) {
      segments.release(t, dir);
    }
    onRung.accept(r);
  }

  /** The trial's row: at its last rung score, or without a score when it failed or never reached one. */
  static TrialResult result(Trial t, AshaRecord rec, String status, String reason) {
    if (TrialResult.FAILED.equals(status) || rec.rungs().isEmpty()) {
      return TrialResult.ended(t, status, reason != null ? reason : rec.reason(), rec.seconds());
    }
    AshaRecord.RungScore last = rec.rungs().get(rec.rungs().size() - 1);
    TrialResult r = TrialResult.atRung(t, status, last.toScore(), rec.rungs().size(), rec.seconds());
    return reason == null ? r : r.withStatus(status, reason);
  }

  /** A trial's {@code asha.json} from an earlier run, if there is a readable one. */
  static Optional<AshaRecord> record(SweepFolder folder, Trial t) {
    Path p = new Path(folder.root().path(), "trials/" + t.name() + "/" + AshaRecord.FILE);
    if (!HadoopFiles.exists(folder.root().conf(), p)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.read(folder.root().conf(), p, AshaRecord.class));
    } catch (StoreException e) {
      return Optional.empty(); // damaged: the trial starts over
    }
  }

  /** Every started trial's rung scores, by trial id (for the report's chart). */
  public static Map<Integer, List<AshaRecord.RungScore>> curves(SweepFolder folder, List<Trial> trials) {
    Map<Integer, List<AshaRecord.RungScore>> out = new LinkedHashMap<>();
    for (Trial t : trials) {
      record(folder, t).ifPresent(r -> out.put(t.id(), r.rungs()));
    }
    return out;
  }

  /** Trials not yet known to be over: never started, paused, promoted or interrupted (for progress lines). */
  public static long pending(List<Trial> trials, SweepFolder folder) {
    return trials.stream().filter(t -> folder.status(t).map(r -> !r.finished() && !TrialResult.FAILED.equals(
        r.status()) && !TrialResult.STOPPED.equals(r.status())).orElse(true)).count();
  }
}
