package sparksgd.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.cli.CliRunner;
import sparksgd.data.Folds;
import sparksgd.data.Split;
import sparksgd.data.TrainingData;
import sparksgd.data.TrainingDataLoader;
import sparksgd.job.JobLoader;
import sparksgd.job.JobSpec;
import sparksgd.store.RunFolder;
import sparksgd.train.EpochListener;
import sparksgd.train.StopSignal;
import sparksgd.train.TrainingRun;
import sparksgd.testing.SparkTest;

/** ASHA on Spark: a paused and continued trial equals a straight run; the sweep command end to end. */
@SparkTest
class AshaSweepTest {
  static SparkSession spark;
  static JavaSparkContext jsc;
  @TempDir
  static Path dir;

  /** A small MLP whose cosine schedule depends on training.epochs: pausing must not change it. */
  private static final String JOB = """
      data { train = "builtin:boston_housing.csv", label = MEDV, validation-fraction = 0 }
      model { type = mlp, hidden = [8] }
      optimizer { type = rmsprop, learning-rate = 0.01, schedule { type = cosine } }
      training { epochs = 4, batch-size = 64, partitions = 1, seed = 7 }
      """;

  private static RunFolder folder(String name) {
    return RunFolder.create(dir.resolve(name).toString(), new Configuration(), true);
  }

  private static double[] params(RunFolder f, int fold, JobSpec job) throws IOException {
    FoldState s = FoldState.fromBytes(Files.readAllBytes(Path.of(f.path().toUri()).resolve(FoldScorer.stateFile(fold))),
        job.configHash());
    assertNotNull(s, "fold state " + fold);
    return s.state().params;
  }

