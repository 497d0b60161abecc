package sparksgd.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.error.ErrorKind;
import sparksgd.error.KnownError;
import sparksgd.job.JobLoader;

/** The sweep's bookkeeping with a stand-in scorer: no Spark, scores known in advance. */
class SweepRunnerTest {
  private static final String BASE = "data { train = \"builtin:boston_housing.csv\", label = MEDV }";

  @TempDir
  Path dir;

  private static SweepSpec spec(String space) {
    return SweepSpec.parse(ConfigFactory.parseString("sweep { base = b.conf }, space { " + space + " }"),
        new File("."));
  }

  private static List<Trial> trials(SweepSpec s) {
    List<Trial> out = new ArrayList<>();
    for (int i = 0; i < s.combos().size(); i++) {
      out.add(new Trial(i + 1, s.combos().get(i), JobLoader.load(BASE, null, s.overrides(i))));
    }
    return out;
  }

  /** Score = |log10(lr) + 2.5| (best near 10^-2.5); a learning rate of 1 "diverges". */
  private static final class FakeScorer implements TrialScorer {
    final ConcurrentLinkedQueue<Integer> scored = new ConcurrentLinkedQueue<>();
    int interruptAt = -1;

    @Override
    public TrialScore score(Trial t, sparksgd.store.RunFolder folder) {
      if (t.id() == interruptAt) {
        throw new SweepInterrupted("stopped for the test");
      }
      scored.add(t.id());
      double lr = t.job().optimizer().learningRate();
      if (lr == 1.0) {
        throw new sparksgd.train.TrainingDivergedException(1, 3, Double.NaN, lr);
      }
      double s = Math.abs(Math.log10(lr) + 2.5);
      return TrialScore.of(List.of(s - 0.1, s + 0.1), 5);
    }
  }

  private SweepFolder folder(SweepSpec s, List<Trial> t) {
    return SweepFolder.open(dir.resolve("sweep").toString(), new Configuration(), SweepFolder.identity(s, t), false);
  }

  @Test
  void aFailingTrialIsRecordedAndTheRestRunAndTheLeaderboardFollowsTheScores() throws Exception {
    SweepSpec s = spec("optimizer.learning-rate = [0.1, 1.0, 0.001, 0.01, 0.0001]");
    List<Trial> trials = trials(s);
    SweepFolder f = folder(s, trials);
    List<TrialResult> ended = new ArrayList<>();
    SweepRunner.Outcome o = SweepRunner.run(trials, new FakeScorer(), f, 2, false, ended::add);
    assertEquals(List.of(1, 2, 3, 4, 5), o.ran());
    assertFalse(o.interrupted());
    assertEquals(5, ended.size());
    TrialResult failed = o.results().get(1);
    assertEquals(TrialResult.FAILED, failed.status());
    assertTrue(failed.reason().contains("diverged"), failed.reason());
    assertNull(failed.score());

    Leaderboard board = new Leaderboard(o.results(), "mae", false);
    // |log10(lr) + 2.5|: 0.001 -> 0.5, 0.01 -> 0.5 (tie: lower trial first), 0.0001 -> 1.5, 0.1 -> 1.5.
    assertEquals(List.of(3, 4, 1, 5, 2), board.rows().stream().map(TrialResult::trial).toList());
    double last = Double.NEGATIVE_INFINITY;
    for (TrialResult r : board.rows().subList(0, 4)) {
      assertTrue(r.score() >= last);
      last = r.score();
    }
    // Maximizing puts the largest first; failed trials stay last either way.
    assertEquals(List.of(1, 5, 3, 4, 2),
        new Leaderboard(o.results(), "r2", true).rows().stream().map(TrialResult::trial).toList());

    board.write(f.root(), s.space().keys());
    List<String> csv = Files.readAllLines(dir.resolve("sweep/leaderboard.csv"));
    // The columns of the first release stay first; later ones (ASHA's rung, epochs spent) come after them.
    assertEquals("rank,trial,status,mae,mae_std,epochs,seconds,optimizer.learning-rate,reason,rung,epochs_spent",
        csv.get(0));
    assertTrue(csv.get(1).startsWith("1,3,finished,0.5"), csv.get(1));
    assertTrue(csv.get(5).startsWith(",2,failed,"), csv.get(5));
    assertTrue(csv.get(5).contains("diverged"), csv.get(5));
    String json = Files.readString(dir.resolve("sweep/leaderboard.json"));
    assertTrue(json.contains("\"direction\" : \"minimize\""), json);
  }

