package sparksgd.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.job.JobConfigException;
import sparksgd.job.JobLoader;
import sparksgd.store.RunFolder;

/** ASHA's rungs, its promotion rule and the runner's bookkeeping, with a stand-in trainer: no Spark. */
class AshaSchedulerTest {
  private static final String BASE = "data { train = \"builtin:boston_housing.csv\", label = MEDV }";
  /** Trial i's score (lower is better) at every rung: trial 4 is best, then 6, 2, 8, 1, 9, 7, 3, 5. */
  private static final double[] SCORE = {5, 3, 8, 1, 9, 2, 7, 4, 6};

  @TempDir
  Path dir;

  private static SweepSpec spec(String sweep, String space) {
    return SweepSpec.parse(ConfigFactory.parseString("sweep { base = b.conf, " + sweep + " }, space { " + space + " }"),
        new File("."));
  }

  private static List<Trial> trials(SweepSpec s) {
    List<Trial> out = new ArrayList<>();
    for (int i = 0; i < s.combos().size(); i++) {
      out.add(new Trial(i + 1, s.combos().get(i), JobLoader.load(BASE, null, s.overrides(i))));
    }
    return out;
  }

  /** Nine trials of 9 epochs (the searched key only tells them apart). */
  private static final SweepSpec NINE = spec("scheduler = asha, asha { grace-epochs = 1, max-epochs = 9 }",
      "optimizer.weight-decay = [1, 2, 3, 4, 5, 6, 7, 8, 9], training.epochs = [9]");

  @Test
  void rungsAreGraceTimesEtaToThePowerKUpToMaxEpochs() {
    assertEquals(List.of(10, 30, 90, 270, 300), new AshaSpec(10, 3, 300).rungs(50));
    assertEquals(List.of(12, 36, 108, 300), new AshaSpec(12, 3, 0).rungs(300)); // max = largest trial epochs
    assertEquals(List.of(5, 10, 20, 40), new AshaSpec(5, 2, 40).rungs(0));
    // Defaults: eta 3, grace = max / 27 (at least 1).
    assertEquals(List.of(11, 33, 99, 297, 300), AshaSpec.DEFAULTS.rungs(300));
    assertEquals(List.of(1, 3, 9, 20), AshaSpec.DEFAULTS.rungs(20));
    // A trial is scored at the rungs below its own epochs, then at its epochs (capped at the top rung).
    assertEquals(List.of(12, 36, 100), AshaSpec.milestones(List.of(12, 36, 108, 300), 100));
    assertEquals(List.of(12, 36, 108), AshaSpec.milestones(List.of(12, 36, 108, 300), 108));
    assertEquals(List.of(12, 36, 108, 300), AshaSpec.milestones(List.of(12, 36, 108, 300), 500));
    assertEquals(List.of(5), AshaSpec.milestones(List.of(12, 36, 108, 300), 5));
    JobConfigException e = assertThrows(JobConfigException.class, () -> new AshaSpec(30, 3, 20).rungs(0));
    assertTrue(e.getMessage().contains("sweep.asha.grace-epochs"), e.getMessage());
  }

  @Test
  void sweepFileKeysAreParsedAndCheckedByName() {
    SweepSpec s = spec("scheduler = asha, asha { grace-epochs = 4, reduction-factor = 2, max-epochs = 64 }",
        "optimizer.learning-rate = [0.1]");
    assertTrue(s.usesAsha());
    assertEquals(new AshaSpec(4, 2, 64), s.asha());
    assertFalse(spec("folds = 2", "optimizer.learning-rate = [0.1]").usesAsha()); // full stays the default
    assertEquals(AshaSpec.DEFAULTS, spec("scheduler = asha", "optimizer.learning-rate = [0.1]").asha());
    for (String[] bad : new String[][] {{"scheduler = hyperband", "sweep.scheduler"},
        {"asha { reduction-factor = 1 }", "sweep.asha.reduction-factor"},
        {"asha { grace = 3 }", "sweep.asha.grace"}, {"asha { max-epochs = -1 }", "sweep.asha.max-epochs"}}) {
      JobConfigException e = assertThrows(JobConfigException.class,
          () -> spec(bad[0], "optimizer.learning-rate = [0.1]"));
      assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
    }
  }