  @Test
  void aTrialPausedAtRungsAndContinuedEqualsAStraightRun() throws Exception {
    JobSpec job = JobLoader.load(JOB, null, List.of(), true);
    Trial trial = new Trial(1, List.of("optimizer.learning-rate=0.01"), job);
    try (TrainingData raw = TrainingDataLoader.forJob(jsc, job, sparksgd.data.CachedRows.RAW)) {
      Folds folds = new Folds(raw.rows(Split.TRAIN), 2, 7, true);
      FoldScorer scorer = new FoldScorer(jsc, raw, folds, job, "mae", new StopSignal());
      TrialScore straight = scorer.score(trial, folder("straight"));

      // Paused at epochs 1 and 2 (in memory), continued to 4.
      RunFolder paused = folder("paused");
      scorer.advance(trial, 1, paused);
      TrialScore at2 = scorer.advance(trial, 2, paused);
      assertEquals(2.0, at2.epochs());
      assertEquals(4.0, at2.epochsSpent()); // 2 epochs x 2 folds
      TrialScore at4 = scorer.advance(trial, 4, paused);
      assertEquals(straight.foldScores(), at4.foldScores()); // bit-identical, not merely close
      assertEquals(8.0, at4.epochsSpent());
      // The continued fold's parameters are exactly a straight run's, trained here outside the scorer.
      TrainingRun.Result r = TrainingRun.run(jsc, job, sparksgd.train.RunRows.heldOut(raw, folds.view(0),
          sparksgd.data.FoldStats.compute(raw, folds, job.data())[0]), List.<EpochListener>of(),
          TrainingRun.Start.fresh());
      assertArrayEquals(r.params(), params(paused, 0, job));
      assertEquals(r.validation().get("mae"), at4.foldScores().get(0));
      // The straight run's score at epoch 2 is what the first rung recorded.
      TrainingRun.Result two = TrainingRun.run(jsc, job, sparksgd.train.RunRows.heldOut(raw, folds.view(0),
          sparksgd.data.FoldStats.compute(raw, folds, job.data())[0]), List.<EpochListener>of(),
          new TrainingRun.Start(null, null, 2, new sparksgd.train.Timings(), new java.io.PrintWriter(System.out, true)));
      assertEquals(two.validation().get("mae"), at2.foldScores().get(0));
      assertEquals(2, two.history().size());

      // Continued by another scorer (a re-run of the sweep) from the fold files on disk.
      RunFolder onDisk = folder("disk");
      scorer.advance(trial, 2, onDisk);
      FoldScorer again = new FoldScorer(jsc, raw, folds, job, "mae", new StopSignal());
      assertEquals(straight.foldScores(), again.advance(trial, 4, onDisk).foldScores());
      assertEquals(5, Files.readAllLines(Path.of(onDisk.path().toUri()).resolve("fold-2-history.csv")).size());

      // Stopped at whatever step a signal finds it (mid-epoch, mid-fold), then continued: still identical.
      RunFolder stopped = folder("stopped");
      StopSignal signal = new StopSignal();
      Thread t = new Thread(() -> {
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          return;
        }
        signal.request();
      });
      t.start();
      try {
        new FoldScorer(jsc, raw, folds, job, "mae", signal).advance(trial, 4, stopped);
      } catch (SweepInterrupted expected) {
        // the usual outcome: each fold's state was kept where it stopped
      }
      t.join();
      FoldScorer resumed = new FoldScorer(jsc, raw, folds, job, "mae", new StopSignal());
      assertEquals(straight.foldScores(), resumed.advance(trial, 4, stopped).foldScores());
    }
  }

  @Test
  void aPausedFoldKeepsItsHistoryInItsStateUntilTheTrialIsReleased() throws Exception {
    JobSpec job = JobLoader.load(JOB, null, List.of(), true);
    Trial trial = new Trial(1, List.of("optimizer.learning-rate=0.01"), job);
    try (TrainingData raw = TrainingDataLoader.forJob(jsc, job, sparksgd.data.CachedRows.RAW)) {
      Folds folds = new Folds(raw.rows(Split.TRAIN), 2, 7, true);
      FoldScorer scorer = new FoldScorer(jsc, raw, folds, job, "mae", new StopSignal());
      RunFolder f = folder("released");
      Path dir = Path.of(f.path().toUri());
      scorer.advance(trial, 1, f);
      scorer.advance(trial, 3, f); // paused at a rung: no history file written yet, the state holds it
      assertEquals(false, Files.exists(dir.resolve("fold-1-history.csv")));
      FoldState s = FoldState.fromBytes(Files.readAllBytes(dir.resolve(FoldScorer.stateFile(0))), job.configHash());
      assertEquals(3, s.history().size());
      scorer.release(trial, f); // ASHA stopped it at epoch 3: its histories are written then
      for (String name : List.of("fold-1-history.csv", "fold-2-history.csv")) {
        List<String> lines = Files.readAllLines(dir.resolve(name));
        assertEquals(4, lines.size(), name); // header + epochs 1..3
        assertEquals(true, lines.get(3).startsWith("3,"), lines.get(3));
      }
      // A later run that only stops it (nothing in memory) writes them from the state files.
      Files.delete(dir.resolve("fold-2-history.csv"));
      new FoldScorer(jsc, raw, folds, job, "mae", new StopSignal()).release(trial, f);
      assertEquals(4, Files.readAllLines(dir.resolve("fold-2-history.csv")).size());
    }
  }

  private static Path sweepFile(String name, String scheduler) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, "sweep.base = \"" + Path.of("jobs/boston-mlp.conf").toAbsolutePath() + "\"\n" + """
        sweep { folds = 2, parallelism = 2, %s }
        space { optimizer.learning-rate = [0.001, 0.01, 0.03, 0.1] }
        fixed { training.epochs = 4, training.partitions = 1, model.hidden = [8], training.batch-size = 64 }
        """.formatted(scheduler));
    return f;
  }

  /** Trial -> (status, score, epochs, rung, epochs_spent) from leaderboard.csv. */
  private static Map<String, String[]> rows(Path board) throws IOException {
    Map<String, String[]> out = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(board);
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split(",", -1);
      out.put(c[1], new String[] {c[2], c[3], c[5], c[c.length - 2], c[c.length - 1]});
    }
    return out;
  }

  @Test
  void theSweepCommandRunsAshaAndItsFinishedTrialsScoreAsInAFullSweep() throws IOException {
    Path asha = dir.resolve("asha-out");
    CliRunner r = CliRunner.run("sweep", sweepFile("asha.conf", "scheduler = asha, asha { grace-epochs = 1, "
        + "reduction-factor = 2 }").toString(), "--out", asha.toString());
    assertEquals(0, r.code(), r.err() + r.out());
    List<String> header = List.of(Files.readAllLines(asha.resolve("leaderboard.csv")).get(0).split(","));
    assertEquals(List.of("rank", "trial", "status", "mae", "mae_std", "epochs", "seconds"), header.subList(0, 7));
    assertEquals(List.of("reason", "rung", "epochs_spent"), header.subList(header.size() - 3, header.size()));

    Map<String, String[]> ashaRows = rows(asha.resolve("leaderboard.csv"));
    assertEquals(4, ashaRows.size());
    double spent = 0;
    int finished = 0;
    for (String[] row : ashaRows.values()) {
      assertTrue(row[0].equals("finished") || row[0].equals("stopped"), String.join(",", row));
      spent += Double.parseDouble(row[4]);
      assertEquals(Double.parseDouble(row[2]) * 2, Double.parseDouble(row[4])); // epochs x folds
      if (row[0].equals("finished")) {
        finished++;
        assertEquals("3", row[3]);
      }
    }
    assertTrue(finished >= 1 && finished < 4, "finished " + finished);
    assertTrue(spent < 4 * 4 * 2, "ASHA trained " + spent + " fold-epochs, a full sweep 32");

    Path full = dir.resolve("full-out");
    CliRunner f = CliRunner.run("sweep", sweepFile("full.conf", "scheduler = full").toString(), "--out",
        full.toString());
    assertEquals(0, f.code(), f.err() + f.out());
    Map<String, String[]> fullRows = rows(full.resolve("leaderboard.csv"));
    for (Map.Entry<String, String[]> e : ashaRows.entrySet()) {
      if (e.getValue()[0].equals("finished")) { // trained in rungs, scored exactly as when trained in one go
        assertEquals(fullRows.get(e.getKey())[1], e.getValue()[1], "trial " + e.getKey());
      }
      assertEquals("", fullRows.get(e.getKey())[3]); // a full sweep has no rungs
      assertEquals("8.0", fullRows.get(e.getKey())[4]);
    }

    String report = Files.readString(asha.resolve("report.html"));
    assertTrue(report.contains(SweepReport.ASHA_CHART) && report.contains("rungs at [1, 2, 4] epochs")
        && report.contains("a full sweep of the same space"), report);
    assertTrue(Files.size(asha.resolve(SweepReport.ASHA_CHART)) > 1000);
    assertTrue(Files.exists(asha.resolve("best/model/model.json")));
    assertTrue(Files.exists(asha.resolve("trials/trial-001/asha.json")));

    // Run again: nothing is trained twice.
    byte[] before = Files.readAllBytes(asha.resolve("trials/trial-001/status.json"));
    CliRunner again = CliRunner.run("sweep", dir.resolve("asha.conf").toString(), "--out", asha.toString());
    assertEquals(0, again.code(), again.err());
    assertArrayEquals(before, Files.readAllBytes(asha.resolve("trials/trial-001/status.json")));
  }

  @Test
  void ashaRefusesEarlyStoppingNamingTheKey() throws IOException {
    Path f = dir.resolve("es.conf");
    Files.writeString(f, "sweep.base = \"" + Path.of("jobs/boston-mlp.conf").toAbsolutePath() + "\"\n" + """
        sweep { folds = 2, scheduler = asha }
        space { optimizer.learning-rate = [0.001, 0.01] }
        fixed { training.early-stopping.metric = validation-mae, training.partitions = 1 }
        """);
    CliRunner r = CliRunner.run("sweep", f.toString(), "--out", dir.resolve("es-out").toString());
    assertEquals(sparksgd.cli.ExitCodes.USAGE, r.code(), r.err());
    assertTrue(r.err().startsWith("error: ") && r.err().contains("sweep.scheduler")
        && r.err().contains("early-stopping"), r.err());
  }
}
