package sparksgd.engine.gang;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Frames of the gang protocol: {@code [int length][byte type][body]}, where length counts the type
 * byte and the body. Integers are big-endian; arrays of doubles are {@code [int n][int f][f x 4 bytes]
 * [(n - f) x 8 bytes]}: the longest prefix of values that are exactly floats (all the parameters and
 * gradients of a float32 run, usually none of a float64 run) travels as float32, the rest as float64,
 * raw IEEE bits little-endian (the order of the machines Spark runs on, so the bulk copy needs no
 * byte swapping). Lossless either way: what a task computes reaches the driver bit for bit.
 */
final class GangCodec {
  static final byte HELLO = 1;
  static final byte REFUSED = 2;
  static final byte STEP = 3;
  static final byte EVALUATE = 4;
  static final byte STOP = 5;
  static final byte RESULT = 6;
  static final byte FAILED = 7;
  // 8..15: allreduce mode's frames, see ExchangeFrames
  /** A step whose parameters travel as changes since the previous step (Step.changes). */
  static final byte STEP_CHANGES = 16;

  /** Largest frame a peer may send before its hello is accepted. */
  static final int HELLO_FRAME_LIMIT = 4096;
  /** Largest frame at all (Netty buffers are int-indexed). */
  static final int MAX_FRAME = Integer.MAX_VALUE - 64;
  private static final int MAX_TEXT = 16 * 1024;

  private GangCodec() {}

  /**
   * Read buffers that grow quickly to whole parameter vectors: Netty's default starts at 2 KiB and
   * re-reads a 40 KB frame in many small pieces.
   */
  static io.netty.channel.RecvByteBufAllocator receiveBuffers() {
    return new io.netty.channel.AdaptiveRecvByteBufAllocator(512, 64 * 1024, 4 * 1024 * 1024);
  }

  /** Bytes of the frame {@link #encode} makes of {@code m} (the bench's per-task figures). */
  static long frameBytes(GangMessage m) {
    return 4 + 1 + bodySize(m);
  }

  static ByteBuf encode(ByteBufAllocator alloc, GangMessage m) {
    long body = bodySize(m);
    if (body + 1 > MAX_FRAME) {
      throw new IllegalArgumentException("message too large for one frame: " + body + " bytes");
    }
    ByteBuf buf = alloc.buffer((int) body + 5);
    buf.writeInt((int) body + 1);
    if (m instanceof GangMessage.Hello h) {
      buf.writeByte(HELLO);
      buf.writeInt(h.secret().length).writeBytes(h.secret());
      buf.writeInt(h.partition()).writeInt(h.stageId()).writeInt(h.stageAttempt());
      writeText(buf, h.peerHost());
      buf.writeInt(h.peerPort());
    } else if (m instanceof GangMessage.Refused r) {
      buf.writeByte(REFUSED);
      writeText(buf, r.reason());
    } else if (m instanceof GangMessage.Step s) {
      buf.writeByte(s.changes() == null ? STEP : STEP_CHANGES);
      buf.writeLong(s.id()).writeInt(s.epoch()).writeInt(s.step()).writeInt(s.resultWidth());
      writeDoubles(buf, s.changes() == null ? s.params() : s.changes());
    } else if (m instanceof GangMessage.Evaluate e) {
      buf.writeByte(EVALUATE);
      buf.writeLong(e.id()).writeInt(e.split()).writeInt(e.resultWidth());
      writeDoubles(buf, e.params());
    } else if (m instanceof GangMessage.Stop) {
      buf.writeByte(STOP);
    } else if (m instanceof GangMessage.Result r) {
      buf.writeByte(RESULT);
      buf.writeLong(r.id()).writeInt(r.parts().length);
      for (double[] part : r.parts()) {
        writeDoubles(buf, part);
      }
    } else if (m instanceof GangMessage.Failed f) {
      buf.writeByte(FAILED);
      buf.writeLong(f.id());
      writeText(buf, f.error());
    } else if (!ExchangeFrames.write(buf, m)) {
      buf.release();
      throw new IllegalArgumentException("unknown message " + m);
    }
    return buf;
  }

