package sparksgd.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real standalone cluster (scripts/cluster: one Master and two Workers, separate JVMs, each Worker
 * launching its own executor JVM) and drivers started as separate processes, as users run them.
 * Runs in {@code mvn verify} (failsafe), after the application jar is packaged.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // each test: a guard against a hang, not a speed check
class ClusterIT {
  static final Path ROOT = Path.of("").toAbsolutePath();
  static final Path STATE = ROOT.resolve("target/it-cluster");
  static final Path OUT = ROOT.resolve("target/it-runs");
  static String master;

  @BeforeAll
  @Timeout(value = 5, unit = TimeUnit.MINUTES) // a guard against a hang, not a speed check
  static void startCluster() throws Exception {
    deleteTree(OUT);
    Files.createDirectories(OUT);
    Runtime.getRuntime().addShutdownHook(new Thread(ClusterIT::stopQuietly));
    Process p = script("start", "--workers", "2");
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    master = Files.readAllLines(STATE.resolve("cluster.env")).stream().filter(l -> l.startsWith("MASTER_URL="))
        .findFirst().orElseThrow().substring("MASTER_URL=".length());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    Process p = script("stop");
    assertEquals(0, p.waitFor());
    for (String name : List.of("master", "worker-1", "worker-2")) {
      assertFalse(Files.exists(STATE.resolve(name + ".pid")), name + " still has a pid file");
    }
  }

