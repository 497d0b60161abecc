package sparksgd.engine.gang;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sparksgd.engine.Combine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The step protocol with fake connections: no Spark, no network. */
@org.junit.jupiter.api.Timeout(value = 2, unit = TimeUnit.MINUTES) // a guard against a hang, not a speed check
class GangCoordinatorTest {
  private static final byte[] SECRET = {1, 2, 3, 4, 5, 6, 7, 8};
  private static final long LONG = TimeUnit.SECONDS.toNanos(30);
  private static final int STAGE = 7;
  private CompletableFuture<?> background;

  /** Records what the coordinator does to it. */
  static final class Fake implements GangCoordinator.Connection {
    final String name;
    final List<GangMessage> sent = new CopyOnWriteArrayList<>();
    volatile String refused;
    volatile boolean closed;

    Fake(String name) {
      this.name = name;
    }

    @Override
    public void send(GangMessage m) {
      sent.add(m);
    }

    @Override
    public void refuse(String reason) {
      refused = reason;
      closed = true;
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public String describe() {
      return name;
    }

    GangMessage.Request lastRequest() {
      for (int i = sent.size() - 1; i >= 0; i--) {
        if (sent.get(i) instanceof GangMessage.Request r) {
          return r;
        }
      }
      return null;
    }

    /** Waits (bounded) until the coordinator has sent this connection {@code n} requests. */
    GangMessage.Request awaitRequest(int n) throws InterruptedException {
      for (int i = 0; i < 5000; i++) {
        if (sent.stream().filter(m -> m instanceof GangMessage.Request).count() >= n) {
          return lastRequest();
        }
        Thread.sleep(1);
      }
      throw new AssertionError(name + " never received request " + n);
    }
  }

  @AfterEach
  void noLeftover() throws Exception {
    if (background != null && !background.isDone()) {
      background.cancel(true);
    }
  }

  private static GangCoordinator coordinator(int partitions, long timeoutNanos, int maxFailures) {
    return new GangCoordinator(partitions, SECRET, timeoutNanos, maxFailures);
  }

  private static GangMessage.Hello hello(int partition, int attempt) {
    return new GangMessage.Hello(SECRET, partition, STAGE, attempt);
  }

  private static Fake join(GangCoordinator c, int partition, int attempt) {
    Fake f = new Fake("p" + partition + "a" + attempt);
    c.onHello(f, hello(partition, attempt));
    assertNull(f.refused, () -> "refused: " + f.refused);
    return f;
  }

  private CompletableFuture<List<double[]>> step(GangCoordinator c, double[] params, int width) {
    CompletableFuture<List<double[]>> f = CompletableFuture.supplyAsync(
        () -> c.exchange(id -> new GangMessage.Step(id, 0, 0, params, width)));
    background = f;
    return f;
  }

  private static void answer(GangCoordinator c, Fake f, double[]... parts) {
    c.onResult(f, new GangMessage.Result(f.lastRequest().id(), parts));
  }

  /**
   * Waits until a request is pending: exchange() has made its send decision under the lock. A request
   * that never comes is a hang, cut by the class's @Timeout (a guard, not a speed check).
   */
  private static void awaitPending(GangCoordinator c) throws InterruptedException {
    while (c.unanswered().length == 0) {
      Thread.sleep(1);
    }
  }

  private static Throwable failure(CompletableFuture<?> f) throws InterruptedException {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
    return e.getCause();
  }

  @Test
  void answersComeBackInPartitionOrderWhateverOrderTheyArrive() throws Exception {
    GangCoordinator c = coordinator(3, LONG, 4);
    Fake p0 = join(c, 0, 0);
    Fake p1 = join(c, 1, 0);
    Fake p2 = join(c, 2, 0);
    double[] params = {0.5, -1};
    CompletableFuture<List<double[]>> f = step(c, params, 1);
    p0.awaitRequest(1);
    p1.awaitRequest(1);
    p2.awaitRequest(1);
    assertArrayEquals(params, p1.lastRequest().params());
    double[] a = {1e16};
    double[] b1 = {1.0};
    double[] b2 = {2.0};
    double[] z = {-1e16};
    answer(c, p2, z);
    answer(c, p1, b1, b2);
    answer(c, p0, a);
    List<double[]> out = f.get(30, TimeUnit.SECONDS);
    assertEquals(4, out.size());
    assertSame(a, out.get(0));
    assertSame(b1, out.get(1));
    assertSame(b2, out.get(2));
    assertSame(z, out.get(3));
    // The sum is the partition-order sum ((1e16 + 1) + 2) - 1e16, not the arrival order's.
    double expected = ((1e16 + 1.0) + 2.0) + -1e16;
    assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(Combine.sums(out, 1)[0]));
  }