  private static long bodySize(GangMessage m) {
    if (m instanceof GangMessage.Hello h) {
      return 4 + h.secret().length + 12 + 4 + textBytes(h.peerHost()).length + 4;
    } else if (m instanceof GangMessage.Refused r) {
      return 4 + textBytes(r.reason()).length;
    } else if (m instanceof GangMessage.Step s) {
      return 20 + arrayBytes(s.changes() == null ? s.params() : s.changes());
    } else if (m instanceof GangMessage.Evaluate e) {
      return 16 + arrayBytes(e.params());
    } else if (m instanceof GangMessage.Stop) {
      return 0;
    } else if (m instanceof GangMessage.Result r) {
      long n = 12;
      for (double[] part : r.parts()) {
        n += arrayBytes(part);
      }
      return n;
    } else if (m instanceof GangMessage.Failed f) {
      return 8 + 4 + textBytes(f.error()).length;
    }
    long exchange = ExchangeFrames.bodySize(m);
    if (exchange >= 0) {
      return exchange;
    }
    throw new IllegalArgumentException("unknown message " + m);
  }

  /** Decodes one frame body (the bytes after the length field). */
  static GangMessage decode(ByteBuf in) {
    byte type = in.readByte();
    GangMessage m;
    switch (type) {
      case HELLO -> {
        int n = in.readInt();
        if (n < 0 || n > 1024) {
          throw new CorruptedFrameException("bad secret length " + n);
        }
        byte[] secret = new byte[n];
        in.readBytes(secret);
        m = new GangMessage.Hello(secret, in.readInt(), in.readInt(), in.readInt(), readText(in), in.readInt());
      }
      case REFUSED -> m = new GangMessage.Refused(readText(in));
      case STEP -> {
        long id = in.readLong();
        int epoch = in.readInt();
        int step = in.readInt();
        int width = in.readInt();
        m = new GangMessage.Step(id, epoch, step, readDoubles(in), width);
      }
      case STEP_CHANGES -> {
        long id = in.readLong();
        int epoch = in.readInt();
        int step = in.readInt();
        int width = in.readInt();
        m = new GangMessage.Step(id, epoch, step, GangMessage.NO_PARAMS, width, readDoubles(in));
      }
      case EVALUATE -> {
        long id = in.readLong();
        int split = in.readInt();
        int width = in.readInt();
        m = new GangMessage.Evaluate(id, split, readDoubles(in), width);
      }
      case STOP -> m = new GangMessage.Stop();
      case RESULT -> {
        long id = in.readLong();
        int count = in.readInt();
        if (count < 0 || count > in.readableBytes() / 4) {
          throw new CorruptedFrameException("bad part count " + count);
        }
        double[][] parts = new double[count][];
        for (int i = 0; i < count; i++) {
          parts[i] = readDoubles(in);
        }
        m = new GangMessage.Result(id, parts);
      }
      case FAILED -> {
        long id = in.readLong();
        m = new GangMessage.Failed(id, readText(in));
      }
      default -> {
        m = ExchangeFrames.read(type, in);
        if (m == null) {
          throw new CorruptedFrameException("unknown frame type " + type);
        }
      }
    }
    if (in.isReadable()) {
      throw new CorruptedFrameException("trailing bytes in frame of type " + type);
    }
    return m;
  }

  /** Encoded size of one array as {@link #writeDoubles} writes it (frame lengths are written up front). */
  static long arrayBytes(double[] a) {
    int f = sparksgd.model.Precision.floatPrefix(a);
    return 8 + 4L * f + 8L * (a.length - f);
  }

