package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.testing.SparkTest;

/**
 * A run folder always holds exactly one run: --overwrite replaces the old run whole (checkpoints
 * included) once the new one has trained its first epoch, and a run that fails before that leaves an
 * overwritten folder as it was and no folder of its own.
 */
@SparkTest
class RunFolderIntegrityTest {
  static SparkSession spark;
  @TempDir
  static Path dir;
  static final String JOB = "jobs/boston-linear.conf";

  static CliRunner train(Path out, String... more) {
    List<String> a = new ArrayList<>(List.of("train", JOB, "--out", out.toString(), "--set", "training.partitions=1"));
    a.addAll(List.of(more));
    return CliRunner.run(a.toArray(new String[0]));
  }

  /** Every file under {@code root} (relative name to bytes), lock file aside. */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return files;
  }

  static List<String> checkpoints(Path run) throws IOException {
    try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("ckpt-")).sorted().toList();
    }
  }

  static String csv(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p.toString();
  }

  @Test
  void overwriteReplacesTheOldRunAndItsCheckpoints() throws IOException {
    Path out = dir.resolve("replaced");
    assertEquals(0, train(out, "--set", "training.epochs=4").code());
    List<String> old = checkpoints(out);
    // keep-last 3 of 4 epochs; a background write may be superseded by a newer one, so 2 or 3 exist
    assertTrue(old.size() == 2 || old.size() == 3, "checkpoints of the first run: " + old);

    CliRunner again = train(out, "--overwrite", "--set", "training.epochs=1", "--set", "optimizer.learning-rate=0.02");
    assertEquals(0, again.code(), again.err());
    List<String> mine = checkpoints(out);
    assertEquals(1, mine.size(), "only the new run's checkpoint: " + mine);
    // Had the old run's checkpoints been kept, its newer steps would have pruned this one.
    assertTrue(old.get(old.size() - 1).compareTo(mine.get(0)) > 0,
        "the new run's checkpoint is of an earlier step than the old run's newest: " + old + " " + mine);
    assertTrue(Files.readString(out.resolve("job.conf")).contains("0.02"));
    assertEquals(2, Files.readAllLines(out.resolve("history.csv")).size());

    // The new run's progress is its own: it resumes (with more epochs) instead of being refused.
    CliRunner resumed = train(out, "--resume", "--set", "training.epochs=2", "--set", "optimizer.learning-rate=0.02");
    assertEquals(0, resumed.code(), resumed.err());
    assertEquals(3, Files.readAllLines(out.resolve("history.csv")).size());
  }

  @Test
  void overwriteThatFailsBeforeTrainingLeavesTheOldRunAsItWas() throws IOException {
    Path out = dir.resolve("kept");
    assertEquals(0, train(out, "--set", "training.epochs=2").code());
    Map<String, String> before = snapshot(out);
    String overflow = csv("overflow.csv", "x,y\n1e308,1\n1.5e308,2\n1.7e308,3\n1,4\n1,5\n1,6\n");
    CliRunner stats = train(out, "--overwrite", "--set", "data.train=\"" + overflow + "\"", "--set", "data.label=y");
    assertEquals(ExitCodes.DATA, stats.code(), stats.err());
    assertTrue(stats.err().contains("column 'x'") && stats.err().contains("overflow"), stats.err());
    assertEquals(before, snapshot(out), "a failed overwrite must not touch the old run");

    CliRunner slots = train(out, "--overwrite", "--set", "training.partitions=3", "--set", "training.engine=gang");
    assertEquals(ExitCodes.USAGE, slots.code(), slots.err());
    assertTrue(slots.err().contains("training.partitions"), slots.err());
    assertEquals(before, snapshot(out));
  }

  @Test
  void aDivergedOverwriteNeverMixesTwoRuns() throws IOException {
    Path out = dir.resolve("mixed");
    assertEquals(0, train(out, "--set", "training.epochs=2").code());
    Map<String, String> before = snapshot(out);
    CliRunner r = train(out, "--overwrite", "--set", "optimizer.learning-rate=1e6", "--set", "data.normalize=none",
        "--set", "training.epochs=5");
    assertEquals(ExitCodes.DIVERGED, r.code(), r.err());
    Map<String, String> after = snapshot(out);
    if (!after.equals(before)) {
      // The new run got past its first epoch: then nothing of the old run may be left.
      assertFalse(after.containsKey("metrics.json") || after.keySet().stream().anyMatch(k -> k.startsWith("model")),
          "old results beside the new run: " + after.keySet());
      assertTrue(Files.readString(out.resolve("job.conf")).contains("1e6") || Files.readString(out.resolve("job.conf"))
          .contains("1000000"), "job.conf is the new run's");
    }
  }

  @Test
  void aRunThatFailsBeforeTrainingLeavesNoFolder() throws IOException {
    Path out = dir.resolve("never");
    String huge = csv("huge.csv", "x,y\n1,1e308\n2,1.6e308\n3,1.7e308\n4,1\n5,1\n6,1\n");
    CliRunner stats = train(out, "--set", "data.train=\"" + huge + "\"", "--set", "data.label=y");
    assertEquals(ExitCodes.DATA, stats.code(), stats.err());
    assertTrue(stats.err().contains("column 'y'"), "the label column is named: " + stats.err());
    assertFalse(Files.exists(out), "no folder left behind");

    CliRunner slots = train(out, "--set", "training.partitions=3", "--set", "training.engine=gang");
    assertEquals(ExitCodes.USAGE, slots.code(), slots.err());
    assertEquals(1, slots.err().lines().filter(l -> l.startsWith("error:")).count(), slots.err());
    assertFalse(Files.exists(out), "no folder left behind");

    CliRunner diverged = train(out, "--set", "optimizer.learning-rate=1e12", "--set", "data.normalize=none");
    assertEquals(ExitCodes.DIVERGED, diverged.code(), diverged.err());
    // Diverged in the first epoch: nothing was written, so nothing is left; later, the run's own files.
    assertTrue(!Files.exists(out) || Files.exists(out.resolve("job.conf")), "no half folder");
  }

  @Test
  void aFolderInUseIsRefusedInPlainWordsWithExitTwo() throws IOException {
    Path out = dir.resolve("locked");
    Files.createDirectories(out);
    try (sparksgd.store.RunLock lock = sparksgd.store.RunLock.acquire(new org.apache.hadoop.conf.Configuration(),
        out.toString(), w -> { })) {
      CliRunner r = train(out, "--overwrite", "--set", "training.epochs=1");
      assertEquals(ExitCodes.USAGE, r.code(), r.err());
      assertTrue(r.err().startsWith("error: ") && r.err().contains("in use by another run"), r.err());
      assertFalse(r.err().contains("Exception"), r.err());
    }
  }

  @Test
  void aCheckpointDirWithAnotherRunsCheckpointsNeedsOverwrite() throws IOException {
    Path ckpt = dir.resolve("shared-ckpt");
    assertEquals(0, train(dir.resolve("first"), "--set", "training.epochs=3", "--set",
        "checkpoint.dir=\"" + ckpt + "\"").code());
    CliRunner refused = train(dir.resolve("second"), "--set", "training.epochs=1", "--set",
        "checkpoint.dir=\"" + ckpt + "\"");
    assertEquals(ExitCodes.USAGE, refused.code(), refused.err());
    assertTrue(refused.err().contains("checkpoint.dir"), refused.err());
    assertFalse(Files.exists(dir.resolve("second")));
    CliRunner replaced = train(dir.resolve("second"), "--overwrite", "--set", "training.epochs=1", "--set",
        "checkpoint.dir=\"" + ckpt + "\"");
    assertEquals(0, replaced.code(), replaced.err());
    try (Stream<Path> s = Files.list(ckpt)) {
      assertEquals(1, s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).count(),
          "only the new run's checkpoint is left");
    }
  }
}
