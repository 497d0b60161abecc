package sparksgd.engine.gang;

import java.nio.ByteBuffer;

/**
 * How a chunk of the reduced vector travels between ring neighbours in allreduce mode. A chunk is
 * the element range {@code [from, from + count)}; the frame around it ({@link ChainReduce}) carries
 * the encoding's {@link #id()}, the range and the payload's byte length, so an encoding may be
 * variable-length. Dense float64 is the only one today; float32 values or sparse (index, value)
 * pairs of the entries inside the range fit the same contract (a sparse encoder writes only the
 * nonzero entries of the range, its decoder zero-fills the rest). Receivers sum in double whatever
 * came over the wire, in partition order.
 */
interface ReduceEncoding {
  /** On the wire, so a receiver refuses a payload it cannot decode. */
  byte id();

  /** Bytes {@link #encode} will write for {@code a[from, from + count)}. */
  int encodedSize(double[] a, int from, int count);

  /** Writes {@code a[from, from + count)} into {@code out} (at its position, advancing it). */
  void encode(double[] a, int from, int count, ByteBuffer out);

  /** Overwrites {@code dst[from, from + count)} with a payload of {@code bytes} bytes from {@code in}. */
  void decode(ByteBuffer in, int bytes, double[] dst, int from, int count);

  /** The encodings a receiver understands, by id. */
  static ReduceEncoding byId(byte id) {
    return id == DenseFloat64.ID ? DenseFloat64.INSTANCE : null;
  }

  /** Raw IEEE double bits, little-endian: what was summed arrives bit for bit. */
  final class DenseFloat64 implements ReduceEncoding {
    static final byte ID = 1;
    static final DenseFloat64 INSTANCE = new DenseFloat64();

    private DenseFloat64() {}

    @Override
    public byte id() {
      return ID;
    }

    @Override
    public int encodedSize(double[] a, int from, int count) {
      return count * 8;
    }

    @Override
    public void encode(double[] a, int from, int count, ByteBuffer out) {
      out.order(java.nio.ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(a, from, count);
      out.position(out.position() + count * 8);
    }

    @Override
    public void decode(ByteBuffer in, int bytes, double[] dst, int from, int count) {
      if (bytes != count * 8) {
        throw new IllegalArgumentException("dense float64 chunk of " + count + " values has " + bytes + " bytes");
      }
      in.order(java.nio.ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(dst, from, count);
      in.position(in.position() + bytes);
    }
  }
}