  static void writeDoubles(ByteBuf buf, double[] a) {
    int f = sparksgd.model.Precision.floatPrefix(a);
    buf.writeInt(a.length).writeInt(f);
    int bytes = f * 4 + (a.length - f) * 8;
    buf.ensureWritable(bytes);
    if (buf.nioBufferCount() == 1) {
      ByteBuffer nio = buf.nioBuffer(buf.writerIndex(), bytes).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < f; i++) {
        nio.putFloat((float) a[i]);
      }
      nio.asDoubleBuffer().put(a, f, a.length - f);
      buf.writerIndex(buf.writerIndex() + bytes);
    } else {
      for (int i = 0; i < f; i++) {
        buf.writeIntLE(Float.floatToRawIntBits((float) a[i]));
      }
      for (int i = f; i < a.length; i++) {
        buf.writeLongLE(Double.doubleToRawLongBits(a[i]));
      }
    }
  }

  static double[] readDoubles(ByteBuf in) {
    int n = in.readInt();
    int f = in.readInt();
    if (n < 0 || f < 0 || f > n || (long) f * 4 + (long) (n - f) * 8 > in.readableBytes()) {
      throw new CorruptedFrameException("bad array length " + n + " (" + f + " floats)");
    }
    double[] a = new double[n];
    int bytes = f * 4 + (n - f) * 8;
    if (in.nioBufferCount() == 1) {
      ByteBuffer nio = in.nioBuffer(in.readerIndex(), bytes).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < f; i++) {
        a[i] = nio.getFloat();
      }
      nio.asDoubleBuffer().get(a, f, n - f);
      in.skipBytes(bytes);
    } else {
      for (int i = 0; i < f; i++) {
        a[i] = Float.intBitsToFloat(in.readIntLE());
      }
      for (int i = f; i < n; i++) {
        a[i] = Double.longBitsToDouble(in.readLongLE());
      }
    }
    return a;
  }

  static byte[] textBytes(String s) {
    String t = s == null ? "" : s;
    if (t.length() > MAX_TEXT) {
      t = t.substring(0, MAX_TEXT);
    }
    return t.getBytes(StandardCharsets.UTF_8);
  }

  static void writeText(ByteBuf buf, String s) {
    byte[] b = textBytes(s);
    buf.writeInt(b.length).writeBytes(b);
  }

  static String readText(ByteBuf in) {
    int n = in.readInt();
    if (n < 0 || n > in.readableBytes()) {
      throw new CorruptedFrameException("bad text length " + n);
    }
    byte[] b = new byte[n];
    in.readBytes(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /**
   * Splits the byte stream into frames and decodes them into {@link GangMessage}s. The frame limit
   * starts small (a peer that has not said a valid hello cannot make us buffer much) and is raised
   * with {@link #acceptLargeFrames()} once the peer is trusted.
   */
  static final class FrameDecoder extends ByteToMessageDecoder {
    private volatile int limit;

    FrameDecoder(int limit) {
      this.limit = limit;
    }

    void acceptLargeFrames() {
      limit = MAX_FRAME;
    }

    private boolean failed;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      if (failed) {
        in.skipBytes(in.readableBytes()); // the connection is being closed; ignore what follows
        return;
      }
      while (in.readableBytes() >= 4) {
        int length = in.getInt(in.readerIndex());
        if (length < 1 || length > limit) {
          failed = true;
          in.skipBytes(in.readableBytes());
          if (length < 1) {
            throw new CorruptedFrameException("bad frame length " + length);
          }
          throw new TooLongFrameException("frame of " + length + " bytes exceeds the limit of " + limit);
        }
        if (in.readableBytes() - 4 < length) {
          // A large frame (a whole parameter or gradient vector) arrives in many reads: make room for all of
          // it once, else the accumulated bytes are copied into a larger buffer again and again as it grows.
          int missing = length + 4 - in.readableBytes();
          if (in.writableBytes() < missing && in.maxWritableBytes() >= missing && in.refCnt() == 1) {
            in.ensureWritable(missing);
          }
          return;
        }
        in.skipBytes(4);
        ByteBuf frame = in.readSlice(length);
        try {
          out.add(GangCodec.decode(frame));
        } catch (RuntimeException e) {
          failed = true;
          in.skipBytes(in.readableBytes());
          throw e;
        }
      }
    }
  }
}
