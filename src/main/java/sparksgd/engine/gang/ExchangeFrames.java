package sparksgd.engine.gang;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * The driver-link frames only allreduce mode uses (peer addresses, loading, updating and fetching
 * the state the tasks hold), kept apart from {@link GangCodec}'s core frames. Same conventions:
 * big-endian integers, double arrays as {@code [int n][n x 8 bytes little-endian]}.
 */
final class ExchangeFrames {
  static final byte PEERS = 8;
  static final byte LOAD = 9;
  static final byte UPDATE = 10;
  static final byte FETCH = 11;
  private static final int MAX_PEERS = 1 << 16;
  private static final int MAX_SLOTS = 64;

  private ExchangeFrames() {}

  /** Body size of an allreduce frame, or -1 when {@code m} is not one. */
  static long bodySize(GangMessage m) {
    if (m instanceof GangMessage.Peers p) {
      long n = 4;
      for (int i = 0; i < p.hosts().length; i++) {
        n += 4 + GangCodec.textBytes(p.hosts()[i]).length + 4;
      }
      return n;
    } else if (m instanceof GangMessage.Load l) {
      long n = 8 + GangCodec.arrayBytes(l.params()) + 4 + 8;
      for (double[] s : l.slots()) {
        n += GangCodec.arrayBytes(s);
      }
      return n;
    } else if (m instanceof GangMessage.Update) {
      return 8 + 4 + 4 + 8;
    } else if (m instanceof GangMessage.Fetch) {
      return 8;
    }
    return -1;
  }

  /** Writes type byte and body of an allreduce frame; false when {@code m} is not one. */
  static boolean write(ByteBuf buf, GangMessage m) {
    if (m instanceof GangMessage.Peers p) {
      if (p.hosts().length != p.ports().length) {
        throw new IllegalArgumentException("peers: " + p.hosts().length + " hosts, " + p.ports().length + " ports");
      }
      buf.writeByte(PEERS).writeInt(p.hosts().length);
      for (int i = 0; i < p.hosts().length; i++) {
        GangCodec.writeText(buf, p.hosts()[i]);
        buf.writeInt(p.ports()[i]);
      }
    } else if (m instanceof GangMessage.Load l) {
      buf.writeByte(LOAD).writeLong(l.id());
      GangCodec.writeDoubles(buf, l.params());
      buf.writeInt(l.slots().length);
      for (double[] s : l.slots()) {
        GangCodec.writeDoubles(buf, s);
      }
      buf.writeLong(l.optimizerStep());
    } else if (m instanceof GangMessage.Update u) {
      buf.writeByte(UPDATE).writeLong(u.id()).writeInt(u.epoch()).writeInt(u.step()).writeDouble(u.learningRate());
    } else if (m instanceof GangMessage.Fetch f) {
      buf.writeByte(FETCH).writeLong(f.id());
    } else {
      return false;
    }
    return true;
  }

  /** Reads the body of an allreduce frame of {@code type}; null when the type is not one. */
  static GangMessage read(byte type, ByteBuf in) {
    switch (type) {
      case PEERS -> {
        int n = in.readInt();
        if (n < 0 || n > MAX_PEERS) {
          throw new CorruptedFrameException("bad peer count " + n);
        }
        String[] hosts = new String[n];
        int[] ports = new int[n];
        for (int i = 0; i < n; i++) {
          hosts[i] = GangCodec.readText(in);
          ports[i] = in.readInt();
        }
        return new GangMessage.Peers(hosts, ports);
      }
      case LOAD -> {
        long id = in.readLong();
        double[] params = GangCodec.readDoubles(in);
        int n = in.readInt();
        if (n < 0 || n > MAX_SLOTS) {
          throw new CorruptedFrameException("bad slot count " + n);
        }
        double[][] slots = new double[n][];
        for (int i = 0; i < n; i++) {
          slots[i] = GangCodec.readDoubles(in);
        }
        return new GangMessage.Load(id, params, slots, in.readLong());
      }
      case UPDATE -> {
        return new GangMessage.Update(in.readLong(), in.readInt(), in.readInt(), in.readDouble());
      }
      case FETCH -> {
        return new GangMessage.Fetch(in.readLong());
      }
      default -> {
        return null;
      }
    }
  }
}
