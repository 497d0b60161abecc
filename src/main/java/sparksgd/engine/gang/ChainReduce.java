package sparksgd.engine.gang;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import sparksgd.engine.Combine;

/**
 * Allreduce in partition order over a {@link PeerRing}: a chunked, pipelined chain
 * {@code 0 -> 1 -> ... -> P-1} sums, then the finished chunks go round once more
 * {@code P-1 -> 0 -> 1 -> ... -> P-2}. Every element is summed exactly as {@link Combine} sums it
 * (from 0.0, partition 0's arrays first, each partition's arrays in their order), so every task ends
 * with the driver mode's bits. Each task sends at most twice the vector (plus 21 bytes a chunk),
 * whatever P is.
 *
 * <p>Frame of one chunk: {@code [long tag][byte encoding][int from][int count][int bytes][payload]}.
 * Partition 0 both starts the chain and receives the result from P-1; it reads on a second thread, so
 * the ring can never fill up with everybody writing (the one cycle in the graph always drains).
 */
final class ChainReduce implements AutoCloseable {
  static final int DEFAULT_CHUNK = 1 << 16;
  private static final int HEADER = 8 + 1 + 4 + 4 + 4;
  private final PeerRing ring;
  private final int partition;
  private final int partitions;
  private final int chunk;
  private final ReduceEncoding encoding;
  private final long timeoutMillis;
  private final byte[] writeBuf;
  private final byte[] readBuf;
  private ExecutorService reader;
  private long bytesSent;

  ChainReduce(PeerRing ring, int partition, int partitions, int chunk, ReduceEncoding encoding, long timeoutMillis) {
    this.ring = ring;
    this.partition = partition;
    this.partitions = partitions;
    this.chunk = chunk;
    this.encoding = encoding;
    this.timeoutMillis = timeoutMillis;
    this.writeBuf = new byte[chunk * 8];
    this.readBuf = new byte[chunk * 8];
  }

  /** Bytes this task sent to its successor so far. */
  long bytesSent() {
    return bytesSent;
  }

  /**
   * The partition-order sum of every partition's {@code parts} (each {@code width} long), the same
   * bits on every task. {@code tag} (the request id) must be the same on every task.
   */
  double[] allreduce(long tag, double[][] parts, int width) throws IOException, InterruptedException {
    double[] acc = new double[width];
    int chunks = Math.max(1, (width + chunk - 1) / chunk);
    if (partitions == 1) {
      addOwn(parts, acc, 0, width);
      return acc;
    }
    DataOutputStream out = ring.out();
    DataInputStream in = ring.in();
    if (partition == 0) {
      addOwn(parts, acc, 0, width);
      Semaphore arrived = new Semaphore(0);
      Future<?> result = reader().submit(() -> {
        for (int c = 0; c < chunks; c++) {
          readChunk(in, tag, acc, c, width, readBuf);
          arrived.release();
        }
        return null;
      });
      try {
        for (int c = 0; c < chunks; c++) {
          writeChunk(out, tag, acc, c, width);
        }
        out.flush();
        for (int c = 0; c < chunks; c++) {
          while (!arrived.tryAcquire(20, TimeUnit.MILLISECONDS)) {
            if (result.isDone()) {
              get(result); // the reader failed: rethrow its error
              throw new IOException("ring reader ended before chunk " + c);
            }
          }
          if (partitions > 2) {
            writeChunk(out, tag, acc, c, width);
          }
        }
        out.flush();
        get(result);
      } finally {
        result.cancel(true);
      }
      return acc;
    }
    boolean last = partition == partitions - 1;
    for (int c = 0; c < chunks; c++) {
      int from = c * chunk;
      int count = Math.min(chunk, width - from);
      readChunk(in, tag, acc, c, width, readBuf);
      addOwn(parts, acc, from, count);
      writeChunk(out, tag, acc, c, width);
      if (last) {
        out.flush(); // the result chunk goes out at once
      }
    }
    out.flush();
    if (!last) {
      boolean forward = partition < partitions - 2;
      for (int c = 0; c < chunks; c++) {
        readChunk(in, tag, acc, c, width, readBuf);
        if (forward) {
          writeChunk(out, tag, acc, c, width);
        }
      }
      out.flush();
    }
    return acc;
  }

  private static void addOwn(double[][] parts, double[] acc, int from, int count) {
    int to = from + count;
    for (double[] part : parts) {
      for (int i = from; i < to; i++) {
        acc[i] += part[i];
      }
    }
  }

  private void writeChunk(DataOutputStream out, long tag, double[] a, int c, int width) throws IOException {
    int from = c * chunk;
    int count = Math.min(chunk, width - from);
    int bytes = encoding.encodedSize(a, from, count);
    ByteBuffer b = ByteBuffer.wrap(writeBuf, 0, bytes);
    encoding.encode(a, from, count, b);
    out.writeLong(tag);
    out.writeByte(encoding.id());
    out.writeInt(from);
    out.writeInt(count);
    out.writeInt(bytes);
    out.write(writeBuf, 0, bytes);
    bytesSent += HEADER + bytes;
  }

  private void readChunk(DataInputStream in, long tag, double[] dst, int c, int width, byte[] buf) throws IOException {
    int from = c * chunk;
    int count = Math.min(chunk, width - from);
    long t = in.readLong();
    byte enc = in.readByte();
    int f = in.readInt();
    int n = in.readInt();
    int bytes = in.readInt();
    if (t != tag || f != from || n != count) {
      throw new IOException("ring out of step: expected chunk " + from + "+" + count + " of request " + tag
          + ", got " + f + "+" + n + " of request " + t);
    }
    ReduceEncoding e = ReduceEncoding.byId(enc);
    if (e == null || bytes < 0 || bytes > buf.length) {
      throw new IOException("ring chunk with unknown encoding " + enc + " or bad size " + bytes);
    }
    in.readFully(buf, 0, bytes);
    e.decode(ByteBuffer.wrap(buf, 0, bytes), bytes, dst, from, count);
  }

  private synchronized ExecutorService reader() {
    if (reader == null) {
      reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "spark-sgd-ring-reader");
        t.setDaemon(true);
        return t;
      });
    }
    return reader;
  }

  private void get(Future<?> f) throws IOException, InterruptedException {
    try {
      f.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      throw new IOException("ring reader failed: " + c, c);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("ring reader did not finish within " + timeoutMillis + " ms");
    }
  }

  @Override
  public synchronized void close() {
    if (reader != null) {
      reader.shutdownNow();
    }
  }
}
