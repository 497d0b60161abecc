package sparksgd.engine.gang;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import sparksgd.data.Block;
import sparksgd.data.PartitionData;
import sparksgd.engine.Combine;
import sparksgd.engine.PartitionWorker;
import sparksgd.engine.StepEngine;
import sparksgd.engine.StepResult;

/** Synthetic partitioned data built straight from blocks, and a plain SGD loop over any engine. */
final class GangFixtures {
  private GangFixtures() {}

  /**
   * {@code rows[p][s]} rows of split {@code s} in partition {@code p}, {@code d} features, contiguous
   * dense ids per split, blocks of {@code blockRows}.
   */
  static List<PartitionData> data(int[][] rows, int d, int blockRows, long seed) {
    Random r = new Random(seed);
    double[] truth = new double[d];
    for (int j = 0; j < d; j++) {
      truth[j] = r.nextGaussian();
    }
    int splits = rows[0].length;
    long[] nextId = new long[splits];
    List<PartitionData> out = new ArrayList<>();
    for (int p = 0; p < rows.length; p++) {
      Block[][] blocks = new Block[splits][];
      for (int s = 0; s < splits; s++) {
        int n = rows[p][s];
        List<Block> bs = new ArrayList<>();
        for (int from = 0; from < n; from += blockRows) {
          int k = Math.min(blockRows, n - from);
          double[] x = new double[k * d];
          double[] y = new double[k];
          for (int i = 0; i < k; i++) {
            double t = 0.3;
            for (int j = 0; j < d; j++) {
              x[i * d + j] = r.nextGaussian();
              t += truth[j] * x[i * d + j];
            }
            y[i] = t + 0.1 * r.nextGaussian();
          }
          bs.add(new Block(x, y, k, d, nextId[s]));
          nextId[s] += k;
        }
        blocks[s] = bs.toArray(new Block[0]);
      }
      out.add(new PartitionData(p, blockRows, blocks));
    }
    return out;
  }

  /** What a run produced: the final parameters, every step's loss sum and every evaluation. */
  record Run(double[] params, List<Double> losses, List<double[]> evaluations) {}

  /**
   * The same SGD with no Spark: every step on fresh (deserialized) copies of the worker, partitions
   * added in order. Two such runs differ only if the model's arithmetic is not reproducible.
   */
  static double[] sequential(List<PartitionData> data, PartitionWorker worker, double[] init, int epochs,
      int stepsPerEpoch, double lr) {
    double[] params = init.clone();
    for (int e = 0; e < epochs; e++) {
      for (int s = 0; s < stepsPerEpoch; s++) {
        List<double[]> parts = new ArrayList<>();
        for (PartitionData d : data) {
          parts.add(copy(worker).step(d, e, s, params));
        }
        StepResult r = Combine.steps(parts, params.length);
        for (int i = 0; i < params.length; i++) {
          params[i] -= lr * (r.gradientSum()[i] / r.rows());
        }
      }
    }
    return params;
  }

  @SuppressWarnings("unchecked")
  static <T extends java.io.Serializable> T copy(T value) {
    try {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
        out.writeObject(value);
      }
      try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
          new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
        return (T) in.readObject();
      }
    } catch (java.io.IOException | ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Plain SGD: {@code params -= lr * gradSum / rows} for every step of every epoch. */
  static Run train(StepEngine engine, double[] init, int epochs, int stepsPerEpoch, double lr) {
    double[] params = init.clone();
    List<Double> losses = new ArrayList<>();
    List<double[]> evals = new ArrayList<>();
    for (int e = 0; e < epochs; e++) {
      for (int s = 0; s < stepsPerEpoch; s++) {
        StepResult r = engine.step(e, s, params);
        double[] g = r.gradientSum();
        for (int i = 0; i < params.length; i++) {
          params[i] -= lr * (g[i] / r.rows());
        }
        losses.add(r.lossSum());
      }
      evals.add(engine.evaluate(sparksgd.data.Split.VALIDATION, params));
    }
    return new Run(params, losses, evals);
  }

  /** Equal to the last bit, element by element (-0.0 and NaN payloads included). */
  static void assertBits(double[] expected, double[] actual, String what) {
    org.junit.jupiter.api.Assertions.assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      org.junit.jupiter.api.Assertions.assertEquals(Double.doubleToRawLongBits(expected[i]),
          Double.doubleToRawLongBits(actual[i]), what + "[" + i + "]: " + expected[i] + " vs " + actual[i]);
    }
  }
}