  /** Scores trials by {@link #SCORE} and remembers each (trial, epoch) it trained; may "interrupt" one call. */
  private static class FakeSegments implements TrialSegments {
    final List<String> calls = new ArrayList<>();
    int interruptCall = -1;

    @Override
    public synchronized TrialScore advance(Trial trial, int untilEpoch, RunFolder folder) {
      if (calls.size() == interruptCall) {
        interruptCall = -1;
        throw new SweepInterrupted("stopped for the test");
      }
      calls.add(trial.id() + "@" + untilEpoch);
      double s = SCORE[trial.id() - 1];
      return TrialScore.of(List.of(s - 0.5, s + 0.5), untilEpoch, 2.0 * untilEpoch);
    }

    @Override
    public void release(Trial trial, RunFolder folder) {}

    @Override
    public void reset(Trial trial, RunFolder folder) {}
  }

  /**
   * The sequence below is worked out by hand from the rule (rungs 1, 3, 9; eta 3; one slot): trial 3 makes
   * rung 1 hold three trials, so its best (trial 2) is promoted; trial 4 then leads rung 1 and is promoted;
   * trial 6 makes it six (top two: 4 and 6), so 6 goes on, which makes rung 3 hold three, whose best (4) is
   * promoted to 9 epochs; trials 7, 8, 9 start and none of them enters a top third.
   */
  static final List<String> EXPECTED = List.of("1@1", "2@1", "3@1", "2@3", "4@1", "4@3", "5@1", "6@1", "6@3", "4@9",
      "7@1", "8@1", "9@1");

  private SweepFolder folder(SweepSpec s, List<Trial> t) {
    return SweepFolder.open(dir.resolve("asha").toString(), new Configuration(), SweepFolder.identity(s, t), false);
  }

  @Test
  void aFreeSlotPromotesTheBestOfATopThirdElseStartsANewTrial() {
    List<Trial> trials = trials(NINE);
    FakeSegments seg = new FakeSegments();
    List<TrialResult> events = new ArrayList<>();
    SweepRunner.Outcome o = AshaRunner.run(trials, List.of(1, 3, 9), 3, false, seg, folder(NINE, trials), 1, false,
        events::add);
    assertEquals(EXPECTED, seg.calls);
    assertFalse(o.interrupted());
    assertEquals(EXPECTED.size(), events.size());

    Leaderboard board = new Leaderboard(o.results(), "mae", false);
    assertEquals(4, board.best().orElseThrow().trial());
    // Finished first, then stopped trials by rung reached (2 and 6 at rung 2), then by score.
    assertEquals(List.of(4, 6, 2, 8, 1, 9, 7, 3, 5), board.rows().stream().map(TrialResult::trial).toList());
    TrialResult best = board.rows().get(0);
    assertEquals(TrialResult.FINISHED, best.status());
    assertEquals(3, best.rung());
    assertEquals(9.0, best.epochs());
    assertEquals(18.0, best.epochsSpent());
    TrialResult six = board.rows().get(1);
    assertEquals(TrialResult.STOPPED, six.status());
    assertEquals(2, six.rung());
    assertEquals(2.0, six.score());
    assertEquals(6.0, six.epochsSpent());
  }

  @Test
  void maximizingPromotesTheHighestScores() {
    List<Trial> trials = trials(NINE);
    FakeSegments seg = new FakeSegments() {
      @Override
      public synchronized TrialScore advance(Trial trial, int untilEpoch, RunFolder folder) {
        TrialScore s = super.advance(trial, untilEpoch, folder);
        return TrialScore.of(List.of(-s.score()), untilEpoch, untilEpoch);
      }
    };
    AshaRunner.run(trials, List.of(1, 3, 9), 3, true, seg, folder(NINE, trials), 1, false, r -> { });
    assertEquals(EXPECTED, seg.calls);
  }

