package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.testing.SparkTest;

/**
 * Kill a training run hard at several points, resume it, and get exactly the weights of a run that
 * was never interrupted; a damaged newest checkpoint is skipped for the one before.
 */
@SparkTest
class CheckpointResumeTest {
  static SparkSession spark;
  @TempDir
  static Path dir;
  static final String[] JOB = {"jobs/boston-mlp.conf", "--set", "training.epochs=12", "--set", "model.hidden=[16,16]"};
  static Path reference;

  @BeforeAll
  static void start() {
    reference = dir.resolve("reference");
    assertEquals(0, CliRunner.run(args("train", "--out", reference.toString())).code());
  }

  static String[] args(String command, String... more) {
    List<String> a = new ArrayList<>(List.of(command));
    a.add(JOB[0]);
    a.addAll(List.of(more));
    a.addAll(List.of(JOB).subList(1, JOB.length));
    return a.toArray(new String[0]);
  }

  static void assertSameWeights(Path expectedRun, Path actualRun) throws IOException {
    for (String t : List.of("W1", "b1", "W2", "b2", "W3", "b3")) {
      assertArrayEquals(Files.readAllBytes(expectedRun.resolve("model/" + t + ".npy")),
          Files.readAllBytes(actualRun.resolve("model/" + t + ".npy")), t + " differs from the uninterrupted run");
    }
  }

