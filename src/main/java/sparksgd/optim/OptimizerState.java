package sparksgd.optim;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything an optimizer remembers between steps, as plain data (named arrays and a step count),
 * kept apart from the update rule so checkpoints can save and restore it exactly.
 */
public final class OptimizerState implements Serializable {
  private long step;
  private final LinkedHashMap<String, double[]> slots = new LinkedHashMap<>();

  public long step() {
    return step;
  }

  public void setStep(long step) {
    this.step = step;
  }

  /** The named slot, created zero-filled with {@code size} entries on first use. */
  public double[] slot(String name, int size) {
    return slots.computeIfAbsent(name, k -> new double[size]);
  }

  /** Slots in insertion order (for checkpoints). */
  public Map<String, double[]> slots() {
    return slots;
  }
}
