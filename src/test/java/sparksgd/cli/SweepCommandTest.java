package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.testing.SparkTest;

/** The sweep command end to end on the embedded Boston data, with tiny trials. */
@SparkTest
class SweepCommandTest {
  static SparkSession spark;
  @TempDir
  static Path dir;
  static final ObjectMapper JSON = new ObjectMapper();

  private static Path sweepFile(String name, String body) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, "sweep.base = \"" + Path.of("jobs/boston-mlp.conf").toAbsolutePath() + "\"\n" + body);
    return f;
  }

  /** Trial number -> score column of a leaderboard, in trial order ("" for failed trials). */
  private static String[] scoresByTrial(Path leaderboard, int trials) throws IOException {
    String[] out = new String[trials];
    for (String line : Files.readAllLines(leaderboard).subList(1, trials + 1)) {
      String[] c = line.split(",", -1);
      out[Integer.parseInt(c[1]) - 1] = c[3];
    }
    return out;
  }

  @Test
  void sweepRanksTrialsRecordsFailuresResumesAndRetrainsTheBest() throws IOException {
    Path file = sweepFile("lr.conf", """
        sweep { folds = 2, parallelism = 2 }
        space { optimizer.learning-rate = [0.001, 0.003, 1000.0] }
        fixed { optimizer.type = sgd, training.epochs = 4, training.partitions = 1, model.hidden = [8] }
        """);
    Path out = dir.resolve("lr");
    CliRunner r = CliRunner.run("sweep", file.toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err() + r.out());

    List<String> board = Files.readAllLines(out.resolve("leaderboard.csv"));
    assertEquals(4, board.size(), String.join("\n", board));
    String[] first = board.get(1).split(",", -1);
    String[] second = board.get(2).split(",", -1);
    assertEquals("1", first[0]);
    assertTrue(Double.parseDouble(first[3]) <= Double.parseDouble(second[3]), board.toString());
    assertTrue(board.get(3).startsWith(",3,failed,"), board.get(3));
    assertTrue(board.get(3).contains("diverged"), board.get(3));
    assertEquals(5, Files.readAllLines(out.resolve("trials/trial-001/fold-2-history.csv")).size());
    JsonNode status = JSON.readTree(out.resolve("trials/trial-002/status.json").toFile());
    assertEquals(2, status.get("fold_scores").size());
    assertEquals((status.get("fold_scores").get(0).asDouble() + status.get("fold_scores").get(1).asDouble()) / 2,
        status.get("score").asDouble(), 1e-12);

    // The best setting, retrained on all training rows, is the model `train` makes with that setting.
    int best = Integer.parseInt(first[1]);
    String lr = best == 1 ? "0.001" : "0.003";
    assertTrue(Files.exists(out.resolve("best/model/model.json")));
    Path single = dir.resolve("single");
    CliRunner t = CliRunner.run("train", "jobs/boston-mlp.conf", "--out", single.toString(), "--set",
        "optimizer.type=sgd", "--set", "training.epochs=4", "--set", "training.partitions=1", "--set",
        "model.hidden=[8]", "--set", "optimizer.learning-rate=" + lr);
    assertEquals(0, t.code(), t.err());
    double sweepTest = JSON.readTree(out.resolve("best/metrics.json").toFile()).get("test").get("mae").asDouble();
    double trainTest = JSON.readTree(single.resolve("metrics.json").toFile()).get("test").get("mae").asDouble();
    assertEquals(trainTest, sweepTest, 1e-9);

    String report = Files.readString(out.resolve("report.html"));
    assertTrue(report.contains("sweep-optimizer_learning-rate.png"));
    assertTrue(Files.size(out.resolve("sweep-optimizer_learning-rate.png")) > 1000);

    // Run again: nothing is trained twice.
    // (a status holds the trial's seconds, and best/ is only rewritten by a new retraining)
    byte[] before = Files.readAllBytes(out.resolve("trials/trial-001/status.json"));
    var bestTime = Files.getLastModifiedTime(out.resolve("best/metrics.json"));
    CliRunner again = CliRunner.run("sweep", file.toString(), "--out", out.toString());
    assertEquals(0, again.code(), again.err());
    assertArrayEquals(before, Files.readAllBytes(out.resolve("trials/trial-001/status.json")));
    assertEquals(bestTime, Files.getLastModifiedTime(out.resolve("best/metrics.json")));

    // One trial at a time gives the same scores as two at once.
    Path serial = dir.resolve("serial");
    CliRunner one = CliRunner.run("sweep", file.toString(), "--out", serial.toString(), "--parallelism", "1");
    assertEquals(0, one.code(), one.err());
    assertArrayEquals(scoresByTrial(out.resolve("leaderboard.csv"), 3),
        scoresByTrial(serial.resolve("leaderboard.csv"), 3));

    // Another sweep file may not reuse the folder.
    Path other = sweepFile("other.conf", """
        sweep { folds = 2 }
        space { optimizer.learning-rate = [0.002] }
        fixed { optimizer.type = sgd, training.epochs = 4, training.partitions = 1, model.hidden = [8] }
        """);
    CliRunner refused = CliRunner.run("sweep", other.toString(), "--out", out.toString());
    assertEquals(ExitCodes.USAGE, refused.code());
    assertTrue(refused.err().contains("different sweep"), refused.err());
  }

  @Test
  void earlyStoppingAppliesPerFoldAndTheBestIsRetrainedForItsKeptEpochs() throws IOException {
    Path file = sweepFile("es.conf", """
        sweep { folds = 2 }
        space { optimizer.learning-rate = [0.05, 0.1] }
        fixed {
          training { epochs = 60, partitions = 1, early-stopping { metric = validation-mae, patience = 1 } }
          model.hidden = [8]
        }
        """);
    Path out = dir.resolve("es");
    CliRunner r = CliRunner.run("sweep", file.toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err() + r.out());
    String[] first = Files.readAllLines(out.resolve("leaderboard.csv")).get(1).split(",", -1);
    double keptEpochs = Double.parseDouble(first[5]);
    assertTrue(keptEpochs >= 1 && keptEpochs < 60, "early stopping kept epochs " + keptEpochs);
    String job = Files.readString(out.resolve("best/job.conf"));
    assertTrue(job.contains("\"epochs\" : " + Math.round(keptEpochs)) || job.contains("epochs=" + Math.round(keptEpochs))
        || job.contains("epochs = " + Math.round(keptEpochs)), job);
    assertTrue(Files.exists(out.resolve("best/model/model.json")));
  }

  @Test
  void validationSplitScoringAndBadSettingsNameTheirTrial() throws IOException {
    Path ok = sweepFile("val.conf", """
        sweep { folds = 0, metric = validation-rmse }
        space { model.activation = [relu, tanh] }
        fixed { data.validation-fraction = 0.2, training.epochs = 3, training.partitions = 1, model.hidden = [8] }
        """);
    CliRunner r = CliRunner.run("sweep", ok.toString(), "--out", dir.resolve("val").toString());
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(Files.readAllLines(dir.resolve("val/leaderboard.csv")).get(0).startsWith("rank,trial,status,rmse,"));
    assertTrue(Files.exists(dir.resolve("val/trials/trial-002/history.csv")));

    Path bad = sweepFile("bad.conf", "space { model.activation = [relu, swish] }\n");
    CliRunner b = CliRunner.run("sweep", bad.toString(), "--out", dir.resolve("bad").toString());
    assertEquals(ExitCodes.USAGE, b.code(), b.err());
    assertTrue(b.err().contains("sweep trial 2") && b.err().contains("model.activation"), b.err());

    CliRunner missing = CliRunner.run("sweep", dir.resolve("nowhere.conf").toString());
    assertEquals(ExitCodes.USAGE, missing.code(), missing.err());
    assertTrue(missing.err().contains("sweep file not found"), missing.err());

    Path noValidation = sweepFile("noval.conf", "sweep.folds = 0\nspace { model.activation = [relu] }\n");
    CliRunner n = CliRunner.run("sweep", noValidation.toString(), "--out", dir.resolve("noval").toString());
    assertEquals(ExitCodes.USAGE, n.code(), n.err());
    assertTrue(n.err().contains("sweep.folds"), n.err());
  }

  @Test
  void moreGangTrialsThanTaskSlotsAreCappedWithAWarningNotLeftWaiting() throws IOException {
    // local[2] has 2 slots; gang trials of 2 partitions each need both, so only one can run at a time.
    Path file = sweepFile("gang.conf", """
        sweep { folds = 2, parallelism = 2 }
        space { optimizer.learning-rate = [0.001, 0.003] }
        fixed { training.epochs = 2, training.partitions = 2, model.hidden = [8], training.engine = gang }
        """);
    CliRunner r = CliRunner.run("sweep", file.toString(), "--out", dir.resolve("gang").toString());
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.err().contains("so 1 run at once"), r.err());
    List<String> board = Files.readAllLines(dir.resolve("gang/leaderboard.csv"));
    assertTrue(board.get(1).contains(",finished,") && board.get(2).contains(",finished,"), board.toString());
  }

  @Test
  void aSweepFolderInUseByAnotherRunIsRefusedAndLeftAlone() throws IOException {
    Path file = sweepFile("locked.conf", """
        sweep { folds = 2 }
        space { optimizer.learning-rate = [0.001, 0.003] }
        fixed { training.epochs = 2, training.partitions = 1, model.hidden = [4] }
        """);
    Path out = dir.resolve("locked");
    try (sparksgd.store.RunLock held = sparksgd.store.RunLock.acquire(new org.apache.hadoop.conf.Configuration(),
        out.toString(), w -> { })) {
      CliRunner r = CliRunner.run("sweep", file.toString(), "--out", out.toString());
      assertEquals(ExitCodes.USAGE, r.code(), r.err());
      assertTrue(r.err().contains("in use by another run"), r.err());
      assertTrue(!Files.exists(out.resolve("sweep.json")), "nothing written into the locked folder");
    }
    // Released: the same sweep runs there and leaves no lock behind.
    CliRunner r = CliRunner.run("sweep", file.toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(!Files.exists(out.resolve(sparksgd.store.RunLock.FILE_NAME)));
    // --overwrite empties the folder under its own lock, which it must not delete meanwhile.
    CliRunner again = CliRunner.run("sweep", file.toString(), "--out", out.toString(), "--overwrite");
    assertEquals(0, again.code(), again.err());
  }

  @Test
  void aSweepScoresFoldsOfSparseLibSvmRowsAndRetrainsTheBest() throws IOException {
    sparksgd.data.SparseLogisticRows gen = new sparksgd.data.SparseLogisticRows(11, 200, 8);
    List<String> rows = new java.util.ArrayList<>();
    for (long i = 0; i < 300; i++) {
      rows.add(gen.libsvm(i));
    }
    Path data = dir.resolve("sparse.libsvm");
    Files.write(data, rows);
    Path file = sweepFile("sparse.conf", """
        sweep { folds = 2, parallelism = 1, metric = validation-accuracy }
        space { optimizer.learning-rate = [0.01, 0.1] }
        fixed { data.train = "%s", data.format = libsvm, data.label = label, data.num-features = 200,
          data.representation = sparse, model.loss = bce, model.hidden = [8], optimizer.type = sgd,
          training.epochs = 2, training.partitions = 1 }
        """.formatted(data));
    Path out = dir.resolve("sparse");
    CliRunner r = CliRunner.run("sweep", file.toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err() + r.out());
    List<String> board = Files.readAllLines(out.resolve("leaderboard.csv"));
    assertTrue(board.get(0).startsWith("rank,trial,status,accuracy,"), board.get(0));
    assertEquals(3, board.size(), board.toString());
    for (String line : board.subList(1, 3)) {
      double accuracy = Double.parseDouble(line.split(",", -1)[3]);
      assertTrue(accuracy >= 0 && accuracy <= 1, line);
    }
    assertTrue(Files.exists(out.resolve("trials/trial-001/fold-2-history.csv")));
    // The progress lines (trials, the retrained best) come through the command's writer.
    assertTrue(r.out().contains("spark-sgd sweep: 2 trials"), r.out());
    assertTrue(r.out().contains("retraining trial"), r.out());
  }
}