  /** Starts the CLI in a child JVM, waits for a line containing {@code marker}, then kill -9. */
  static void killDuring(Path out, String marker, long extraMillis) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).toList());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("sparksgd.cli.Main");
    cmd.addAll(List.of(args("train", "--out", out.toString())));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    boolean seen = false;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.contains(marker)) {
          seen = true;
          break;
        }
      }
      Thread.sleep(extraMillis);
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertTrue(seen, "the child run never printed '" + marker + "'");
  }

  @Test
  void killedRunsResumeToTheSameWeights() throws Exception {
    String[][] points = {{"epoch  2/12", "0"}, {"epoch  6/12", "15"}, {"epoch  9/12", "3"}};
    for (int i = 0; i < points.length; i++) {
      Path out = dir.resolve("killed-" + i);
      killDuring(out, points[i][0], Long.parseLong(points[i][1]));
      assertTrue(Files.exists(out.resolve("checkpoints")), "a checkpoint was written before the kill");
      CliRunner resumed = CliRunner.run(args("train", "--out", out.toString(), "--resume"));
      assertEquals(0, resumed.code(), resumed.err());
      assertSameWeights(reference, out);
      assertEquals(13, Files.readAllLines(out.resolve("history.csv")).size(), "a whole history after resume");
    }
  }

  @Test
  void allreduceGivesTheSameWeightsAndItsCheckpointsResumeInEitherExchange() throws IOException {
    Path whole = dir.resolve("allreduce");
    CliRunner r = CliRunner.run(args("train", "--out", whole.toString(), "--set", "training.exchange=allreduce"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("exchange: allreduce (training.exchange = allreduce"), r.out());
    assertTrue(r.out().contains("epoch 12/12"), "the progress lines come through the command's writer: " + r.out());
    assertSameWeights(reference, whole);
    // Checkpoints written from the tasks' fetched state resume in driver mode, and the other way round.
    Path half = dir.resolve("allreduce-then-driver");
    assertEquals(0, CliRunner.run(args("train", "--out", half.toString(), "--set", "training.epochs=5", "--set",
        "training.exchange=allreduce")).code());
    CliRunner resumed = CliRunner.run(args("train", "--out", half.toString(), "--resume", "--set",
        "training.exchange=driver"));
    assertEquals(0, resumed.code(), resumed.err());
    assertSameWeights(reference, half);
    Path other = dir.resolve("driver-then-allreduce");
    assertEquals(0, CliRunner.run(args("train", "--out", other.toString(), "--set", "training.epochs=7")).code());
    resumed = CliRunner.run(args("train", "--out", other.toString(), "--resume", "--set",
        "training.exchange=allreduce"));
    assertEquals(0, resumed.code(), resumed.err());
    assertSameWeights(reference, other);
  }

  @Test
  void damagedNewestCheckpointFallsBackToThePreviousOne() throws Exception {
    Path out = dir.resolve("damaged");
    assertEquals(0, CliRunner.run(args("train", "--out", out.toString(), "--set", "training.epochs=5")).code());
    List<Path> ckpts;
    try (Stream<Path> s = Files.list(out.resolve("checkpoints"))) {
      ckpts = s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).sorted().toList();
    }
    Path newest = ckpts.get(ckpts.size() - 1);
    byte[] params = Files.readAllBytes(newest.resolve("params.npy"));
    params[params.length - 3] ^= 0x40; // one flipped bit in the data
    Files.write(newest.resolve("params.npy"), params);
    // Resume with more epochs (allowed): epoch 5's checkpoint is damaged, so it restarts after epoch 4.
    CliRunner r = CliRunner.run(args("train", "--out", out.toString(), "--resume"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains(newest.getFileName().toString()), "the warning names the bad checkpoint: " + r.err());
    assertSameWeights(reference, out);
  }

  @Test
  void resumeRefusesChangedTrainingSettingsAndNamesThem() {
    Path out = dir.resolve("changed");
    assertEquals(0, CliRunner.run(args("train", "--out", out.toString(), "--set", "training.epochs=2")).code());
    CliRunner r = CliRunner.run(args("train", "--out", out.toString(), "--resume", "--set",
        "optimizer.learning-rate=0.01", "--set", "training.batch-size=8"));
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("optimizer.learning-rate") && r.err().contains("training.batch-size"), r.err());
    CliRunner none = CliRunner.run(args("train", "--out", dir.resolve("nothing").toString(), "--resume"));
    assertEquals(ExitCodes.USAGE, none.code());
  }

  @Test
  void autoResumeStartsContinuesOrRestartsAsARetriedSubmissionNeeds() throws IOException {
    Path run = dir.resolve("auto");
    // First attempt: nothing there, so it starts; it stops after 6 of the 12 epochs.
    CliRunner first = CliRunner.run(args("train", "--out", run.toString(), "--auto-resume", "--set",
        "training.epochs=6"));
    assertEquals(0, first.code(), first.err());
    // Second attempt (all 12 epochs): continues from the checkpoint and ends where a straight run ends.
    CliRunner second = CliRunner.run(args("train", "--out", run.toString(), "--auto-resume"));
    assertEquals(0, second.code(), second.err());
    assertEquals(13, Files.readAllLines(run.resolve("history.csv")).size());
    assertSameWeights(reference, run);
    // Deciding to resume does not rewrite the command's options: the same object could run again as given.
    TrainCommand command = new TrainCommand();
    String[] again = args("train", "--out", run.toString(), "--auto-resume");
    int code = new picocli.CommandLine(command).execute(java.util.Arrays.copyOfRange(again, 1, again.length));
    assertEquals(0, code);
    assertTrue(!command.resume && !command.overwrite && command.autoResume, "options as given");
    assertSameWeights(reference, run);

    // An attempt that died before its first checkpoint left only job.conf: the next one starts again.
    Path early = dir.resolve("auto-early");
    Files.createDirectories(early);
    Files.copy(run.resolve("job.conf"), early.resolve("job.conf"));
    CliRunner restart = CliRunner.run(args("train", "--out", early.toString(), "--auto-resume"));
    assertEquals(0, restart.code(), restart.err());
    assertSameWeights(reference, early);

    // A folder holding another job's run is not touched.
    Files.delete(early.resolve("job.conf"));
    Files.writeString(early.resolve("job.conf"), "model.hidden = [3]\n");
    org.apache.commons.io.FileUtils.deleteDirectory(early.resolve("checkpoints").toFile());
    CliRunner refused = CliRunner.run(args("train", "--out", early.toString(), "--auto-resume"));
    assertEquals(ExitCodes.USAGE, refused.code(), refused.err());
    assertTrue(refused.err().contains("another job"), refused.err());
  }
}
