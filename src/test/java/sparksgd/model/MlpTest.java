package sparksgd.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MlpTest {

  /**
   * 2 -> 2 relu -> 1 with hand-set weights. W1 = [[1, -1], [2, 0.5]], b1 = [0.5, -1], W2 = [[3], [-2]],
   * b2 = [0.25].
   * Row (1, 2):    h = relu(1*1 + 2*2 + 0.5, 1*-1 + 2*0.5 - 1) = relu(5.5, -1) = (5.5, 0);
   *                z = 5.5*3 + 0*-2 + 0.25 = 16.75.
   * Row (-1, 0.5): h = relu(-1 + 1 + 0.5, 1 + 0.25 - 1) = (0.5, 0.25); z = 1.5 - 0.5 + 0.25 = 1.25.
   */
  private static final double[] HAND_PARAMS = {1, -1, 2, 0.5, /* b1 */ 0.5, -1, /* W2 */ 3, -2, /* b2 */ 0.25};

  private static Mlp handNet() {
    return new Mlp(2, new int[] {2}, new Activation[] {Activation.RELU}, 1, Initializer.GLOROT_UNIFORM);
  }

  @Test
  void forwardOfHandSetNetwork() {
    Mlp net = handNet();
    double[] x = {1, 2, -1, 0.5};
    double[] out = new double[2];
    net.forward(HAND_PARAMS, Batch.of(x, new double[2], 2, 2), out, net.newWorkspace(2));
    assertArrayEquals(new double[] {16.75, 1.25}, out, 1e-15);
  }

  /**
   * MSE on row (1, 2) with label 16: delta = 2 (16.75 - 16) = 1.5, loss 0.5625.
   * dW2 = h * delta = (8.25, 0); db2 = 1.5.
   * dh = delta * W2 = (4.5, -3), times relu'(h) = (1, 0) gives (4.5, 0).
   * dW1 = x^T dh = [[4.5, 0], [9, 0]]; db1 = (4.5, 0).
   */
  @Test
  void gradientOfHandSetNetwork() {
    Mlp net = handNet();
    double[] grad = new double[net.numParams()];
    double loss = net.addGradient(HAND_PARAMS, Batch.of(new double[] {1, 2}, new double[] {16}, 1, 2),
        Losses.MSE, grad, net.newWorkspace(1));
    assertEquals(0.5625, loss, 1e-15);
    assertArrayEquals(new double[] {4.5, 0, 9, 0, 4.5, 0, 8.25, 0, 1.5}, grad, 1e-14);
  }

  @Test
  void forwardMatchesNaiveLoops() {
    Mlp net = new Mlp(5, new int[] {7, 3}, new Activation[] {Activation.TANH, Activation.SIGMOID}, 4,
        Initializer.GLOROT_UNIFORM);
    SplittableRandom rnd = new SplittableRandom(3);
    double[] p = new double[net.numParams()];
    for (int i = 0; i < p.length; i++) {
      p[i] = rnd.nextDouble(-1, 1);
    }
    int rows = 9;
    int offset = 2;
    double[] x = new double[(rows + offset) * 5];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextDouble(-3, 3);
    }
    double[] out = new double[rows * 4];
    net.forward(p, new Batch(x, new double[rows + offset], offset, rows, 5, 1), out, net.newWorkspace(4));
    // Independent per-row evaluation straight from the documented layout.
    int[] w = {5, 7, 3, 4};
    for (int r = 0; r < rows; r++) {
      double[] a = new double[5];
      System.arraycopy(x, (offset + r) * 5, a, 0, 5);
      int off = 0;
      for (int l = 0; l < 3; l++) {
        double[] next = new double[w[l + 1]];
        int bias = off + w[l] * w[l + 1];
        for (int j = 0; j < w[l + 1]; j++) {
          double s = p[bias + j];
          for (int i = 0; i < w[l]; i++) {
            s += a[i] * p[off + i * w[l + 1] + j];
          }
          next[j] = l == 0 ? Math.tanh(s) : l == 1 ? 1 / (1 + Math.exp(-s)) : s;
        }
        off = bias + w[l + 1];
        a = next;
      }
      for (int j = 0; j < 4; j++) {
        assertEquals(a[j], out[r * 4 + j], 1e-13, "row " + r + " output " + j);
      }
    }
  }

  @Test
  void layoutNamesShapesAndOffsets() {
    Mlp net = Mlp.of(13, List.of(64, 64), List.of("relu", "relu"), "glorot-uniform", 1);
    // 13*64 + 64 + 64*64 + 64 + 64*1 + 1
    assertEquals(5121, net.numParams());
    List<ParamLayout.Tensor> t = net.layout().tensors();
    assertEquals(6, t.size());
    String[] names = {"W1", "b1", "W2", "b2", "W3", "b3"};
    int[][] shapes = {{13, 64}, {64}, {64, 64}, {64}, {64, 1}, {1}};
    int[] offsets = {0, 832, 896, 4992, 5056, 5120};
    for (int i = 0; i < 6; i++) {
      assertEquals(names[i], t.get(i).name());
      assertArrayEquals(shapes[i], t.get(i).shape());
      assertEquals(offsets[i], t.get(i).offset());
    }
    assertEquals(5121, net.layout().totalSize());
    assertEquals("Mlp(13 -> 64 relu -> 64 relu -> 1, glorot-uniform, 5121 params)", net.toString());
    assertEquals("Linear(13 -> 1, glorot-uniform, 14 params)", Mlp.linear(13, 1).toString());
  }

  @Test
  void describeRebuildsTheModel() {
    Mlp net = new Mlp(4, new int[] {8, 3}, new Activation[] {Activation.TANH, Activation.RELU}, 2,
        Initializer.HE_NORMAL);
    Map<String, Object> d = net.describe();
    assertEquals("mlp", d.get("type"));
    assertEquals(List.of(8, 3), d.get("hidden"));
    assertEquals(List.of("tanh", "relu"), d.get("activations"));
    assertEquals("he-normal", d.get("initializer"));
    @SuppressWarnings("unchecked")
    Mlp back = Mlp.of((Integer) d.get("inputs"), (List<Integer>) d.get("hidden"),
        (List<String>) d.get("activations"), (String) d.get("initializer"), (Integer) d.get("outputs"));
    assertEquals(net, back);
    assertEquals("linear", Mlp.linear(3, 1).describe().get("type"));
  }

  @Test
  void serializesAndStaysImmutable() throws Exception {
    int[] hidden = {6};
    Mlp net = new Mlp(3, hidden, new Activation[] {Activation.RELU}, 1, Initializer.GLOROT_UNIFORM);
    hidden[0] = 99; // the model keeps its own copy
    assertArrayEquals(new int[] {6}, net.hidden());
    net.hidden()[0] = 42;
    assertArrayEquals(new int[] {6}, net.hidden());

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(net);
      out.writeObject(Losses.SOFTMAX);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      Mlp back = (Mlp) in.readObject();
      assertNotSame(net, back);
      assertEquals(net, back);
      assertEquals(net.layout().totalSize(), back.layout().totalSize());
      assertTrue(in.readObject() == Losses.SOFTMAX);
    }
  }

  /**
   * The model over a subset of the features (a sparse step's): on the rows renumbered to the subset, with the
   * rows of W1 it selects and every parameter after W1, it gives those gradient entries and the loss of the
   * whole model bit for bit, in the whole model's workspace.
   */
  @Test
  void aModelOverSomeFeaturesIsTheWholeModelAtThoseRows() {
    Mlp net = new Mlp(6, new int[] {3}, new Activation[] {Activation.parse("tanh")}, 1, Initializer.GLOROT_UNIFORM);
    assertSame(net, net.overFeatures(6));
    double[] p = new double[net.numParams()];
    net.init(p, 4);
    int[] start = {0, 2, 3, 5};
    int[] col = {1, 4, 5, 1, 4}; // features 1, 4, 5 of 6
    double[] x = {0.5, -1.5, 2.0, 0.25, 3.0};
    double[] y = {1, 0, 1};
    Workspace ws = net.newWorkspace(8);
    double[] g = new double[net.numParams()];
    double loss = net.addGradient(p, Batch.csr(start, col, x, null, y, 0, 3, 6), Losses.BCE, g, ws);
    int[] features = {1, 4, 5};
    int width = net.sparseRowWidth();
    int tail = net.numParams() - 6 * width;
    Mlp subset = net.overFeatures(3);
    double[] ps = new double[subset.numParams()];
    for (int k = 0; k < 3; k++) {
      System.arraycopy(p, features[k] * width, ps, k * width, width);
    }
    System.arraycopy(p, 6 * width, ps, 3 * width, tail);
    double[] gs = new double[subset.numParams()];
    double lossS = subset.addGradient(ps, Batch.csr(start, new int[] {0, 1, 2, 0, 1}, x, null, y, 0, 3, 3),
        Losses.BCE, gs, ws);
    assertEquals(Double.doubleToRawLongBits(loss), Double.doubleToRawLongBits(lossS));
    for (int k = 0; k < 3; k++) {
      for (int o = 0; o < width; o++) {
        assertEquals(Double.doubleToRawLongBits(g[features[k] * width + o]), Double.doubleToRawLongBits(gs[k * width + o]));
      }
    }
    for (int i = 0; i < tail; i++) {
      assertEquals(Double.doubleToRawLongBits(g[6 * width + i]), Double.doubleToRawLongBits(gs[3 * width + i]));
    }
  }

  @Test
  void rejectsMismatches() {
    Mlp net = Mlp.linear(3, 1);
    Workspace other = Mlp.linear(3, 2).newWorkspace(4);
    double[] p = new double[net.numParams()];
    Batch b = Batch.of(new double[6], new double[2], 2, 3);
    assertThrows(IllegalArgumentException.class, () -> net.forward(p, b, new double[2], other));
    assertThrows(IllegalArgumentException.class,
        () -> net.forward(p, Batch.of(new double[8], new double[2], 2, 4), new double[2], net.newWorkspace(2)));
    assertThrows(IllegalArgumentException.class,
        () -> net.addGradient(new double[2], b, Losses.MSE, new double[4], net.newWorkspace(2)));
    assertThrows(IllegalArgumentException.class,
        () -> new Mlp(3, new int[] {4}, new Activation[0], 1, Initializer.GLOROT_UNIFORM));
    assertThrows(IllegalArgumentException.class,
        () -> new Mlp(3, new int[] {0}, new Activation[] {Activation.RELU}, 1, Initializer.GLOROT_UNIFORM));
    assertThrows(IllegalArgumentException.class, () -> net.newWorkspace(0));
  }

  @Test
  void initIsSeededAndZeroesBiases() {
    Mlp net = new Mlp(4, new int[] {5}, new Activation[] {Activation.RELU}, 2, Initializer.HE_UNIFORM);
    double[] a = new double[net.numParams()];
    double[] b = new double[net.numParams()];
    java.util.Arrays.fill(b, 7.0); // init must overwrite, not add
    net.init(a, 11);
    net.init(b, 11);
    assertArrayEquals(a, b, 0.0);
    for (ParamLayout.Tensor t : net.layout().tensors()) {
      if (t.name().startsWith("b")) {
        for (int i = 0; i < t.size(); i++) {
          assertEquals(0.0, a[t.offset() + i]);
        }
      }
    }
  }

  @Test
  void blasImplementationIsNamed() {
    String name = Blas.implementationName();
    assertTrue(List.of("native OpenBLAS", "VectorBLAS (Java Vector API)", "Java (F2J)").contains(name), name);
  }
}
