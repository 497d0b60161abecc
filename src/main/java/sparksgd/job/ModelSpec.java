package sparksgd.job;

import java.io.Serializable;
import java.util.List;

/**
 * The {@code model} section. {@code activations} has one entry per hidden layer. {@code initFrom}
 * ({@code model.init-from}, null = fresh weights) and {@code statsFromModel} ({@code data.stats-from = model})
 * are the warm-start settings, kept together here. {@code classWeights} (one per class) or
 * {@code balancedClassWeights} is {@code model.class-weights}.
 */
public record ModelSpec(String type, List<Integer> hidden, List<String> activations, String initializer,
    String loss, int classes, String initFrom, boolean statsFromModel, List<Double> classWeights,
    boolean balancedClassWeights) implements Serializable {

  /** A model trained from fresh weights (the section as it was before issue 22). */
  public ModelSpec(String type, List<Integer> hidden, List<String> activations, String initializer, String loss,
      int classes) {
    this(type, hidden, activations, initializer, loss, classes, null, true, List.of(), false);
  }

  public boolean classification() {
    return !loss.equals("mse");
  }

  /** Warm start whose inputs are normalized with the starting model's statistics. */
  public boolean usesModelStats() {
    return initFrom != null && statsFromModel;
  }
}
