package sparksgd.engine;

import java.io.Serializable;
import sparksgd.model.Precision;

/**
 * A {@code double[]} shipped through Spark with its leading exactly-float values as floats (the rule of
 * the gang codec's arrays): a float32 run's parameters and gradients travel in 4 bytes a value, its
 * double loss sum and row count in 8. Lossless: {@link #toArray()} gives back the same bits.
 */
final class CompactDoubles implements Serializable {
  private static final long serialVersionUID = 1L;
  // A class, not a record: Kryo (spark.serializer) cannot build records' field serializers.
  private final float[] head;
  private final double[] tail;

  private CompactDoubles(float[] head, double[] tail) {
    this.head = head;
    this.tail = tail;
  }

  static CompactDoubles of(double[] a) {
    int f = Precision.floatPrefix(a);
    float[] head = new float[f];
    Precision.narrow(a, head, f);
    return new CompactDoubles(head, java.util.Arrays.copyOfRange(a, f, a.length));
  }

  double[] toArray() {
    double[] a = new double[head.length + tail.length];
    Precision.widen(head, a, head.length);
    System.arraycopy(tail, 0, a, head.length, tail.length);
    return a;
  }
}