  @Test
  void anInterruptedSweepContinuesItsRungsWithoutRetrainingAScoredOne() throws Exception {
    List<Trial> trials = trials(NINE);
    FakeSegments first = new FakeSegments();
    first.interruptCall = 8; // while trial 6 is being promoted to rung 2
    SweepRunner.Outcome o = AshaRunner.run(trials, List.of(1, 3, 9), 3, false, first, folder(NINE, trials), 1, false,
        r -> { });
    assertTrue(o.interrupted());
    assertEquals(EXPECTED.subList(0, 8), first.calls);
    assertEquals(TrialResult.INTERRUPTED, o.results().get(5).status());
    // Trials scored at a rung stay paused (not stopped) when the sweep is interrupted.
    assertEquals(TrialResult.PAUSED, o.results().get(0).status());

    FakeSegments second = new FakeSegments();
    SweepRunner.Outcome again = AshaRunner.run(trials, List.of(1, 3, 9), 3, false, second, folder(NINE, trials), 1,
        false, r -> { });
    assertFalse(again.interrupted());
    assertEquals(EXPECTED.subList(8, EXPECTED.size()), second.calls); // the promoted trial first, nothing twice
    assertEquals(4, new Leaderboard(again.results(), "mae", false).best().orElseThrow().trial());
    String record = Files.readString(dir.resolve("asha/trials/trial-006/asha.json"));
    assertTrue(record.contains("\"epochs\" : 3"), record);

    // A finished sweep run again trains nothing.
    FakeSegments third = new FakeSegments();
    AshaRunner.run(trials, List.of(1, 3, 9), 3, false, third, folder(NINE, trials), 1, false, r -> { });
    assertEquals(List.of(), third.calls);
  }

  @Test
  void aTrialWhoseEpochsFallBetweenRungsFinishesAtItsEpochs() {
    SweepSpec s = spec("scheduler = asha", "optimizer.weight-decay = [1, 2, 3], training.epochs = [2]");
    List<Trial> trials = trials(s);
    FakeSegments seg = new FakeSegments();
    SweepRunner.Outcome o = AshaRunner.run(trials, List.of(1, 3, 9), 3, false, seg, folder(s, trials), 1, false,
        r -> { });
    // Scores 5, 3, 8: after three trials the best of rung 1 (trial 2) goes on, to its own 2 epochs.
    assertEquals(List.of("1@1", "2@1", "3@1", "2@2"), seg.calls);
    TrialResult two = o.results().get(1);
    assertEquals(TrialResult.FINISHED, two.status());
    assertEquals(2.0, two.epochs());
    assertEquals(Map.of("optimizer.weight-decay", "2", "training.epochs", "2"), two.settings());
  }

  @Test
  void randomSpacesRunUnderAshaToo() {
    SweepSpec s = spec("scheduler = asha, search = random, trials = 9, seed = 3",
        "optimizer.learning-rate = { min = 1e-4, max = 1e-1, scale = log }, training.epochs = [9]");
    List<Trial> trials = trials(s);
    FakeSegments seg = new FakeSegments();
    SweepRunner.Outcome o = AshaRunner.run(trials, s.asha().rungs(9), 3, false, seg, folder(s, trials), 2, false,
        r -> { });
    assertEquals(List.of(1, 3, 9), s.asha().rungs(9)); // defaults: grace = 9 / 27 -> 1, eta 3
    assertEquals(9, o.results().size());
    assertEquals(4, new Leaderboard(o.results(), "mae", false).best().orElseThrow().trial());
    // Every trial is scored at the first rung once; only a third go on from any rung.
    assertEquals(9, seg.calls.stream().filter(c -> c.endsWith("@1")).count());
    assertTrue(seg.calls.stream().filter(c -> c.endsWith("@3")).count() <= 3, seg.calls.toString());
    assertEquals(seg.calls.size(), seg.calls.stream().distinct().count(), seg.calls.toString());
  }
}
