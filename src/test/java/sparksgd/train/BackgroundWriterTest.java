package sparksgd.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundWriterTest {
  @Test
  void oneWriteInFlightAndOnlyTheNewestWaitingOneIsWritten() throws Exception {
    Timings timings = new Timings();
    List<Integer> written = new CopyOnWriteArrayList<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (BackgroundWriter w = new BackgroundWriter("test", timings, "writes")) {
      for (int i = 1; i <= 5; i++) {
        int n = i;
        w.submit(() -> {
          maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          firstStarted.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          written.add(n);
          inFlight.decrementAndGet();
          return null;
        });
        if (i == 1) {
          assertTrue(firstStarted.await(10, TimeUnit.SECONDS), "the first write starts at once");
        }
      }
      release.countDown();
      w.drain();
      // 1 was in flight while 2, 3 and 4 were each replaced by a newer one; 5 is the last state.
      assertEquals(List.of(1, 5), written);
      assertEquals(1, maxInFlight.get());
      assertTrue(timings.seconds("writes") > 0, "the writes' time is accounted");
    }
  }

  @Test
  void aFailedWriteIsThrownToTheTrainingThread() {
    BackgroundWriter w = new BackgroundWriter("test", new Timings(), "writes");
    w.submit(() -> {
      throw new IllegalStateException("disk full");
    });
    IllegalStateException e = assertThrows(IllegalStateException.class, w::drain);
    assertEquals("disk full", e.getMessage());
    w.submit(() -> null); // the failure was reported once; later writes go on
    w.close();
  }
}
