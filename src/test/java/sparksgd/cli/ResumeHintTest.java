package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The interrupt message prints a command that can be pasted as is. */
class ResumeHintTest {
  @Test
  void theResumeCommandHasTheJobItsOverridesAndTheFolder() {
    TrainCommand c = new TrainCommand();
    c.jobFile = "jobs/boston-mlp.conf";
    c.jobOptions = new JobOptions();
    c.jobOptions.sets.addAll(List.of("model.hidden=[16,16]", "training.epochs=12"));
    c.jobOptions.master = "local[2]";
    assertEquals("spark-sgd train jobs/boston-mlp.conf --set 'model.hidden=[16,16]' --set training.epochs=12 "
        + "--master 'local[2]' --out 'file:/tmp/my runs/a' --resume", c.resumeCommand("file:/tmp/my runs/a"));
  }

  @Test
  void quotesForAPosixShell() {
    assertEquals("a 'b c' 'it'\\''s' '*.csv'", Launcher.shellWords(List.of("a", "b c", "it's", "*.csv")));
  }
}
