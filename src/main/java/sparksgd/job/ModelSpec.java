package sparksgd.job;

import java.io.Serializable;
import java.util.List;

/** The {@code model} section. {@code activations} has one entry per hidden layer. */
public record ModelSpec(String type, List<Integer> hidden, List<String> activations, String initializer,
    String loss, int classes) implements Serializable {

  public boolean classification() {
    return !loss.equals("mse");
  }
}
