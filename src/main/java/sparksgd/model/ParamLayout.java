package sparksgd.model;

import java.io.Serializable;
import java.util.List;

/** Where each named tensor (e.g. {@code W1}, {@code b1}) sits in a model's flat parameter vector. */
public record ParamLayout(List<Tensor> tensors) implements Serializable {

  /** One tensor: row-major {@code shape}, occupying {@code [offset, offset + size)}. */
  public record Tensor(String name, int offset, int[] shape) implements Serializable {
    public int size() {
      int s = 1;
      for (int d : shape) {
        s *= d;
      }
      return s;
    }
  }

  public int totalSize() {
    int s = 0;
    for (Tensor t : tensors) {
      s += t.size();
    }
    return s;
  }
}
