package sparksgd.engine.gang;

import java.util.List;
import java.util.Random;
import sparksgd.model.Batch;
import sparksgd.model.Loss;
import sparksgd.model.Model;
import sparksgd.model.ParamLayout;
import sparksgd.model.Workspace;

/** A test-only linear model {@code z = w.x + b} with its gradient written out. */
final class TinyLinear implements Model {
  private static final long serialVersionUID = 1L;
  private final int d;

  TinyLinear(int d) {
    this.d = d;
  }

  private record Ws(int maxRows, double[] z, double[] delta) implements Workspace {}

  @Override
  public int inputs() {
    return d;
  }

  @Override
  public int outputs() {
    return 1;
  }

  @Override
  public int numParams() {
    return d + 1;
  }

  @Override
  public ParamLayout layout() {
    return new ParamLayout(List.of(new ParamLayout.Tensor("W", 0, new int[] {d, 1}),
        new ParamLayout.Tensor("b", d, new int[] {1})));
  }

  @Override
  public void init(double[] params, long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < d; i++) {
      params[i] = r.nextGaussian() * 0.1;
    }
    params[d] = 0;
  }

  @Override
  public Workspace newWorkspace(int maxRows) {
    return new Ws(maxRows, new double[maxRows], new double[maxRows]);
  }

  @Override
  public void forward(double[] params, Batch batch, double[] out, Workspace ws) {
    int xo = batch.xOffset();
    for (int r = 0; r < batch.rows(); r++) {
      double z = params[d];
      for (int j = 0; j < d; j++) {
        z += params[j] * batch.x()[xo + r * d + j];
      }
      out[r] = z;
    }
  }

  @Override
  public double addGradient(double[] params, Batch batch, Loss loss, double[] grad, Workspace ws) {
    Ws w = (Ws) ws;
    int rows = batch.rows();
    int xo = batch.xOffset();
    forward(params, batch, w.z, ws);
    double sum = loss.lossAndDelta(w.z, 0, batch.y(), batch.yOffset(), rows, 1, 1, w.delta);
    for (int r = 0; r < rows; r++) {
      double g = w.delta[r];
      for (int j = 0; j < d; j++) {
        grad[j] += g * batch.x()[xo + r * d + j];
      }
      grad[d] += g;
    }
    return sum;
  }
}
