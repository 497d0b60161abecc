package sparksgd.model;

import java.util.SplittableRandom;

/**
 * Weight initializers (biases are always zero). Each layer draws from its own
 * {@link SplittableRandom} seeded from (run seed, layer index), so a layer's weights do not depend on
 * the other layers' sizes and every JVM produces the same values. Normal draws use our own polar
 * method rather than {@code RandomGenerator.nextGaussian()}, whose algorithm is a JDK detail.
 */
public enum Initializer {
  /** U(-l, l) with l = sqrt(6 / (fan_in + fan_out)): Keras's default for Dense layers. */
  GLOROT_UNIFORM,
  /**
   * Keras's he_normal: a normal truncated at two standard deviations, with the pre-truncation standard
   * deviation sqrt(2 / fan_in) / 0.87962566103423978 so the truncated draws have variance 2 / fan_in.
   */
  HE_NORMAL,
  /** U(-l, l) with l = sqrt(6 / fan_in): variance 2 / fan_in. */
  HE_UNIFORM;

  /** Standard deviation of a unit normal truncated to [-2, 2] (the constant Keras uses). */
  static final double TRUNCATED_STD = 0.87962566103423978;

  /** The name in job files and model.json: {@code GLOROT_UNIFORM} is {@code glorot-uniform}. */
  public String configName() {
    return ConfigNames.of(this);
  }

  @Override
  public String toString() {
    return configName();
  }

  public static Initializer parse(String name) {
    return ConfigNames.parse(Initializer.class, "initializer", name);
  }

  /**
   * Fills {@code w[off, off + fanIn * fanOut)} with the weights of layer {@code layer} (1-based as in
   * the tensor names W1, W2, ...), deterministically from {@code seed}.
   */
  public void fill(double[] w, int off, int fanIn, int fanOut, long seed, int layer) {
    SplittableRandom rnd = random(seed, layer);
    int n = fanIn * fanOut;
    switch (this) {
      case GLOROT_UNIFORM: {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < n; i++) {
          w[off + i] = rnd.nextDouble(-limit, limit);
        }
        break;
      }
      case HE_UNIFORM: {
        double limit = Math.sqrt(6.0 / fanIn);
        for (int i = 0; i < n; i++) {
          w[off + i] = rnd.nextDouble(-limit, limit);
        }
        break;
      }
      case HE_NORMAL: {
        double std = Math.sqrt(2.0 / fanIn) / TRUNCATED_STD;
        for (int i = 0; i < n; i++) {
          double g;
          do {
            g = gaussian(rnd);
          } while (Math.abs(g) > 2.0);
          w[off + i] = std * g;
        }
        break;
      }
      default:
        throw new AssertionError(this);
    }
  }

  /** A generator for (seed, layer): both mixed so nearby seeds/layers give unrelated streams. */
  static SplittableRandom random(long seed, int layer) {
    return new SplittableRandom(mix64(mix64(seed) + 0x9E3779B97F4A7C15L * (layer + 1L)));
  }

  /** Stafford's variant 13 of the MurmurHash3 finalizer. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Marsaglia's polar method; discards the second value to stay simple and stateless. */
  static double gaussian(SplittableRandom rnd) {
    double u;
    double v;
    double s;
    do {
      u = 2.0 * rnd.nextDouble() - 1.0;
      v = 2.0 * rnd.nextDouble() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    return u * Math.sqrt(-2.0 * Math.log(s) / s);
  }
}