  @Test
  void oneRequestWaitsForEveryPartitionAndIdsAdvance() throws Exception {
    GangCoordinator c = coordinator(2, LONG, 4);
    Fake p0 = join(c, 0, 0);
    Fake p1 = join(c, 1, 0);
    CompletableFuture<List<double[]>> f = step(c, new double[] {1}, 2);
    p0.awaitRequest(1);
    p1.awaitRequest(1);
    answer(c, p0, new double[] {1, 2});
    // onResult has run: the request still waits for partition 1, so the step cannot have completed.
    assertArrayEquals(new int[] {1}, c.unanswered());
    assertFalse(f.isDone(), "must wait for partition 1");
    answer(c, p1, new double[] {3, 4});
    f.get(30, TimeUnit.SECONDS);
    long first = p0.lastRequest().id();
    CompletableFuture<List<double[]>> g = step(c, new double[] {2}, 2);
    p0.awaitRequest(2);
    p1.awaitRequest(2);
    assertTrue(p0.lastRequest().id() > first);
    answer(c, p0, new double[] {0, 0});
    answer(c, p1, new double[] {0, 0});
    g.get(30, TimeUnit.SECONDS);
  }

  @Test
  void aTaskThatConnectsWhileARequestIsPendingGetsIt() throws Exception {
    GangCoordinator c = coordinator(2, LONG, 4);
    Fake p0 = join(c, 0, 0);
    CompletableFuture<List<double[]>> f = step(c, new double[] {3}, 1);
    p0.awaitRequest(1);
    Fake p1 = join(c, 1, 0);
    assertNotNull(p1.lastRequest());
    assertEquals(p0.lastRequest().id(), p1.lastRequest().id());
    answer(c, p1, new double[] {1});
    answer(c, p0, new double[] {2});
    assertEquals(2, f.get(30, TimeUnit.SECONDS).size());
  }

  @Test
  void refusesAWrongSecretAndOutOfRangePartitions() {
    GangCoordinator c = coordinator(2, LONG, 4);
    Fake foreign = new Fake("foreign");
    c.onHello(foreign, new GangMessage.Hello(new byte[] {9, 9, 9}, 0, STAGE, 0));
    assertNotNull(foreign.refused);
    assertTrue(foreign.refused.contains("secret"), foreign.refused);
    Fake out = new Fake("out");
    c.onHello(out, hello(2, 0));
    assertNotNull(out.refused);
    // Nothing the refused ones send counts.
    c.onResult(foreign, new GangMessage.Result(1, new double[][] {{1}}));
    assertEquals(2, c.refusedCount());
    assertTrue(c.status().startsWith("0 of 2"), c.status());
  }

  @Test
  void refusesADuplicateAndAnotherStage() {
    GangCoordinator c = coordinator(2, LONG, 4);
    join(c, 0, 0);
    Fake dup = new Fake("dup");
    c.onHello(dup, hello(0, 0));
    assertNotNull(dup.refused);
    Fake other = new Fake("other stage");
    c.onHello(other, new GangMessage.Hello(SECRET, 1, STAGE + 1, 0));
    assertNotNull(other.refused);
  }

  @Test
  void aNewerAttemptSupersedesTheOldOneAndStaleAttemptsAreRefused() {
    GangCoordinator c = coordinator(2, LONG, 4);
    Fake a0p0 = join(c, 0, 0);
    Fake a0p1 = join(c, 1, 0);
    Fake a1p0 = join(c, 0, 1);
    assertTrue(a0p0.closed && a0p1.closed, "old attempt's connections are closed at once");
    assertEquals(1, c.currentAttempt());
    Fake late = new Fake("late attempt 0");
    c.onHello(late, hello(1, 0));
    assertNotNull(late.refused);
    assertTrue(late.refused.contains("stale"), late.refused);
    assertFalse(a1p0.closed);
  }

