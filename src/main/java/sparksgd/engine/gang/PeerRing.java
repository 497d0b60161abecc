package sparksgd.engine.gang;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;

/**
 * A task's two links of the allreduce ring: one to partition {@code p + 1 mod P}, one from
 * {@code p - 1 mod P}. The task binds its listener before its hello (the driver hands the ring's
 * addresses to every task once the stage attempt is complete); then it connects to its successor and
 * accepts its predecessor. Each link opens with the run's secret, the stage and the stage attempt:
 * a peer of another run or another attempt is dropped (attempt fencing, as on the driver link).
 * Reads time out after the step timeout; {@link #close()} (the task's watchdog) unblocks them.
 */
final class PeerRing implements AutoCloseable {
  private static final int MAGIC = 0x53475231; // "SGR1"
  private static final int BUFFER = 1 << 16;
  private final ServerSocket listener;
  private volatile Socket toNext;
  private volatile Socket fromPrev;
  private DataOutputStream out;
  private DataInputStream in;
  private volatile boolean closed;

  private PeerRing(ServerSocket listener) {
    this.listener = listener;
  }

  /** Binds the listener on every interface, on a port the OS chooses. */
  static PeerRing listen() {
    try {
      ServerSocket s = new ServerSocket();
      s.bind(new InetSocketAddress(0), 4);
      return new PeerRing(s);
    } catch (IOException e) {
      throw new GangException("task cannot open its allreduce listener: " + e, e);
    }
  }

  int port() {
    return listener.getLocalPort();
  }

  /**
   * Links partition {@code partition} into the ring of {@code peers}; blocks until both links are
   * up or {@code connectMillis} passed. The listener is closed afterwards (nothing else may join).
   */
  void link(GangMessage.Peers peers, int partition, byte[] secret, int stageId, int attempt, long connectMillis,
      long readTimeoutMillis) throws IOException {
    int n = peers.hosts().length;
    int next = (partition + 1) % n;
    int prev = (partition + n - 1) % n;
    long deadline = System.currentTimeMillis() + connectMillis;
    Socket s = connectWithRetry(peers.hosts()[next], peers.ports()[next], deadline);
    toNext = s;
    s.setTcpNoDelay(true);
    s.setSendBufferSize(1 << 20);
    out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), BUFFER));
    out.writeInt(MAGIC);
    out.writeInt(secret.length);
    out.write(secret);
    out.writeInt(stageId);
    out.writeInt(attempt);
    out.writeInt(partition);
    out.flush();
    while (fromPrev == null) {
      int left = (int) Math.max(1, deadline - System.currentTimeMillis());
      if (System.currentTimeMillis() >= deadline) {
        throw new SocketTimeoutException("partition " + prev + " did not connect within " + connectMillis + " ms");
      }
      listener.setSoTimeout(left);
      Socket c;
      try {
        c = listener.accept();
      } catch (SocketTimeoutException e) {
        throw new SocketTimeoutException("partition " + prev + " did not connect within " + connectMillis + " ms");
      }
      c.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, connectMillis)));
      c.setReceiveBufferSize(1 << 20);
      DataInputStream din = new DataInputStream(new BufferedInputStream(c.getInputStream(), BUFFER));
      String why = checkHandshake(din, secret, stageId, attempt, prev);
      if (why != null) {
        c.close(); // a stranger or a stale attempt: drop it, keep waiting for the real predecessor
        continue;
      }
      c.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, readTimeoutMillis)));
      fromPrev = c;
      in = din;
    }
    listener.close();
    if (closed) {
      close();
      throw new IOException("ring closed while linking");
    }
  }

  private static String checkHandshake(DataInputStream din, byte[] secret, int stageId, int attempt, int prev) {
    try {
      if (din.readInt() != MAGIC) {
        return "not a ring peer";
      }
      int len = din.readInt();
      if (len != secret.length) {
        return "wrong secret";
      }
      byte[] theirs = new byte[len];
      din.readFully(theirs);
      if (!MessageDigest.isEqual(secret, theirs)) {
        return "wrong secret";
      }
      int stage = din.readInt();
      int att = din.readInt();
      int part = din.readInt();
      if (stage != stageId || att != attempt) {
        return "stage " + stage + " attempt " + att + " is not ours";
      }
      return part == prev ? null : "partition " + part + " is not our predecessor " + prev;
    } catch (IOException e) {
      return "handshake failed: " + e;
    }
  }

  private static Socket connectWithRetry(String host, int port, long deadline) throws IOException {
    IOException last = null;
    while (System.currentTimeMillis() < deadline) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(host, port), (int) Math.max(1, deadline - System.currentTimeMillis()));
        return s;
      } catch (IOException e) {
        s.close();
        last = e;
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while connecting to " + host + ":" + port);
        }
      }
    }
    throw new IOException("cannot connect to ring peer " + host + ":" + port + (last == null ? "" : ": " + last), last);
  }

  DataOutputStream out() {
    return out;
  }

  DataInputStream in() {
    return in;
  }

  /** Closes both links and the listener; safe from any thread, unblocks pending reads and writes. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    closeQuietly(toNext);
    closeQuietly(fromPrev);
  }

  private static void closeQuietly(java.io.Closeable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException ignored) {
      // closing is best effort
    }
  }
}
