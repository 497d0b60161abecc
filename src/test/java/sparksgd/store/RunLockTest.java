package sparksgd.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sparksgd.store.NpyTest.assertMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {
  private final Configuration conf = new Configuration();
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  @TempDir java.nio.file.Path tmp;

  private Path dir() {
    return new Path(tmp.resolve("run").toUri());
  }

  private RunLock acquire(Duration heartbeat, Duration stale) {
    return RunLock.acquire(conf, dir(), heartbeat, stale, warnings::add);
  }

  @Test
  void secondAcquisitionFailsNamingTheHolderAndReleaseWorks() {
    RunLock first = acquire(Duration.ofSeconds(10), Duration.ofSeconds(30));
    try {
      assertTrue(first.isHeld());
      assertTrue(Files.exists(tmp.resolve("run/.lock")));
      StoreException e = assertThrows(StoreException.class,
          () -> acquire(Duration.ofSeconds(10), Duration.ofSeconds(30)));
      assertMessage(e, "run", "in use by another run", "host " + first.owner().host(),
          "pid " + ProcessHandle.current().pid(), ".lock");
      assertEquals(first.owner(), RunLock.holder(conf, dir()).orElseThrow());
      assertTrue(HadoopFiles.isEmptyOrAbsent(conf, dir()), "the lock alone leaves a folder empty");
      first.close();
      assertFalse(first.isHeld());
      assertThrows(StoreException.class, first::checkHeld);
      assertFalse(Files.exists(tmp.resolve("run/.lock")));
    } finally {
      first.close();
    }
    try (RunLock again = acquire(Duration.ofSeconds(10), Duration.ofSeconds(30))) {
      assertTrue(again.isHeld());
    }
    assertEquals(List.of(), warnings);
  }

  @Test
  void staleLockOfACrashedRunIsTakenOverWithAWarning() throws IOException {
    Files.createDirectories(tmp.resolve("run"));
    Files.writeString(tmp.resolve("run/.lock"), Json.toString(new RunLock.Owner(
        "crashed-host", 4242, "2025-01-01T00:00:00Z", "old-token")));
    FileSystem fs = FileSystem.getLocal(conf);
    Path lock = new Path(tmp.resolve("run/.lock").toUri());
    fs.setTimes(lock, System.currentTimeMillis() - 120_000, -1); // last heartbeat 2 minutes ago
    try (RunLock taken = acquire(Duration.ofSeconds(1), Duration.ofSeconds(3))) {
      assertTrue(taken.isHeld());
      assertEquals(1, warnings.size(), warnings.toString());
      assertMessage(new RuntimeException(warnings.get(0)), "taking over", "crashed-host",
          "pid 4242", "stale after 3.0 s");
      assertEquals(taken.owner(), RunLock.holder(conf, dir()).orElseThrow());
    }
    try (var s = Files.list(tmp.resolve("run"))) {
      assertEquals(0, s.count(), "no .lock.stale- leftovers");
    }
  }

  @Test
  void freshLockOfAnotherHostIsRespected() throws IOException {
    Files.createDirectories(tmp.resolve("run"));
    Files.writeString(tmp.resolve("run/.lock"), Json.toString(new RunLock.Owner(
        "busy-host", 4242, "2025-01-01T00:00:00Z", "live-token")));
    assertMessage(assertThrows(StoreException.class,
        () -> acquire(Duration.ofSeconds(1), Duration.ofSeconds(3))), "busy-host", "pid 4242");
  }

  @Test
  void lockOfADeadProcessOnThisHostIsTakenOverAtOnce() throws Exception {
    long deadPid;
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    deadPid = p.pid();
    RunLock first = acquire(Duration.ofSeconds(10), Duration.ofSeconds(30));
    String host = first.owner().host();
    first.close();
    {
      Files.writeString(tmp.resolve("run/.lock"), Json.toString(new RunLock.Owner(
          host, deadPid, "2025-01-01T00:00:00Z", "dead-token")));
    }
    try (RunLock taken = acquire(Duration.ofSeconds(10), Duration.ofSeconds(30))) {
      assertTrue(taken.isHeld());
      assertMessage(new RuntimeException(warnings.get(0)), "no longer runs");
    }
  }

  @Test
  void heartbeatKeepsTheLockFresh() throws Exception {
    FileSystem fs = FileSystem.getLocal(conf);
    try (RunLock lock = acquire(Duration.ofMillis(50), Duration.ofMillis(1000))) {
      long past = System.currentTimeMillis() - 60_000;
      fs.setTimes(lock.lockFile(), past, -1);
      // Any refresh happens after this instant (file times may keep whole seconds only).
      long backdated = System.currentTimeMillis() / 1000 * 1000;
      long deadline = System.currentTimeMillis() + 60_000;
      while (fs.getFileStatus(lock.lockFile()).getModificationTime() == past
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      long refreshed = fs.getFileStatus(lock.lockFile()).getModificationTime();
      assertTrue(refreshed >= backdated, "heartbeat refreshed the lock: modified " + refreshed + ", backdated at "
          + backdated);
      assertThrows(StoreException.class,
          () -> acquire(Duration.ofMillis(50), Duration.ofMillis(1000)));
    }
  }

  @Test
  void aLostLockIsNoticed() throws Exception {
    try (RunLock lock = acquire(Duration.ofMillis(50), Duration.ofMillis(1000))) {
      // another run judged us stale and took over
      Files.writeString(tmp.resolve("run/.lock"), Json.toString(new RunLock.Owner(
          "other-host", 1, "2025-01-01T00:00:00Z", "other-token")));
      long deadline = System.currentTimeMillis() + 5_000;
      // the heartbeat marks the lock lost, then warns: wait for both
      while ((lock.isHeld() || warnings.isEmpty()) && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertFalse(lock.isHeld());
      assertMessage(assertThrows(StoreException.class, lock::checkHeld), "no longer held");
      assertMessage(new RuntimeException(warnings.get(0)), "lost the lock", "other-host");
    }
    assertTrue(Files.exists(tmp.resolve("run/.lock")), "close leaves the other run's lock alone");
  }

  @Test
  void stalenessMustExceedTheHeartbeat() {
    assertThrows(IllegalArgumentException.class,
        () -> acquire(Duration.ofSeconds(10), Duration.ofSeconds(10)));
  }
}