  @Test
  void aFailedAttemptIsFencedEvenBeforeItsSuccessorConnects() {
    GangCoordinator c = coordinator(2, LONG, 4);
    Fake p0 = join(c, 0, 0);
    Fake p1 = join(c, 1, 0);
    c.onAttemptFailed(STAGE, 0, "executor lost");
    assertTrue(p0.closed && p1.closed);
    Fake again = new Fake("attempt 0 again");
    c.onHello(again, hello(0, 0));
    assertNotNull(again.refused);
    // Spark's word about a failed attempt of another stage changes nothing.
    Fake n0 = join(c, 0, 1);
    c.onAttemptFailed(STAGE + 5, 1, "someone else's stage");
    assertFalse(n0.closed);
  }

  @Test
  void afterAFailureTheCurrentRequestIsResentToTheNewAttempt() throws Exception {
    GangCoordinator c = coordinator(2, LONG, 4);
    Fake a0p0 = join(c, 0, 0);
    Fake a0p1 = join(c, 1, 0);
    double[] params = {4, 5};
    CompletableFuture<List<double[]>> f = step(c, params, 1);
    a0p0.awaitRequest(1);
    long id = a0p0.lastRequest().id();
    answer(c, a0p0, new double[] {111}); // answered, but its attempt is about to fail
    c.onDisconnected(a0p1);
    assertTrue(a0p0.closed, "the failed attempt's other connections are closed");
    Fake a1p1 = join(c, 1, 1);
    Fake a1p0 = join(c, 0, 1);
    GangMessage.Request r0 = a1p0.lastRequest();
    GangMessage.Request r1 = a1p1.lastRequest();
    assertNotNull(r0);
    assertNotNull(r1);
    assertEquals(id, r0.id());
    assertEquals(id, r1.id());
    assertArrayEquals(params, r0.params());
    // A late answer of the dead attempt does not count.
    c.onResult(a0p1, new GangMessage.Result(id, new double[][] {{999}}));
    answer(c, a1p1, new double[] {2});
    answer(c, a1p0, new double[] {1});
    List<double[]> out = f.get(30, TimeUnit.SECONDS);
    assertEquals(1.0, out.get(0)[0]);
    assertEquals(2.0, out.get(1)[0]);
  }

  @Test
  void answersToAnotherRequestAreIgnored() throws Exception {
    GangCoordinator c = coordinator(1, LONG, 4);
    Fake p0 = join(c, 0, 0);
    CompletableFuture<List<double[]>> f = step(c, new double[] {1}, 1);
    p0.awaitRequest(1);
    c.onResult(p0, new GangMessage.Result(p0.lastRequest().id() + 17, new double[][] {{5}}));
    assertArrayEquals(new int[] {0}, c.unanswered(), "the stray answer counted");
    assertFalse(f.isDone());
    answer(c, p0, new double[] {6});
    assertEquals(6.0, f.get(30, TimeUnit.SECONDS).get(0)[0]);
  }

  @Test
  void aStepThatCannotCompleteTimesOutAndTheCoordinatorStaysFailed() throws Exception {
    GangCoordinator c = coordinator(2, TimeUnit.MILLISECONDS.toNanos(100), 4);
    Fake p0 = join(c, 0, 0);
    join(c, 1, 0);
    CompletableFuture<List<double[]>> f = step(c, new double[] {1}, 1);
    p0.awaitRequest(1);
    answer(c, p0, new double[] {1});
    Throwable t = failure(f);
    assertInstanceOf(GangException.class, t);
    assertTrue(t.getMessage().contains("did not complete within 100 ms"), t.getMessage());
    assertTrue(t.getMessage().contains("partitions 1"), t.getMessage());
    GangException again = assertThrows(GangException.class,
        () -> c.exchange(id -> new GangMessage.Step(id, 0, 1, new double[] {1}, 1)));
    assertTrue(again.getMessage().contains("failed earlier"), again.getMessage());
  }

