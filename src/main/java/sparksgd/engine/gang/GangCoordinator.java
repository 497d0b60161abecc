package sparksgd.engine.gang;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gang engine's step protocol, with no Spark and no network code: who waits for whom, attempt
 * fencing, re-sending after a restart, timeouts, and the partition-order result list. The network
 * ({@link GangServer}) and Spark ({@link GangEngine}'s listener and job watcher) report events here;
 * the driver thread calls {@link #exchange}.
 *
 * <p>Rules:
 * <ul>
 *   <li>A hello is accepted only with the run's secret, a partition in range, the run's stage, and a
 *       stage attempt above every attempt known to have failed and not below the current one. A hello
 *       from a newer attempt makes every older attempt failed.
 *   <li>A failed attempt (a dropped connection, a task's error report, or Spark's word) has all its
 *       connections closed at once, so its tasks cannot hold their cores, and its results are dropped.
 *   <li>The pending request is sent to every connection of the current attempt, including those that
 *       connect while it is pending: a new attempt continues from the request that was interrupted.
 *   <li>Results count only from the current attempt's connection of that partition and for the
 *       pending request id; anything else is stale and ignored.
 *   <li>A request completes when every partition has answered; the answers are returned in partition
 *       order (each partition's parts in their own order), whatever order they arrived in.
 *   <li>A request fails after {@code stepTimeoutNanos}, after {@code maxFailuresPerRequest} failed
 *       attempts, or when the job has ended; the coordinator is then broken and refuses further
 *       requests.
 * </ul>
 *
 * <p>Allreduce mode ({@code peered}): the tasks hold the parameters and optimizer state and talk to
 * each other, so a stage attempt can do nothing until all of it is there. Nothing is sent to an
 * attempt until every partition said hello; then each task gets the ring's addresses, the restore
 * sequence and the pending request, in that order. The restore sequence is what rebuilds the tasks'
 * state: the last completed {@link GangMessage.Load} (the engine replaces it with a fetched state
 * from time to time, see {@link #rebase}) and every {@link GangMessage.Update} completed since, in
 * order. Replayed steps recompute the same bits, and their answers are stale (old ids) and ignored.
 */
final class GangCoordinator {
  private static final Logger LOG = LoggerFactory.getLogger(GangCoordinator.class);

  /** The coordinator's view of one connection; implemented by the server and by test fakes. */
  interface Connection {
    /** Queues a message for the peer; never blocks on the network. */
    void send(GangMessage m);

    /** Tells the peer why it is refused, then closes the connection. */
    void refuse(String reason);

    void close();

    String describe();
  }

  private record Member(Connection conn, int partition, int attempt, String peerHost, int peerPort) {}

  private final int partitions;
  private final byte[] secret;
  private final long stepTimeoutNanos;
  private final int maxFailuresPerRequest;
  private final boolean peered;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  // All below guarded by lock.
  private final Member[] slots;
  /** Driver mode: the partition's task answered the last step, so it holds that step's parameters. */
  private final boolean[] holdsStepParams;
  private int connected;
  private int currentAttempt = -1;
  private int failedUpTo = -1;
  private int stageId = -1;
  private long nextId = 1;
  private GangMessage.Request pending;
  private double[][][] results;
  private int received;
  private int failuresThisRequest;
  private String lastFailure;
  private boolean stopping;
  private boolean jobEnded;
  private Throwable jobError;
  private String broken;
  private long refused;
  private GangMessage.Load base;
  private final List<GangMessage.Update> replay = new ArrayList<>();
  private long gangsFormed;

  GangCoordinator(int partitions, byte[] secret, long stepTimeoutNanos, int maxFailuresPerRequest) {
    this(partitions, secret, stepTimeoutNanos, maxFailuresPerRequest, false);
  }

  /** {@code peered}: allreduce mode (see the class comment). */
  GangCoordinator(int partitions, byte[] secret, long stepTimeoutNanos, int maxFailuresPerRequest,
      boolean peered) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1");
    }
    this.partitions = partitions;
    this.secret = secret.clone();
    this.stepTimeoutNanos = stepTimeoutNanos;
    this.maxFailuresPerRequest = maxFailuresPerRequest;
    this.peered = peered;
    this.slots = new Member[partitions];
    this.holdsStepParams = new boolean[partitions];
  }

  int partitions() {
    return partitions;
  }

  // ---------------------------------------------------------------- events from the network / Spark

  /** A peer's hello; accepts it into its partition's slot or refuses (and closes) it. */
  void onHello(Connection c, GangMessage.Hello h) {
    lock.lock();
    try {
      String why = refusal(h);
      if (why != null) {
        refused++;
        LOG.warn("gang: refused {} ({})", c.describe(), why);
        c.refuse(why);
        return;
      }
      if (stageId < 0) {
        stageId = h.stageId();
      }
      if (h.stageAttempt() > currentAttempt) {
        if (currentAttempt >= 0) {
          failAttemptsUpTo(h.stageAttempt() - 1, "superseded by stage attempt " + h.stageAttempt());
        }
        currentAttempt = h.stageAttempt();
      }
      Member m = new Member(c, h.partition(), h.stageAttempt(), h.peerHost(), h.peerPort());
      slots[h.partition()] = m;
      holdsStepParams[h.partition()] = false; // a new task holds no parameters yet
      connected++;
      if (stopping || broken != null) {
        c.send(new GangMessage.Stop()); // the run is over or failed: end quietly, free the core
      } else if (peered) {
        if (connected == partitions) {
          startGang();
        }
      } else if (pending != null && results[h.partition()] == null) {
        c.send(forTask(h.partition(), pending));
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private String refusal(GangMessage.Hello h) {
    if (!MessageDigest.isEqual(secret, h.secret())) {
      return "wrong secret: not a task of this run";
    }
    if (h.partition() < 0 || h.partition() >= partitions) {
      return "partition " + h.partition() + " out of range 0.." + (partitions - 1);
    }
    if (stageId >= 0 && h.stageId() != stageId) {
      return "stage " + h.stageId() + " is not this run's stage " + stageId;
    }
    if (h.stageAttempt() <= failedUpTo) {
      return "stale stage attempt " + h.stageAttempt() + " (attempts up to " + failedUpTo + " failed)";
    }
    if (h.stageAttempt() < currentAttempt) {
      return "stale stage attempt " + h.stageAttempt() + " (current is " + currentAttempt + ")";
    }
    if (h.stageAttempt() == currentAttempt && slots[h.partition()] != null) {
      return "partition " + h.partition() + " of attempt " + currentAttempt + " is already connected";
    }
    return null;
  }

  /** Allreduce mode, the attempt is complete: addresses, restore sequence, pending request. */
  private void startGang() {
    String[] hosts = new String[partitions];
    int[] ports = new int[partitions];
    for (int p = 0; p < partitions; p++) {
      hosts[p] = slots[p].peerHost;
      ports[p] = slots[p].peerPort;
    }
    GangMessage.Peers peers = new GangMessage.Peers(hosts, ports);
    gangsFormed++;
    for (Member m : slots) {
      m.conn.send(peers);
      if (base != null) {
        m.conn.send(base);
      }
      for (GangMessage.Update u : replay) {
        m.conn.send(u);
      }
      if (pending != null) {
        m.conn.send(pending);
      }
    }
  }

  /**
   * Allreduce mode: {@code load} (built from state fetched from the tasks) now stands for the base
   * and every step replayed since; later recoveries start from it.
   */
  void rebase(GangMessage.Load load) {
    lock.lock();
    try {
      base = load;
      replay.clear();
    } finally {
      lock.unlock();
    }
  }

  /** Allreduce mode: completed steps a recovery would replay now (tests). */
  int replayLength() {
    lock.lock();
    try {
      return replay.size();
    } finally {
      lock.unlock();
    }
  }

  /** Allreduce mode: how many times a complete stage attempt was given its ring (tests). */
  long gangsFormed() {
    lock.lock();
    try {
      return gangsFormed;
    } finally {
      lock.unlock();
    }
  }

  /** A result frame from a connection. */
  void onResult(Connection c, GangMessage.Result r) {
    lock.lock();
    try {
      Member m = memberOf(c);
      if (m == null || pending == null || r.id() != pending.id()) {
        return; // stale: an old attempt, a refused peer, or a request already finished
      }
      if (results[m.partition] != null) {
        return;
      }
      for (double[] part : r.parts()) {
        if (pending.resultWidth() != GangMessage.Fetch.ANY_WIDTH && part.length != pending.resultWidth()) {
          fatal("partition " + m.partition + " answered " + pending.describe() + " with " + part.length
              + " values, expected " + pending.resultWidth());
          return;
        }
      }
      results[m.partition] = r.parts();
      if (pending instanceof GangMessage.Step) {
        holdsStepParams[m.partition] = true;
      }
      received++;
      if (received == partitions) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** A task reports the error it is about to fail with. */
  void onTaskError(Connection c, GangMessage.Failed f) {
    lock.lock();
    try {
      Member m = memberOf(c);
      if (m == null) {
        return;
      }
      failAttemptsUpTo(m.attempt, "task of partition " + m.partition + " (stage attempt " + m.attempt
          + ") failed: " + firstLines(f.error(), 6));
    } finally {
      lock.unlock();
    }
  }

  /** A connection closed (by the peer, the network, or us). */
  void onDisconnected(Connection c) {
    lock.lock();
    try {
      Member m = memberOf(c);
      if (m == null) {
        return;
      }
      if (stopping || broken != null) {
        slots[m.partition] = null;
        connected--;
        changed.signalAll();
        return;
      }
      failAttemptsUpTo(m.attempt, "task of partition " + m.partition + " (stage attempt " + m.attempt
          + ") disconnected");
    } finally {
      lock.unlock();
    }
  }

  /** Spark reports a failed or killed task of the run's stage in {@code attempt}. */
  void onAttemptFailed(int stage, int attempt, String reason) {
    lock.lock();
    try {
      if (stopping || (stageId >= 0 && stage != stageId)) {
        return;
      }
      failAttemptsUpTo(attempt, "Spark reports stage attempt " + attempt + " failed: " + reason);
    } finally {
      lock.unlock();
    }
  }

  /** The Spark job ended ({@code error} null when it finished normally). */
  void onJobEnded(Throwable error) {
    lock.lock();
    try {
      jobEnded = true;
      jobError = error;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- the driver's side

  /**
   * Sends {@code request} (its id is assigned here) to every task and waits for all answers.
   * Returns every partition's parts in partition order.
   */
  List<double[]> exchange(RequestFactory request) {
    lock.lock();
    try {
      ensureUsable();
      if (pending != null) {
        throw new IllegalStateException("a request is already pending");
      }
    } catch (RuntimeException e) {
      lock.unlock();
      throw e;
    }
    try {
      GangMessage.Request r = request.create(nextId++);
      pending = r;
      results = new double[partitions][][];
      received = 0;
      failuresThisRequest = 0;
      lastFailure = null;
      if (!peered || connected == partitions) { // peered: an incomplete attempt gets it when complete
        for (Member m : slots) {
          if (m != null) {
            m.conn.send(forTask(m.partition, r));
          }
        }
      }
      long deadline = System.nanoTime() + stepTimeoutNanos;
      try {
        while (received < partitions) {
          ensureUsable();
          if (failuresThisRequest >= maxFailuresPerRequest) {
            throw fatal(r.describe() + " failed on " + failuresThisRequest + " stage attempts in a row; last: "
                + lastFailure);
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw fatal(r.describe() + " did not complete within " + TimeUnit.NANOSECONDS.toMillis(stepTimeoutNanos)
                + " ms: " + missing() + (lastFailure == null ? "" : "; last failure: " + lastFailure));
          }
          changed.awaitNanos(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw fatal("interrupted while waiting for " + r.describe());
      }
      List<double[]> out = new ArrayList<>(partitions);
      for (double[][] parts : results) {
        for (double[] part : parts) {
          out.add(part);
        }
      }
      if (r instanceof GangMessage.Load l) {
        base = l;
        replay.clear();
      } else if (r instanceof GangMessage.Update u) {
        replay.add(u);
      }
      return out;
    } finally {
      pending = null;
      results = null;
      lock.unlock();
    }
  }

  /**
   * What partition {@code p}'s task is sent of {@code r}: a step's parameter changes only when the task
   * answered the previous step (so holds the parameters they change), else the whole vector.
   */
  private GangMessage.Request forTask(int p, GangMessage.Request r) {
    if (r instanceof GangMessage.Step s && s.changes() != null && !holdsStepParams[p]) {
      return s.whole();
    }
    return r;
  }

  /** Whether every partition's task answered the last step (the engine may then send changes only). */
  boolean allHoldStepParams() {
    lock.lock();
    try {
      for (int p = 0; p < partitions; p++) {
        if (slots[p] == null || !holdsStepParams[p]) {
          return false;
        }
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Builds the request once its id is known. */
  @FunctionalInterface
  interface RequestFactory {
    GangMessage.Request create(long id);
  }

  /** Waits until every partition has a connection of one attempt; false on timeout. */
  boolean awaitGang(long timeoutNanos) throws InterruptedException {
    lock.lock();
    try {
      long deadline = System.nanoTime() + timeoutNanos;
      while (connected < partitions) {
        ensureUsable();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Tells every connected task (and any that connects later) to return; later requests fail. */
  void stop() {
    lock.lock();
    try {
      if (stopping) {
        return;
      }
      stopping = true;
      for (Member m : slots) {
        if (m != null) {
          m.conn.send(new GangMessage.Stop());
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Closes every connection still held (after stop, once the tasks should have returned). */
  void closeAll() {
    lock.lock();
    try {
      for (int p = 0; p < partitions; p++) {
        if (slots[p] != null) {
          slots[p].conn.close();
          slots[p] = null;
        }
      }
      connected = 0;
    } finally {
      lock.unlock();
    }
  }

  /** Partitions that still owe the pending request an answer, in order; empty when none is pending. */
  int[] unanswered() {
    lock.lock();
    try {
      if (pending == null) {
        return new int[0];
      }
      return java.util.stream.IntStream.range(0, partitions).filter(p -> results[p] == null).toArray();
    } finally {
      lock.unlock();
    }
  }

  /** A one-line account of the connections, for error messages. */
  String status() {
    lock.lock();
    try {
      return connected + " of " + partitions + " tasks connected (stage attempt " + currentAttempt
          + ", attempts up to " + failedUpTo + " failed, " + refused + " connections refused)"
          + (lastFailure == null ? "" : "; last failure: " + lastFailure);
    } finally {
      lock.unlock();
    }
  }

  int stageId() {
    lock.lock();
    try {
      return stageId;
    } finally {
      lock.unlock();
    }
  }

  int currentAttempt() {
    lock.lock();
    try {
      return currentAttempt;
    } finally {
      lock.unlock();
    }
  }

  long refusedCount() {
    lock.lock();
    try {
      return refused;
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- internals (lock held)

  private Member memberOf(Connection c) {
    for (Member m : slots) {
      if (m != null && m.conn == c) {
        return m;
      }
    }
    return null;
  }

  private void failAttemptsUpTo(int attempt, String reason) {
    if (attempt <= failedUpTo) {
      return;
    }
    LOG.warn("gang: {}", reason);
    failedUpTo = attempt;
    lastFailure = reason;
    if (pending != null) {
      failuresThisRequest++;
    }
    if (currentAttempt <= attempt) {
      // Every connection belongs to an attempt now known dead: close them all so their tasks end
      // and free their cores for the next attempt; drop whatever they answered.
      for (int p = 0; p < partitions; p++) {
        if (slots[p] != null) {
          slots[p].conn.close();
          slots[p] = null;
        }
      }
      connected = 0;
      if (results != null) {
        java.util.Arrays.fill(results, null);
        received = 0;
      }
    }
    changed.signalAll();
  }

  private GangException fatal(String message) {
    if (broken == null) {
      broken = message;
      LOG.error("gang: {}", message);
    }
    changed.signalAll();
    return new GangException(message);
  }

  private void ensureUsable() {
    if (broken != null) {
      throw new GangException("the gang engine failed earlier: " + broken);
    }
    if (jobEnded) {
      throw new GangException("the gang's Spark job ended" + (jobError == null ? "" : ": " + jobError.getMessage())
          + "; " + status(), jobError);
    }
    if (stopping) {
      throw new GangException("the gang engine is closed");
    }
  }

  private static String firstLines(String text, int n) {
    int at = -1;
    for (int i = 0; i < n; i++) {
      at = text.indexOf('\n', at + 1);
      if (at < 0) {
        return text;
      }
    }
    return text.substring(0, at) + "\n\t...";
  }

  private String missing() {
    StringBuilder sb = new StringBuilder("no answer from partitions");
    for (int p = 0; p < partitions; p++) {
      if (results == null || results[p] == null) {
        sb.append(' ').append(p).append(slots[p] == null ? " (not connected)" : "");
      }
    }
    return sb.append("; ").append(status()).toString();
  }
}
