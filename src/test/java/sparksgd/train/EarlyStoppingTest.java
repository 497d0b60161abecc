package sparksgd.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sparksgd.job.TrainingSpec;
import sparksgd.optim.OptimizerState;

class EarlyStoppingTest {
  /** Feeds validation losses epoch by epoch; params[0] is set to the epoch so we can see which was kept. */
  private static int run(EarlyStopping es, TrainerState state, double... losses) {
    for (int e = 1; e <= losses.length; e++) {
      state.params[0] = e;
      if (!es.afterEpoch(new EpochRecord(e, 1, losses[e - 1], 2 * losses[e - 1], Double.NaN, Double.NaN, 0.1, 0),
          state)) {
        return e;
      }
    }
    return 0;
  }

  @Test
  void stopsAfterPatienceEpochsWithoutImprovementAndRestoresTheBest() {
    EarlyStopping es = new EarlyStopping(new TrainingSpec.EarlyStopping("validation-loss", 2, 0.0, true));
    TrainerState state = new TrainerState(new double[] {0}, new OptimizerState(), 0, 0);
    // Best at epoch 3 (0.5); epochs 4 and 5 are worse: still within patience 2; epoch 6 stops.
    assertEquals(6, run(es, state, 1.0, 0.8, 0.5, 0.6, 0.7, 0.55, 0.1));
    assertEquals(3, es.bestEpoch());
    assertEquals(6, es.stoppedEpoch());
    es.restore(state.params);
    assertArrayEquals(new double[] {3}, state.params);
    assertEquals(3, es.keptEpoch(6));
  }

  @Test
  void minDeltaIgnoresTinyImprovementsAndMaeCanBeTheMetric() {
    EarlyStopping es = new EarlyStopping(new TrainingSpec.EarlyStopping("validation-mae", 1, 0.05, false));
    TrainerState state = new TrainerState(new double[] {0}, new OptimizerState(), 0, 0);
    // MAE = 2 x loss: 2.0, 1.98, 1.97 are not better than 2.0 by more than 0.05.
    assertEquals(3, run(es, state, 1.0, 0.99, 0.985));
    assertEquals(1, es.bestEpoch());
    es.restore(state.params);
    assertArrayEquals(new double[] {3}, state.params, "restore-best off keeps the last weights");
    assertEquals(3, es.keptEpoch(3));
  }

  @Test
  void neverStopsWhileImproving() {
    EarlyStopping es = new EarlyStopping(new TrainingSpec.EarlyStopping("validation-loss", 0, 0.0, true));
    TrainerState state = new TrainerState(new double[] {0}, new OptimizerState(), 0, 0);
    assertEquals(0, run(es, state, 5, 4, 3, 2, 1));
    assertEquals(0, es.stoppedEpoch());
    assertFalse(es.bestValue() > 1);
    assertTrue(es.bestEpoch() == 5);
  }

  @Test
  void accuracyIsMaximizedInItsOwnUnits() {
    // The headline column holds 2 x the "loss" fed in: accuracies 0.2, 0.6, 0.5, 0.4 peak at epoch 2.
    EarlyStopping es = new EarlyStopping(new TrainingSpec.EarlyStopping("validation-accuracy", 1, 0.0, true));
    TrainerState state = new TrainerState(new double[] {0}, new OptimizerState(), 0, 0);
    assertEquals(4, run(es, state, 0.1, 0.3, 0.25, 0.2));
    assertEquals(2, es.bestEpoch());
    assertEquals(0.6, es.bestValue(), "the best accuracy itself, not its negation");
  }
}
