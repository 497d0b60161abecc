package sparksgd.engine.gang;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import sparksgd.engine.Combine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ring allreduce in one process (one thread per "task", real loopback sockets): the sum equals
 * {@link Combine}'s partition-order sum bit for bit on every task, for ring sizes with and without
 * middle members and vectors that do or do not fill the last chunk; each task sends at most twice
 * the vector; strangers and stale attempts cannot join.
 */
class ChainReduceTest {
  private static final byte[] SECRET = "0123456789abcdef".getBytes();

  /** Parts of partition p: {@code perPartition} arrays of width values spanning many magnitudes. */
  private static double[][][] parts(int partitions, int perPartition, int width, long seed) {
    Random r = new Random(seed);
    double[][][] out = new double[partitions][perPartition][width];
    for (double[][] p : out) {
      for (double[] a : p) {
        for (int i = 0; i < width; i++) {
          a[i] = r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6);
        }
      }
    }
    return out;
  }

  private static double[][] reduceInRing(double[][][] parts, int width, int chunk, long[] sent) throws Exception {
    int n = parts.length;
    List<PeerRing> rings = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      rings.add(PeerRing.listen());
    }
    String[] hosts = new String[n];
    int[] ports = new int[n];
    for (int p = 0; p < n; p++) {
      hosts[p] = "127.0.0.1";
      ports[p] = rings.get(p).port();
    }
    GangMessage.Peers peers = new GangMessage.Peers(hosts, ports);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<double[]>> results = new ArrayList<>();
      for (int p = 0; p < n; p++) {
        int me = p;
        results.add(pool.submit(() -> {
          PeerRing ring = rings.get(me);
          ring.link(peers, me, SECRET, 7, 1, 10_000, 10_000);
          try (ChainReduce chain = new ChainReduce(ring, me, n, chunk, ReduceEncoding.DenseFloat64.INSTANCE, 10_000)) {
            double[] first = chain.allreduce(41, parts[me], width);
            double[] second = chain.allreduce(42, parts[me], width); // the links carry several steps
            assertArrayEquals(first, second);
            sent[me] = chain.bytesSent() / 2;
            return first;
          }
        }));
      }
      double[][] out = new double[n][];
      for (int p = 0; p < n; p++) {
        out[p] = results.get(p).get(60, TimeUnit.SECONDS);
      }
      return out;
    } finally {
      rings.forEach(PeerRing::close);
      pool.shutdownNow();
    }
  }

  @Test
  void everyTaskGetsThePartitionOrderSumBitForBit() throws Exception {
    for (int n : new int[] {2, 3, 5}) {
      for (int width : new int[] {1, 100, 1000}) {
        double[][][] parts = parts(n, 2, width, 31L * n + width);
        List<double[]> inOrder = new ArrayList<>();
        for (double[][] p : parts) {
          inOrder.addAll(List.of(p));
        }
        double[] expected = Combine.sums(inOrder, width);
        long[] sent = new long[n];
        double[][] got = reduceInRing(parts, width, 64, sent);
        for (int p = 0; p < n; p++) {
          for (int i = 0; i < width; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(got[p][i]),
                "P=" + n + " width " + width + " task " + p + " element " + i);
          }
          int chunks = (width + 63) / 64;
          assertTrue(sent[p] <= 2L * (8L * width + 21L * chunks), "task " + p + " sent " + sent[p] + " bytes");
        }
      }
    }
  }

  @Test
  @Tag("slow") // 24 MB through a real socket ring
  void aVectorFarLargerThanTheSocketBuffersDoesNotDeadlockTheRing() throws Exception {
    int width = 3_000_000; // 24 MB: the ring's buffers hold a small fraction of it
    double[][][] parts = parts(3, 1, width, 5);
    double[] expected = Combine.sums(List.of(parts[0][0], parts[1][0], parts[2][0]), width);
    double[][] got = reduceInRing(parts, width, ChainReduce.DEFAULT_CHUNK, new long[3]);
    for (double[] g : got) {
      assertArrayEquals(expected, g);
    }
  }

  @Test
  void aPeerOfAnotherAttemptIsNotLinked() throws Exception {
    PeerRing a = PeerRing.listen();
    PeerRing b = PeerRing.listen();
    GangMessage.Peers peers = new GangMessage.Peers(new String[] {"127.0.0.1", "127.0.0.1"},
        new int[] {a.port(), b.port()});
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      // b speaks for stage attempt 2, a waits for attempt 3: a must time out rather than accept b.
      Future<?> stale = pool.submit(() -> {
        b.link(peers, 1, SECRET, 7, 2, 1500, 1500);
        return null;
      });
      java.io.IOException e = assertThrows(java.io.IOException.class, () -> a.link(peers, 0, SECRET, 7, 3, 1500, 1500));
      assertTrue(e.getMessage().contains("did not connect"), e.getMessage());
      assertThrows(Exception.class, () -> stale.get(10, TimeUnit.SECONDS));
    } finally {
      a.close();
      b.close();
      pool.shutdownNow();
    }
  }
}
