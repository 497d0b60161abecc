package sparksgd.job;

import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;
import java.util.List;
import sparksgd.model.Activation;
import sparksgd.model.ConfigNames;
import sparksgd.model.Initializer;
import sparksgd.model.LossType;

/**
 * The {@code model} section. {@code activations} has one entry per hidden layer. {@code initFrom}
 * ({@code model.init-from}, null = fresh weights) and {@code statsFromModel} ({@code data.stats-from = model})
 * are the warm-start settings, kept together here. {@code classWeights} (one per class) or
 * {@code balancedClassWeights} is {@code model.class-weights}.
 */
public record ModelSpec(Type type, List<Integer> hidden, List<Activation> activations, Initializer initializer,
    LossType loss, int classes, String initFrom, boolean statsFromModel, List<Double> classWeights,
    boolean balancedClassWeights) implements Serializable {

  public boolean classification() {
    return loss.classification();
  }

  /** Warm start whose inputs are normalized with the starting model's statistics. */
  public boolean usesModelStats() {
    return initFrom != null && statsFromModel;
  }

  /** {@code model.type}: a linear model or an MLP. */
  public enum Type {
    LINEAR, MLP;

    @JsonValue
    @Override
    public String toString() {
      return ConfigNames.of(this);
    }
  }
}