  @Test
  void aRequestFailsAfterTooManyFailedAttempts() throws Exception {
    GangCoordinator c = coordinator(1, LONG, 2);
    Fake a0 = join(c, 0, 0);
    CompletableFuture<List<double[]>> f = step(c, new double[] {1}, 1);
    a0.awaitRequest(1);
    c.onTaskError(a0, new GangMessage.Failed(a0.lastRequest().id(), "java.lang.ArithmeticException: boom"));
    Fake a1 = join(c, 0, 1);
    assertNotNull(a1.lastRequest());
    c.onTaskError(a1, new GangMessage.Failed(a1.lastRequest().id(), "java.lang.ArithmeticException: boom"));
    Throwable t = failure(f);
    assertTrue(t.getMessage().contains("failed on 2 stage attempts"), t.getMessage());
    assertTrue(t.getMessage().contains("boom"), t.getMessage());
  }

  @Test
  void theEndOfTheJobFailsAPendingRequestAtOnce() throws Exception {
    GangCoordinator c = coordinator(1, LONG, 4);
    Fake p0 = join(c, 0, 0);
    CompletableFuture<List<double[]>> f = step(c, new double[] {1}, 1);
    p0.awaitRequest(1);
    IllegalStateException cause = new IllegalStateException("Job aborted due to stage failure");
    c.onJobEnded(cause);
    Throwable t = failure(f);
    assertInstanceOf(GangException.class, t);
    assertSame(cause, t.getCause());
  }

  @Test
  void aResultOfTheWrongWidthFailsTheRequest() throws Exception {
    GangCoordinator c = coordinator(1, LONG, 4);
    Fake p0 = join(c, 0, 0);
    CompletableFuture<List<double[]>> f = step(c, new double[] {1}, 3);
    p0.awaitRequest(1);
    answer(c, p0, new double[] {1, 2});
    assertTrue(failure(f).getMessage().contains("expected 3"));
  }

  @Test
  void stopReachesConnectedAndLateTasksAndEndsRequests() {
    GangCoordinator c = coordinator(2, LONG, 4);
    Fake p0 = join(c, 0, 0);
    c.stop();
    assertInstanceOf(GangMessage.Stop.class, p0.sent.get(p0.sent.size() - 1));
    Fake p1 = join(c, 1, 0);
    assertInstanceOf(GangMessage.Stop.class, p1.sent.get(p1.sent.size() - 1));
    c.onDisconnected(p0); // a normal end after stop: no failure
    assertFalse(p1.closed);
    assertThrows(GangException.class, () -> c.exchange(id -> new GangMessage.Step(id, 0, 0, new double[0], 2)));
    c.closeAll();
    assertTrue(p1.closed);
  }

  @Test
  void afterAFatalFailureNewTasksAreToldToStop() throws Exception {
    GangCoordinator c = coordinator(1, TimeUnit.MILLISECONDS.toNanos(50), 4);
    Fake a0 = join(c, 0, 0);
    assertThrows(GangException.class, () -> c.exchange(id -> new GangMessage.Step(id, 0, 0, new double[] {1}, 1)));
    c.onDisconnected(a0);
    Fake a1 = join(c, 0, 1);
    assertInstanceOf(GangMessage.Stop.class, a1.sent.get(a1.sent.size() - 1));
  }

  @Test
  void awaitGangReportsWhenEveryPartitionIsConnected() throws Exception {
    GangCoordinator c = coordinator(2, LONG, 4);
    join(c, 0, 0);
    assertFalse(c.awaitGang(TimeUnit.MILLISECONDS.toNanos(20)));
    join(c, 1, 0);
    assertTrue(c.awaitGang(TimeUnit.MILLISECONDS.toNanos(20)));
  }

  // ---------------------------------------------------------------- allreduce mode

  private static Fake joinPeered(GangCoordinator c, int partition, int attempt) {
    Fake f = new Fake("p" + partition + "a" + attempt);
    c.onHello(f, new GangMessage.Hello(SECRET, partition, STAGE, attempt, "host" + partition, 9000 + partition));
    assertNull(f.refused, () -> "refused: " + f.refused);
    return f;
  }

  private CompletableFuture<List<double[]>> async(GangCoordinator c, GangCoordinator.RequestFactory r) {
    CompletableFuture<List<double[]>> f = CompletableFuture.supplyAsync(() -> c.exchange(r));
    background = f;
    return f;
  }

