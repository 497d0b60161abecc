package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sparksgd.job.JobSpec;

/** cv's own settings come after the user's --set, so they win; the option list itself is left alone. */
class CvCommandTest {
  @Test
  void forcedSettingsWinOverConflictingUserSettings() {
    JobOptions options = new JobOptions();
    options.sets = new ArrayList<>(List.of("training.early-stopping.metric=validation-mae",
        "data.validation-fraction=0.25", "cv.folds=7"));
    JobSpec job = options.load("jobs/boston-linear.conf", CvCommand.forcedSettings(3));
    assertFalse(job.training().earlyStopping().enabled());
    assertEquals(0.0, job.data().validationFraction());
    assertEquals(3, job.cv().folds(), "--folds wins over --set cv.folds, as before");
    assertEquals(3, options.sets.size(), "the user's --set list is not changed");
  }
}
