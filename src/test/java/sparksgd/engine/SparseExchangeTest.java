package sparksgd.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import sparksgd.data.Block;
import sparksgd.data.PartitionData;
import sparksgd.model.Activation;
import sparksgd.model.Initializer;
import sparksgd.model.Losses;
import sparksgd.model.Mlp;
import sparksgd.model.Precision;
import sparksgd.optim.OptimizerSettings;
import sparksgd.optim.OptimizerState;
import sparksgd.optim.Optimizers;
import sparksgd.optim.Optimizer;
import sparksgd.optim.Regularization;
import sparksgd.optim.Sgd;

/**
 * The sparse step exchange without Spark: the encodings round-trip, sparse partition sums are the dense sums
 * bit for bit, a worker's sparse part is its dense step, and plain SGD on the touched entries is the dense
 * update.
 */
class SparseExchangeTest {
  static final int D = SparseExchangeTestData.D;

  static void assertBits(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
          what + "[" + i + "]: " + expected[i] + " vs " + actual[i]);
    }
  }

  @Test
  void sparsePartsRoundTripAndAreChosenOnlyWhenShorter() {
    double[] grad = new double[10];
    grad[2] = 0.5;
    grad[7] = -1.0 / 3;
    double[] part = StepParts.sparse(new int[] {7, 2, 9}, 3, grad, 4.25, 12);
    assertEquals(9, part.length);
    assertFalse(StepParts.isDense(part, 10));
    double[] expected = Arrays.copyOf(grad, 12);
    expected[10] = 4.25;
    expected[11] = 12;
    assertBits(expected, StepParts.dense(part, 10), "dense form");
    assertEquals(3, StepParts.count(part));
    assertTrue(StepParts.sparseIsSmaller(4, 10)); // 11 < 12
    assertFalse(StepParts.sparseIsSmaller(5, 10)); // 13 >= 12: would be longer than dense, and ambiguous
    assertThrows(IllegalArgumentException.class, () -> StepParts.count(new double[] {5, 1, 2}));
  }

  @Test
  void parameterChangesRoundTrip() {
    double[] params = {1, 2, 3, -0.0, 5};
    double[] changes = ParamChanges.of(new int[] {3, 0}, params);
    double[] held = {9, 9, 9, 9, 9};
    ParamChanges.apply(changes, held);
    assertBits(new double[] {1, 9, 9, -0.0, 9}, held, "held after changes");
    assertTrue(ParamChanges.smaller(2, 6));
    assertFalse(ParamChanges.smaller(3, 6));
    assertThrows(IllegalArgumentException.class, () -> ParamChanges.apply(new double[] {1, 7, 0.5}, held));
  }

  /** Random partitions, some sparse and some dense, with zeros, -0.0 and cancelling values. */
  @Test
  void sparseSumsAreTheDenseSumsBitForBit() {
    Random r = new Random(5);
    int p = 500;
    GradientSum sum = new GradientSum(p);
    for (int trial = 0; trial < 60; trial++) {
      int parts = 1 + r.nextInt(4);
      List<double[]> dense = new ArrayList<>();
      List<double[]> shipped = new ArrayList<>();
      boolean allSparse = trial % 3 != 0;
      for (int q = 0; q < parts; q++) {
        double[] g = new double[p];
        int[] touched = r.ints(0, p).distinct().limit(r.nextInt(120)).toArray();
        if (trial % 2 == 0) { // as workers send them (ascending), or in any order
          Arrays.sort(touched);
        }
        for (int i : touched) {
          int kind = r.nextInt(6);
          g[i] = kind == 0 ? 0.0 : kind == 1 ? -0.0 : kind == 2 ? 1e-3 : r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4);
        }
        double loss = r.nextDouble();
        double rows = 1 + r.nextInt(50);
        double[] d = Arrays.copyOf(g, p + 2);
        d[p] = loss;
        d[p + 1] = rows;
        dense.add(d);
        boolean sendSparse = allSparse || r.nextBoolean();
        shipped.add(sendSparse ? StepParts.sparse(touched, touched.length, g, loss, rows) : d);
      }
      boolean shippedAllSparse = shipped.stream().noneMatch(a -> StepParts.isDense(a, p));
      StepResult expected = Combine.steps(dense, p);
      StepResult got = sum.add(shipped);
      assertEquals(shippedAllSparse, got.sparse(), "all parts sparse: the sum stays sparse");
      assertBits(expected.gradientSum(), got.gradientSum(), "trial " + trial);
      assertEquals(Double.doubleToRawLongBits(expected.lossSum()), Double.doubleToRawLongBits(got.lossSum()));
      assertEquals(expected.rows(), got.rows());
      if (got.sparse()) {
        int[] t = got.touched();
        assertEquals(t.length, Arrays.stream(t).distinct().count(), "each touched index once");
      }
    }
  }

  private static Mlp mlp(boolean linear, Precision precision) {
    return linear ? Mlp.linear(D, 1).withPrecision(precision)
        : new Mlp(D, new int[] {3}, new Activation[] {Activation.parse("tanh")}, 1, Initializer.GLOROT_UNIFORM,
            precision);
  }

  /** A worker's sparse part is its dense step, bit for bit, for the linear model and an MLP, in both precisions. */
  @Test
  void aWorkersSparsePartIsItsDenseStep() {
    for (Precision precision : Precision.values()) {
      boolean f32 = precision == Precision.FLOAT32;
      List<PartitionData> data = SparseExchangeTestData.sparseData(new int[] {150, 110}, 8, f32, 3);
      for (boolean linear : new boolean[] {true, false}) {
        Mlp model = mlp(linear, precision);
        double[] params = new double[model.numParams()];
        model.init(params, 7);
        for (int[] batchAndChunk : new int[][] {{16, 64}, {40, 16}}) { // one chunk a step, or three
          assertPartsAreDenseSteps(model, params, data, batchAndChunk[0], batchAndChunk[1], precision, linear);
        }
        assertPartsAreDenseSteps(model, params, SparseExchangeTestData.weighted(data, 4), 40, 16, precision, linear);
      }
    }
  }

  private static void assertPartsAreDenseSteps(Mlp model, double[] params, List<PartitionData> data, int batch,
      int chunk, Precision precision, boolean linear) {
    boolean f32 = precision == Precision.FLOAT32;
    PartitionWorker sparse = new PartitionWorker(model, Losses.BCE, batch, 5, 260, chunk, 0, 1);
    PartitionWorker dense = new PartitionWorker(model, Losses.BCE, batch, 5, 260, chunk, 0, 1);
    // the general path, chunk by chunk over the whole model (steps whose share is too long to gather whole)
    PartitionWorker chunked = new PartitionWorker(model, Losses.BCE, batch, 5, 260, chunk, 0, 1).subsetLimit(0);
    int sparseParts = 0;
    int steps = batch == 16 ? 17 : 7;
    for (int epoch = 0; epoch < 2; epoch++) {
      for (int s = 0; s < steps; s++) {
        for (PartitionData d : data) {
          double[] part = sparse.stepPart(d, epoch, s, params, null);
          sparseParts += StepParts.isDense(part, params.length) ? 0 : 1;
          assertBits(dense.step(d, epoch, s, params), StepParts.dense(part, params.length),
              precision + (linear ? " linear" : " mlp") + " batch " + batch + " epoch " + epoch + " step " + s);
          assertBits(StepParts.dense(chunked.stepPart(d, epoch, s, params, null), params.length),
              StepParts.dense(part, params.length), "the chunked path, batch " + batch + " step " + s);
          if (!StepParts.isDense(part, params.length)) {
            for (int j = 1; j < StepParts.count(part); j++) {
              assertTrue(part[1 + j] > part[j], "a part lists its indices in ascending order");
            }
          }
        }
        params[(epoch * 31 + s * 7) % params.length] += 0.01; // the parameters move between steps
        if (f32) {
          precision.round(params);
        }
      }
    }
    assertEquals(2 * steps * 2, sparseParts, "every step of " + batch + " rows x 8 features travels sparse");
  }

  /** A step whose rows touch most features travels dense, still with its dense step's bits. */
  @Test
  void aStepTouchingMostFeaturesTravelsDense() {
    for (Precision precision : Precision.values()) {
      List<PartitionData> data = SparseExchangeTestData.sparseData(new int[] {150, 110}, 40,
          precision == Precision.FLOAT32, 6);
      for (boolean linear : new boolean[] {true, false}) {
        Mlp model = mlp(linear, precision);
        double[] params = new double[model.numParams()];
        model.init(params, 3);
        PartitionWorker sparse = new PartitionWorker(model, Losses.BCE, 250, 5, 260, 64, 0, 1);
        PartitionWorker dense = new PartitionWorker(model, Losses.BCE, 250, 5, 260, 64, 0, 1);
        int denseParts = 0;
        for (PartitionData d : data) {
          double[] part = sparse.stepPart(d, 0, 0, params, null); // about 130 rows x 40 of 3,000 features
          denseParts += StepParts.isDense(part, params.length) ? 1 : 0;
          assertBits(dense.step(d, 0, 0, params), StepParts.dense(part, params.length), precision + " " + linear);
        }
        assertTrue(denseParts > 0, "a part of most features travels dense");
      }
    }
  }

  @Test
  void plainSgdOnTheTouchedEntriesIsTheDenseUpdate() {
    Random r = new Random(2);
    Optimizer sgd = new Sgd();
    assertTrue(sgd.updatesOnlyTouched());
    assertFalse(new Sgd(0.9, false, 0).updatesOnlyTouched(), "momentum moves every parameter");
    assertFalse(new Sgd(0, false, 1e-4).updatesOnlyTouched(), "weight decay moves every parameter");
    assertFalse(((Sgd) new Sgd().regularize(new Regularization(0.1, 1, 0, null))).updatesOnlyTouched(), "L1");
    assertFalse(Optimizers.create(OptimizerSettings.defaults("adam")).updatesOnlyTouched());
    double[] start = new double[200];
    for (int i = 0; i < start.length; i++) {
      start[i] = i % 5 == 0 ? -0.0 : r.nextGaussian();
    }
    int[] touched = r.ints(0, 200).distinct().limit(40).toArray();
    double[] g = new double[40];
    double[] dense = new double[200];
    for (int j = 0; j < 40; j++) {
      g[j] = r.nextGaussian();
      dense[touched[j]] = g[j];
    }
    double[] a = start.clone();
    OptimizerState sa = sgd.initialise(200);
    sgd.step(a, dense, sa, 0.3);
    double[] b = start.clone();
    OptimizerState sb = sgd.initialise(200);
    sgd.stepTouched(b, touched, g, sb, 0.3);
    assertBits(a, b, "parameters");
    assertEquals(sa.step(), sb.step());
    assertThrows(UnsupportedOperationException.class,
        () -> new Sgd(0.9, false, 0).stepTouched(b, touched, g, sb, 0.3));
    assertNull(new StepResult(null, 1, 2).touched());
  }
}
