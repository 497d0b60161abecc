package sparksgd.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static sparksgd.optim.OptimizerTest.expect;

import org.junit.jupiter.api.Test;

class ScheduleTest {
  private static final double BASE = 0.1;

  @Test
  void constant() {
    LearningRateSchedule s = new ConstantSchedule();
    assertEquals(0.1, s.rate(BASE, 0));
    assertEquals(0.1, s.rate(BASE, 57));
  }

  /** every 2 epochs times 0.5: 0.1, 0.1, 0.05, 0.05, 0.025. */
  @Test
  void step() {
    LearningRateSchedule s = new StepSchedule(2, 0.5);
    double[] expected = {0.1, 0.1, 0.05, 0.05, 0.025};
    for (int e = 0; e < expected.length; e++) {
      assertEquals(expected[e], s.rate(BASE, e), 1e-17, "epoch " + e);
    }
  }

  /** 0.1 * 0.9^epoch: 0.1, 0.09, 0.081, 0.0729. */
  @Test
  void exponential() {
    LearningRateSchedule s = new ExponentialSchedule(0.9);
    double[] expected = {0.1, 0.09, 0.081, 0.0729};
    for (int e = 0; e < expected.length; e++) {
      assertEquals(expected[e], s.rate(BASE, e), 1e-16, "epoch " + e);
    }
  }

  /**
   * min + (base - min)(1 + cos(pi e / T)) / 2 with T = 4, min = 0.01:
   * e0 0.1; e1 0.01 + 0.09 * (1 + 0.70710678)/2 = 0.0868198052; e2 0.055; e3 0.0231801948; e4 and after 0.01.
   */
  @Test
  void cosine() {
    LearningRateSchedule s = new CosineSchedule(4, 0.01);
    double[] expected = {0.1, 0.08681980515339464, 0.055, 0.023180194846605363, 0.01, 0.01};
    for (int e = 0; e < expected.length; e++) {
      assertEquals(expected[e], s.rate(BASE, e), 1e-15, "epoch " + e);
    }
  }

  @Test
  void factoryAndValidation() {
    assertInstanceOf(ConstantSchedule.class, Schedules.create("constant", 1, 1, 0, 10));
    assertEquals(0.05, Schedules.create("step", 3, 0.5, 0, 10).rate(BASE, 3), 1e-17);
    assertEquals(0.05, Schedules.create("exponential", 1, 0.5, 0, 10).rate(BASE, 1), 1e-17);
    assertEquals(0.0, Schedules.create("cosine", 1, 1, 0, 10).rate(BASE, 10), 1e-17);
    expect("constant, step, exponential, cosine", () -> Schedules.create("linear", 1, 1, 0, 10));
    expect("every-epochs", () -> new StepSchedule(0, 0.5));
    expect("gamma", () -> new StepSchedule(1, 0));
    expect("gamma", () -> new ExponentialSchedule(1.5));
    expect("min-learning-rate", () -> new CosineSchedule(5, -1));
    expect("total epochs", () -> new CosineSchedule(0, 0));
  }
}