  @Test
  void anInterruptedSweepResumesWithoutRedoingFinishedTrials() {
    SweepSpec s = spec("optimizer.learning-rate = [0.1, 0.01, 0.001, 0.0001]");
    List<Trial> trials = trials(s);
    FakeScorer first = new FakeScorer();
    first.interruptAt = 3;
    SweepRunner.Outcome o = SweepRunner.run(trials, first, folder(s, trials), 1, false, r -> { });
    assertTrue(o.interrupted());
    assertEquals(List.of(1, 2, 3), o.ran()); // trial 4 never started
    assertEquals(TrialResult.INTERRUPTED, o.results().get(2).status());

    FakeScorer second = new FakeScorer();
    SweepRunner.Outcome again = SweepRunner.run(trials, second, folder(s, trials), 1, false, r -> { });
    assertEquals(List.of(3, 4), again.ran());
    assertEquals(List.of(3, 4), List.copyOf(second.scored));
    assertTrue(again.results().stream().allMatch(TrialResult::finished));

    FakeScorer third = new FakeScorer();
    assertEquals(List.of(), SweepRunner.run(trials, third, folder(s, trials), 2, false, r -> { }).ran());
  }

  @Test
  void failedTrialsAreSkippedOnResumeUnlessRetried() {
    SweepSpec s = spec("optimizer.learning-rate = [1.0, 0.01]");
    List<Trial> trials = trials(s);
    SweepRunner.run(trials, new FakeScorer(), folder(s, trials), 1, false, r -> { });
    assertEquals(List.of(), SweepRunner.run(trials, new FakeScorer(), folder(s, trials), 1, false, r -> { }).ran());
    assertEquals(List.of(1), SweepRunner.run(trials, new FakeScorer(), folder(s, trials), 1, true, r -> { }).ran());
  }

  @Test
  void aFolderHoldingAnotherSweepIsRefusedUnlessOverwritten() {
    SweepSpec a = spec("optimizer.learning-rate = [0.1, 0.01]");
    SweepRunner.run(trials(a), new FakeScorer(), folder(a, trials(a)), 1, false, r -> { });
    SweepSpec b = spec("optimizer.learning-rate = [0.1, 0.02]");
    KnownError e = assertThrows(KnownError.class, () -> folder(b, trials(b)));
    assertEquals(ErrorKind.USAGE, e.kind());
    assertTrue(e.getMessage().contains("different sweep"), e.getMessage());
    // --overwrite empties the folder: b's trials start with no status, and b now owns it.
    SweepFolder over = SweepFolder.open(dir.resolve("sweep").toString(), new Configuration(),
        SweepFolder.identity(b, trials(b)), true);
    assertEquals(2, SweepRunner.pending(trials(b), over, false).size());
    assertEquals(List.of(1, 2), SweepRunner.run(trials(b), new FakeScorer(), over, 1, false, r -> { }).ran());
    assertEquals(0, SweepRunner.pending(trials(b), folder(b, trials(b)), false).size());
  }

  @Test
  void theMetricFollowsTheModelAndItsNaturalDirection() {
    sparksgd.job.JobSpec reg = JobLoader.load(BASE, null, List.of());
    java.util.function.Function<String, SweepMetric> of = sweep -> SweepMetric.of(SweepSpec.parse(
        ConfigFactory.parseString("sweep { base = b.conf" + sweep + " }, space { training.epochs = [1] }"),
        new File(".")), reg);
    assertEquals(new SweepMetric("mae", false), of.apply(""));
    assertEquals(new SweepMetric("mse", false), of.apply(", metric = validation-loss"));
    assertEquals(new SweepMetric("r2", true), of.apply(", metric = validation-r2"));
    assertEquals(new SweepMetric("mae", true), of.apply(", direction = maximize"));
    sparksgd.job.JobConfigException e = assertThrows(sparksgd.job.JobConfigException.class,
        () -> of.apply(", metric = validation-accuracy"));
    assertTrue(e.getMessage().contains("sweep.metric") && e.getMessage().contains("mse"), e.getMessage());
  }
}