  private static void answerAll(GangCoordinator c, Fake... fakes) throws InterruptedException {
    for (Fake f : fakes) {
      GangMessage.Request r = f.lastRequest();
      double[][] parts = r instanceof GangMessage.Update ? new double[][] {{1.5, 4, 10}} : new double[0][];
      c.onResult(f, new GangMessage.Result(r.id(), parts));
    }
  }

  @Test
  void allreduceSendsNothingUntilTheAttemptIsCompleteThenPeersFirst() throws Exception {
    GangCoordinator c = new GangCoordinator(2, SECRET, LONG, 4, true);
    Fake p1 = joinPeered(c, 1, 0);
    CompletableFuture<List<double[]>> load = async(c,
        id -> new GangMessage.Load(id, new double[] {1, 2}, new double[0][], 0));
    awaitPending(c); // the request is pending, and what it sends at once is sent
    assertTrue(p1.sent.isEmpty(), "an incomplete ring can do nothing: " + p1.sent);
    Fake p0 = joinPeered(c, 0, 0);
    for (Fake f : List.of(p0, p1)) {
      f.awaitRequest(1);
      GangMessage.Peers peers = assertInstanceOf(GangMessage.Peers.class, f.sent.get(0));
      assertArrayEquals(new String[] {"host0", "host1"}, peers.hosts());
      assertArrayEquals(new int[] {9000, 9001}, peers.ports());
      assertInstanceOf(GangMessage.Load.class, f.sent.get(1));
    }
    answerAll(c, p0, p1);
    load.get(30, TimeUnit.SECONDS);
  }

  @Test
  void allreduceRebuildsANewAttemptFromTheBasePlusTheStepsSince() throws Exception {
    GangCoordinator c = new GangCoordinator(2, SECRET, LONG, 4, true);
    Fake a0 = joinPeered(c, 0, 0);
    Fake a1 = joinPeered(c, 1, 0);
    CompletableFuture<List<double[]>> f = async(c,
        id -> new GangMessage.Load(id, new double[] {1, 2}, new double[0][], 0));
    a0.awaitRequest(1);
    answerAll(c, a0, a1);
    f.get(30, TimeUnit.SECONDS);
    for (int s = 0; s < 3; s++) {
      int step = s;
      f = async(c, id -> new GangMessage.Update(id, 0, step, 0.1));
      a0.awaitRequest(2 + s);
      a1.awaitRequest(2 + s);
      answerAll(c, a0, a1);
      assertEquals(1.5, f.get(30, TimeUnit.SECONDS).get(0)[0]);
    }
    assertEquals(3, c.replayLength());
    // Step 4 is interrupted by the failure of attempt 0.
    f = async(c, id -> new GangMessage.Update(id, 0, 3, 0.1));
    a0.awaitRequest(5);
    c.onDisconnected(a1);
    assertTrue(a0.closed, "the failed attempt's connections are closed");
    Fake b0 = joinPeered(c, 0, 1);
    Fake b1 = joinPeered(c, 1, 1);
    b1.awaitRequest(5);
    for (Fake b : List.of(b0, b1)) {
      List<GangMessage> got = b.sent;
      assertInstanceOf(GangMessage.Peers.class, got.get(0));
      assertInstanceOf(GangMessage.Load.class, got.get(1));
      for (int s = 0; s < 4; s++) {
        GangMessage.Update u = assertInstanceOf(GangMessage.Update.class, got.get(2 + s));
        assertEquals(s, u.step(), "replayed in order, then the interrupted step");
      }
    }
    // Answers to replayed steps are stale; the interrupted step completes with the new attempt's.
    for (Fake b : List.of(b0, b1)) {
      GangMessage.Update old = (GangMessage.Update) b.sent.get(2);
      c.onResult(b, new GangMessage.Result(old.id(), new double[][] {{99, 4, 10}}));
    }
    answerAll(c, b0, b1);
    assertEquals(1.5, f.get(30, TimeUnit.SECONDS).get(0)[0]);
    assertEquals(4, c.replayLength());
    c.rebase(new GangMessage.Load(0, new double[] {3, 4}, new double[0][], 4));
    assertEquals(0, c.replayLength(), "a fetched state replaces the replay");
    assertEquals(2, c.gangsFormed());
  }
}
