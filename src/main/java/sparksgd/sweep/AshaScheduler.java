package sparksgd.sweep;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter Tuning",
 * the rule Ray Tune's ASHA uses), as plain bookkeeping with no Spark: when a slot frees, it takes the best
 * promotable trial, looking from the highest rung down, else starts the next new trial. A trial at rung
 * k is promotable when it ranks in the top floor(n_k / eta) of the n_k trials that reached rung k and has
 * not been promoted from it; nobody waits for a rung to fill. A trial whose {@code training.epochs} (capped
 * at the top rung) falls between rungs is scored there last and finishes. Thread-safe; {@link #take}
 * blocks while nothing can start but running trials may still promote one.
 */
final class AshaScheduler {
  /** Train {@code trial} on to its milestone {@code milestone} ({@code untilEpoch} epochs). */
  record Task(Trial trial, int milestone, int untilEpoch) {}

  /** One trial's place in the sweep. */
  static final class Entry {
    final Trial trial;
    final List<Integer> milestones;
    final List<AshaRecord.RungScore> scores = new ArrayList<>();
    boolean started;
    boolean promoted;
    boolean running;
    boolean failed;
    String reason;
    double seconds;

    Entry(Trial trial, List<Integer> milestones) {
      this.trial = trial;
      this.milestones = milestones;
    }

    boolean complete() {
      return scores.size() == milestones.size();
    }

    /** Paused at its last score, neither promoted nor finished. */
    boolean paused() {
      return started && !failed && !running && !promoted && !scores.isEmpty() && !complete();
    }

    AshaRecord record() {
      return new AshaRecord(List.copyOf(scores), promoted, seconds, failed, reason);
    }
  }

  private final List<Entry> entries = new ArrayList<>();
  private final List<Integer> rungs;
  private final int eta;
  private final Comparator<Entry>[] byRung;
  private final Deque<Entry> resume = new ArrayDeque<>();
  private int running;
  private boolean stopped;

  /**
   * @param prior each started trial's record from an earlier run of the same sweep, by trial id: trials
   *     that were being trained (started but not scored, or promoted but not scored at the next rung)
   *     are taken first, from where their folds paused
   */
  @SuppressWarnings("unchecked")
  AshaScheduler(List<Trial> trials, List<Integer> rungs, int eta, boolean maximize, Map<Integer, AshaRecord> prior) {
    this.rungs = List.copyOf(rungs);
    this.eta = eta;
    this.byRung = new Comparator[rungs.size()];
    for (int k = 0; k < rungs.size(); k++) {
      int rung = k;
      Comparator<Entry> c = Comparator.comparingDouble(e -> e.scores.get(rung).score());
      byRung[k] = (maximize ? c.reversed() : c).thenComparingInt(e -> e.trial.id());
    }
    for (Trial t : trials) {
      Entry e = new Entry(t, AshaSpec.milestones(rungs, t.job().training().epochs()));
      AshaRecord r = prior.get(t.id());
      if (r != null) {
        e.started = true;
        e.scores.addAll(r.rungs().subList(0, Math.min(r.rungs().size(), e.milestones.size())));
        e.promoted = r.promoted() && !e.complete();
        e.failed = r.failed();
        e.reason = r.reason();
        e.seconds = r.seconds();
        if (!e.failed && !e.complete() && (e.scores.isEmpty() || e.promoted)) {
          resume.add(e);
        }
      }
      entries.add(e);
    }
  }

  /**
   * The next piece of work, waiting while there is none yet but trials are running; null when the sweep
   * is over (nothing promotable, no new trial, nothing running) or stopping.
   */
  synchronized Task take() throws InterruptedException {
    while (true) {
      if (stopped) {
        return null;
      }
      Entry e = pick();
      if (e != null) {
        e.started = true;
        e.running = true;
        running++;
        int m = e.scores.size();
        return new Task(e.trial, m, e.milestones.get(m));
      }
      if (running == 0) {
        return null;
      }
      wait();
    }
  }

  private Entry pick() {
    if (!resume.isEmpty()) {
      return resume.poll();
    }
    for (int k = rungs.size() - 2; k >= 0; k--) {
      Entry e = promotable(k);
      if (e != null) {
        e.promoted = true;
        return e;
      }
    }
    for (Entry e : entries) {
      if (!e.started) {
        return e;
      }
    }
    return null;
  }

  /** The best paused trial of rung {@code k} within its top floor(n_k / eta), or null. */
  private Entry promotable(int k) {
    List<Entry> members = new ArrayList<>();
    for (Entry e : entries) {
      if (!e.failed && e.scores.size() > k && e.scores.get(k).epochs() == rungs.get(k)) {
        members.add(e);
      }
    }
    members.sort(byRung[k]);
    int top = members.size() / eta;
    for (int i = 0; i < top; i++) {
      Entry e = members.get(i);
      if (e.scores.size() == k + 1 && e.paused()) {
        return e;
      }
    }
    return null;
  }

  /** {@code task} was scored; returns the trial's entry for the caller to record. */
  synchronized Entry scored(Task task, AshaRecord.RungScore score, double seconds) {
    Entry e = entry(task);
    e.scores.add(score);
    e.promoted = false;
    e.seconds += seconds;
    release(e);
    return e;
  }

  synchronized Entry failed(Task task, String reason, double seconds) {
    Entry e = entry(task);
    e.failed = true;
    e.reason = reason;
    e.seconds += seconds;
    release(e);
    return e;
  }

  /** {@code task} was interrupted: no more work is handed out; the trial stays promoted/started for next time. */
  synchronized Entry interrupted(Task task, double seconds) {
    Entry e = entry(task);
    e.seconds += seconds;
    stopped = true;
    release(e);
    return e;
  }

  synchronized void stop() {
    stopped = true;
    notifyAll();
  }

  synchronized boolean stopped() {
    return stopped;
  }

  /** The entry's record, read under the scheduler's lock. */
  synchronized AshaRecord snapshot(Entry e) {
    return e.record();
  }

  synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  private void release(Entry e) {
    e.running = false;
    running--;
    notifyAll();
  }

  private Entry entry(Task task) {
    return entries.get(indexOf(task.trial()));
  }

  private int indexOf(Trial t) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).trial.id() == t.id()) {
        return i;
      }
    }
    throw new IllegalArgumentException("unknown trial " + t.id());
  }
}