  static void stopQuietly() {
    try {
      script("stop").waitFor(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort at JVM exit
    }
  }

  static Process script(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("scripts/cluster").toString()));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("SPARK_SGD_CLUSTER_DIR", STATE.toString());
    return pb.start();
  }

  /** A driver process as the launcher starts one (same JVM flags and BLAS environment), output to a log. */
  static Process driver(String name, String... args) throws IOException {
    String appJar;
    try (Stream<Path> s = Files.list(ROOT.resolve("target"))) {
      appJar = s.map(Path::toString).filter(f -> f.endsWith("-app.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no application jar: run through mvn verify"));
    }
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", ". scripts/jvm-env.sh && exec java "
        + "\"${spark_jvm_flags[@]}\" -Xmx2g -Dlog4j.configurationFile=conf/log4j2.properties -Dspark.jars=" + appJar
        + " -cp \"$DRIVER_CP\" sparksgd.cli.Main \"$@\"", "driver"));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(OUT.resolve(name + ".log").toFile());
    pb.environment().put("DRIVER_CP", System.getProperty("java.class.path"));
    return pb.start();
  }

  /** Waits for a driver (hangs are cut by the tests' @Timeout) and checks it succeeded. */
  static void finish(Process p, String name) throws Exception {
    try {
      assertEquals(0, p.waitFor(), name + ": " + Files.readString(OUT.resolve(name + ".log")));
    } finally {
      p.destroyForcibly();
    }
  }

  static void train(String name, String master, String... sets) throws Exception {
    List<String> args = new ArrayList<>(List.of("train", "jobs/boston-mlp.conf", "--master", master, "--out",
        OUT.resolve(name).toString(), "--set", "training.partitions=2"));
    for (String s : sets) {
      args.add("--set");
      args.add(s);
    }
    finish(driver(name, args.toArray(String[]::new)), name);
  }

  @Test
  void morePartitionsThanTheClusterHasSlotsFailsInOneLineWithExitTwo() throws Exception {
    // Two workers of one core each: three gang tasks can never run at once. Without spark.cores.max the
    // driver counts the slots of the executors that register, instead of Spark's minutes of barrier retries.
    String name = "too-many-partitions";
    Process p = driver(name, "train", "jobs/boston-linear.conf", "--master", master, "--out",
        OUT.resolve(name).toString(), "--set", "training.partitions=3", "--set", "training.epochs=1");
    try {
      String log = "";
      int code = p.waitFor();
      log = Files.readString(OUT.resolve(name + ".log"));
      assertEquals(2, code, log);
      assertEquals(1, log.lines().filter(l -> l.startsWith("error:")).count(), log);
      assertTrue(log.contains("training.partitions = 3 exceeds the 2 task slots"), log);
      assertFalse(log.contains("\tat "), log);
      assertFalse(Files.exists(OUT.resolve(name)), "no run folder left behind");
    } finally {
      p.destroyForcibly();
    }
  }

  static void assertSameWeights(String a, String b) throws IOException {
    Path ma = OUT.resolve(a).resolve("model");
    List<String> files;
    try (Stream<Path> s = Files.list(ma)) {
      files = s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".npy")).sorted().toList();
    }
    assertEquals(6, files.size(), files.toString());
    for (String f : files) {
      assertTrue(Arrays.equals(Files.readAllBytes(ma.resolve(f)), Files.readAllBytes(OUT.resolve(b).resolve("model")
          .resolve(f))), a + " and " + b + " differ in " + f);
    }
  }

  /** The application jar, as the README names it (relative to the project folder). */
  static String appJarName() throws IOException {
    try (Stream<Path> s = Files.list(ROOT.resolve("target"))) {
      return "target/" + s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith("-app.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no application jar: run through mvn verify"));
    }
  }

  /** What scripts/jvm-flags prints: the driver JVM flags a worker-started driver needs. */
  static String jvmFlags() throws Exception {
    Process p = new ProcessBuilder(ROOT.resolve("scripts/jvm-flags").toString()).start();
    String flags = new String(p.getInputStream().readAllBytes()).trim();
    assertEquals(0, p.waitFor());
    return flags;
  }

  /**
   * The spark-submit arguments of the README's standalone lines with this test's master and run folder:
   * client mode (the driver in the spark-submit JVM, 2 executors, 2 partitions) or cluster mode (a
   * worker runs the driver, which leaves one core for one executor: 1 partition, 20 epochs).
   */
  static List<String> standaloneArgs(String deployMode, String out) throws Exception {
    List<String> a = new ArrayList<>(List.of("--class", "sparksgd.cli.Main", "--master", master));
    if (deployMode.equals("client")) {
      a.addAll(List.of("--conf", "spark.executor.cores=1", "--conf", "spark.executor.memory=1g",
          "--conf", "spark.cores.max=2", appJarName(), "train", "jobs/boston-mlp.conf",
          "--set", "training.partitions=2", "--out", out, "--auto-resume"));
    } else {
      a.addAll(List.of("--deploy-mode", "cluster", "--driver-cores", "1", "--driver-memory", "1g",
          "--driver-java-options", jvmFlags(), "--conf", "spark.standalone.submit.waitAppCompletion=true",
          "--conf", "spark.executor.cores=1", "--conf", "spark.executor.memory=1g", "--conf", "spark.cores.max=1",
          ROOT.resolve(appJarName()).toString(), "train", ROOT.resolve("jobs/boston-mlp.conf").toString(),
          "--set", "training.partitions=1", "--set", "training.epochs=20", "--out", out, "--auto-resume"));
    }
    return a;
  }

  /**
   * {@code spark-submit ARGS} as a Spark distribution's script runs it ({@code java -cp "$SPARK_HOME/jars/*"
   * org.apache.spark.deploy.SparkSubmit ARGS}, SPARK_HOME being the one scripts/cluster assembled), from
   * the project folder, output to {@code <name>.log}.
   */
  static Process submit(String name, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", ". scripts/jvm-env.sh && exec java "
        + "\"${spark_jvm_flags[@]}\" -Xmx1g -Dlog4j.configurationFile=conf/log4j2.properties "
        + "-cp \"$SPARK_HOME/jars/*\" org.apache.spark.deploy.SparkSubmit \"$@\"", "spark-submit"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(OUT.resolve(name + ".log").toFile());
    pb.environment().put("SPARK_HOME", ROOT.resolve("target/spark-home").toString());
    return pb.start();
  }

  /** The README's standalone line after {@code marker}, split into words, quotes dropped. */
  static List<String> readmeLine(String marker) throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int at = readme.indexOf(marker);
    assertTrue(at >= 0, "no '" + marker + "' line in the README");
    String block = readme.substring(readme.indexOf("\nspark-submit ", at) + 1);
    block = block.substring(0, block.indexOf("\n\n"));
    List<String> words = shellWords(block.replace("\\\n", " "));
    assertEquals("spark-submit", words.remove(0));
    return words;
  }

  /** Words as the shell splits them: at blanks outside double quotes; the quotes themselves dropped. */
  static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
        any = true;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (any) {
          words.add(w.toString());
          w.setLength(0);
          any = false;
        }
      } else {
        w.append(c);
        any = true;
      }
    }
    if (any) {
      words.add(w.toString());
    }
    return words;
  }

  @Test
  void theReadmeStandaloneLinesAreWhatTheseTestsSubmit() throws Exception {
    String flags = jvmFlags();
    for (String mode : List.of("client", "cluster")) {
      String readmeOut = mode.equals("client") ? "runs/boston-mlp-submitted" : "$PWD/runs/boston-mlp-cluster-mode";
      List<String> expected = new ArrayList<>();
      for (String w : standaloneArgs(mode, "RUN")) {
        w = w.equals(master) ? "$(scripts/cluster url)" : w.equals("RUN") ? readmeOut
            : w.equals(flags) ? "$(scripts/jvm-flags)" : w.replace(ROOT.toString(), "$PWD");
        expected.add(w);
      }
      assertEquals(expected, readmeLine("\n# Standalone, " + mode + " mode"), mode + " mode");
    }
  }

  @Test
  void theKerasJobSubmittedInClientModeGivesTheWeightsOfLocalMode() throws Exception {
    train("local-keras", "local[2]");
    finish(submit("cluster-keras", standaloneArgs("client", OUT.resolve("cluster-keras").toString())),
        "cluster-keras");
    assertSameWeights("local-keras", "cluster-keras");
  }

  @Test
  void submittedInClusterModeTheDriverRunsOnAWorkerAndGivesTheWeightsOfLocalMode() throws Exception {
    train("local-1-partition", "local[2]", "training.partitions=1", "training.epochs=20");
    String name = "cluster-mode";
    Path run = OUT.resolve(name);
    finish(submit(name, standaloneArgs("cluster", run.toString())), name);
    // spark-submit exits 0 in this mode whatever the driver did: the run folder is the evidence
    assertTrue(Files.exists(run.resolve("model/model.json")), "no model in " + run + ": see the worker's "
        + "driver-*/stdout under " + STATE);
    assertTrue(Files.readString(run.resolve("report.html")).contains(master), "the report names the cluster's master");
    assertSameWeights("local-1-partition", name);
  }

  @Test
  void losingAnExecutorMidTrainingStillEndsBitIdenticalGangEngine() throws Exception {
    killAnExecutorMidTraining("gang", "training.epochs=300", "training.batch-size=16");
  }

  @Test
  void losingAnExecutorMidTrainingStillEndsBitIdenticalJobsEngine() throws Exception {
    killAnExecutorMidTraining("jobs", "training.epochs=40", "training.batch-size=128");
  }

  @Test
  void losingAnExecutorMidTrainingStillEndsBitIdenticalGangEngineAllreduce() throws Exception {
    // The tasks hold the state: the relaunched gang is rebuilt from the last fetched state plus replay.
    killAnExecutorMidTraining("gang", "training.exchange=allreduce", "training.epochs=300", "training.batch-size=16");
  }

  private void killAnExecutorMidTraining(String engine, String... sets) throws Exception {
    String tag = engine + Arrays.stream(sets).filter(s -> s.startsWith("training.exchange="))
        .map(s -> "-" + s.substring("training.exchange=".length())).findFirst().orElse("");
    String ref = "local-" + tag + "-reference";
    train(ref, "local[2]", sets); // the gang engine locally: both engines give the same weights
    String name = "cluster-" + tag + "-killed";
    List<String> args = new ArrayList<>(List.of("train", "jobs/boston-mlp.conf", "--master", master, "--out",
        OUT.resolve(name).toString(), "--set", "training.partitions=2", "--set", "training.engine=" + engine));
    for (String s : sets) {
      args.add("--set");
      args.add(s);
    }
    Process p = driver(name, args.toArray(String[]::new));
    try {
      Path history = OUT.resolve(name).resolve("history.csv");
      while (epochsDone(history) < 5) {
        assertTrue(p.isAlive(), "training ended before an executor could be killed: "
            + Files.readString(OUT.resolve(name + ".log")));
        Thread.sleep(20);
      }
      ProcessHandle executor = executors().get(0);
      int before = epochsDone(history);
      executor.destroyForcibly(); // SIGKILL, by pid
      executor.onExit().get();
      int total = Integer.parseInt(Arrays.stream(sets).filter(s -> s.startsWith("training.epochs="))
          .findFirst().orElseThrow().substring("training.epochs=".length()));
      assertTrue(before < total, "the kill came after training ended");
      finish(p, name);
    } finally {
      p.destroyForcibly();
    }
    assertSameWeights(ref, name);
  }

  static int epochsDone(Path history) throws IOException {
    if (!Files.exists(history)) {
      return 0;
    }
    return Math.max(0, Files.readAllLines(history).size() - 1);
  }

  /** The executor JVMs: children of the Worker pids this cluster recorded, checked by their main class. */
  static List<ProcessHandle> executors() throws IOException {
    List<ProcessHandle> out = new ArrayList<>();
    for (int w = 1; w <= 2; w++) {
      long pid = Long.parseLong(Files.readString(STATE.resolve("worker-" + w + ".pid")).trim());
      Optional<ProcessHandle> worker = ProcessHandle.of(pid);
      worker.ifPresent(h -> h.children().filter(c -> c.info().commandLine().orElse("")
          .contains("org.apache.spark.executor.CoarseGrainedExecutorBackend")).forEach(out::add));
    }
    assertFalse(out.isEmpty(), "no executor process found under the workers");
    return out;
  }

  @Test
  void aSweepRunsTwoTrialsAtOnceOnTheCluster() throws Exception {
    Path sweep = OUT.resolve("cluster-sweep.conf");
    Files.writeString(sweep, "sweep { base = \"" + ROOT.resolve("jobs/boston-mlp.conf") + "\", folds = 2, "
        + "parallelism = 2 }\nspace { optimizer.learning-rate = [0.001, 0.003] }\n"
        + "fixed { training.epochs = 5, training.partitions = 1, model.hidden = [16] }\n");
    finish(driver("sweep-cluster", "sweep", sweep.toString(), "--master", master, "--out",
        OUT.resolve("sweep-cluster").toString()), "sweep-cluster");
    finish(driver("sweep-local", "sweep", sweep.toString(), "--master", "local[2]", "--out",
        OUT.resolve("sweep-local").toString()), "sweep-local");
    List<String> cluster = Files.readAllLines(OUT.resolve("sweep-cluster/leaderboard.csv"));
    List<String> local = Files.readAllLines(OUT.resolve("sweep-local/leaderboard.csv"));
    assertEquals(3, cluster.size(), cluster.toString());
    assertTrue(cluster.get(1).contains(",finished,") && cluster.get(2).contains(",finished,"), cluster.toString());
    for (int i = 1; i < 3; i++) { // same ranks, trials and scores; seconds differ
      String[] c = cluster.get(i).split(",");
      String[] l = local.get(i).split(",");
      assertEquals(Arrays.asList(c).subList(0, 6), Arrays.asList(l).subList(0, 6));
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }
}
