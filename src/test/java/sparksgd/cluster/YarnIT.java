package sparksgd.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptReport;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * spark-submit into YARN for real: a MiniYARNCluster (two NodeManagers) over a MiniDFSCluster in this
 * JVM, the application jar submitted through Spark's own entry point ({@code SparkSubmit}, what the
 * {@code spark-submit} script runs) in a separate process, data, run folder and checkpoints on HDFS.
 * Every run must end with the weights of a local-mode run on the same two partitions, bit for bit:
 * undisturbed, after an executor container is killed, and after the driver's container (the
 * ApplicationMaster) is killed and YARN's second attempt resumes from the HDFS checkpoint.
 * Runs in {@code mvn verify} (failsafe), after the application jar is packaged.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES) // each test: a guard against a hang, not a speed check
class YarnIT {
  static final Path ROOT = Path.of("").toAbsolutePath();
  static final Path WORK = ROOT.resolve("target/it-yarn");
  static final String JOB = "jobs/boston-mlp.conf";
  static final String DATA = "hdfs:///data/boston_housing.csv";
  static final int EPOCHS = 20;
  /** The job's size here: fewer epochs than its 80, a checkpoint every 5 (HDFS writes are slow on this machine). */
  static final List<String> SIZE = List.of("--set", "training.epochs=" + EPOCHS, "--set", "checkpoint.every-epochs=5");
  static MiniHadoop hadoop;
  static Path sparkHome;

  @BeforeAll
  @Timeout(value = 8, unit = TimeUnit.MINUTES) // a guard against a hang, not a speed check
  static void startClusterAndTrainTheLocalReference() throws Exception {
    deleteTree(WORK);
    deleteTree(ROOT.resolve("target/test/data/YarnIT")); // MiniYARNCluster's own folder
    Files.createDirectories(WORK);
    sparkHome = SparkHomeFromMaven.assemble(ROOT, WORK.resolve("spark-home"));
    hadoop = MiniHadoop.start(WORK, 2, 2048, blasEnvironment());
    try (InputStream in = YarnIT.class.getClassLoader().getResourceAsStream("datasets/boston_housing.csv");
        OutputStream out = hadoop.fs.create(new org.apache.hadoop.fs.Path(DATA))) {
      in.transferTo(out);
    }
    List<String> local = new ArrayList<>(List.of("--class", "sparksgd.cli.Main", "--master", "local[2]",
        appJar(), "train", JOB, "--set", "data.train=" + DATA));
    local.addAll(SIZE);
    local.addAll(List.of("--out", "hdfs:///runs/local"));
    finish(submit("local", local), "local");
  }

  /**
   * The BLAS environment scripts/jvm-env.sh gives every process started here (OPENBLAS_CORETYPE from the
   * CPU flags, OPENBLAS_NUM_THREADS=1), as {@code K=V,K=V} for the nodes' containers. Without it native
   * OpenBLAS, when installed, is not used in the containers (see Blas), and their last bits differ
   * from a local run that used it.
   */
  static String blasEnvironment() throws Exception {
    Process p = new ProcessBuilder("bash", "-c", ". scripts/jvm-env.sh && echo \"${OPENBLAS_CORETYPE:-}\"")
        .directory(ROOT.toFile()).start();
    String coreType = new String(p.getInputStream().readAllBytes()).trim();
    assertEquals(0, p.waitFor());
    return "OPENBLAS_NUM_THREADS=1" + (coreType.isEmpty() ? "" : ",OPENBLAS_CORETYPE=" + coreType);
  }

  @AfterAll
  static void stopCluster() {
    if (hadoop != null) {
      hadoop.close();
    }
  }

  /**
   * The spark-submit arguments of the README's YARN line, with this test's paths: the Spark jars of
   * {@link SparkHomeFromMaven} and the run folder {@code hdfs:///runs/<name>}.
   */
  static List<String> yarnArgs(String deployMode, String name) {
    List<String> a = new ArrayList<>(List.of("--class", "sparksgd.cli.Main", "--master", "yarn",
        "--deploy-mode", deployMode, "--num-executors", "2", "--executor-cores", "1", "--executor-memory", "512m",
        "--driver-memory", "512m", "--conf", "spark.yarn.maxAppAttempts=2",
        "--conf", "spark.yarn.jars=local:" + sparkHome.resolve("jars") + "/*"));
    String job = JOB;
    if (deployMode.equals("cluster")) { // the driver runs in a container: the job file goes along
      a.addAll(List.of("--files", JOB));
      job = Path.of(JOB).getFileName().toString();
    }
    a.addAll(List.of(appJar(), "train", job, "--set", "data.train=" + DATA));
    a.addAll(SIZE);
    a.addAll(List.of("--out", "hdfs:///runs/" + name, "--auto-resume"));
    return a;
  }

  @Test
  void theReadmeYarnLineIsWhatTheseTestsSubmit() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int at = readme.indexOf("\n# YARN");
    assertTrue(at >= 0, "no '# YARN' line in the README");
    String block = readme.substring(readme.indexOf("\nspark-submit ", at) + 1);
    block = block.substring(0, block.indexOf("\n\n"));
    List<String> words = new ArrayList<>(Arrays.asList(block.replace("\\\n", " ").trim().split("\\s+")));
    assertEquals("spark-submit", words.remove(0));
    List<String> expected = yarnArgs("cluster", "boston-mlp").stream()
        .map(w -> w.replace(sparkHome.toString(), "$SPARK_HOME")).toList();
    assertEquals(expected, words.stream().map(w -> w.replace("\"", "")).toList());
  }

  @Test
  void clusterModeGivesTheWeightsOfLocalMode() throws Exception {
    finish(submit("cluster", yarnArgs("cluster", "cluster")), "cluster");
    assertSameWeights("local", "cluster");
  }

  @Test
  void clientModeWithAnExecutorContainerKilledMidRunStillEndsBitIdentical() throws Exception {
    String name = "client-executor-killed";
    Process p = submit(name, yarnArgs("client", name));
    try {
      int before = waitForEpochs(p, name, 3);
      ApplicationReport app = hadoop.theLiveApplication();
      List<ContainerId> executors = hadoop.containers(app, false);
      assertEquals(2, executors.size(), executors.toString());
      hadoop.kill(executors.get(0));
      awaitGone(app, executors.get(0));
      assertTrue(before < EPOCHS, "the kill came after training ended");
      finish(p, name);
      assertTrue(Files.readString(hadoop.containerLog(executors.get(0), "stderr")).contains("Executor"),
          "the killed container's log is there");
    } finally {
      p.destroyForcibly();
    }
    assertSameWeights("local", name);
  }

  @Test
  void aKilledDriverContainerIsRetriedByYarnAndResumesFromTheHdfsCheckpoint() throws Exception {
    String name = "cluster-driver-killed";
    Process p = submit(name, yarnArgs("cluster", name));
    ApplicationReport app;
    ContainerId firstAm;
    try {
      waitForEpochs(p, name, 5);
      org.apache.hadoop.fs.Path checkpoints = new org.apache.hadoop.fs.Path("/runs/" + name + "/checkpoints");
      while (!hadoop.fs.exists(checkpoints) || Arrays.stream(hadoop.fs.listStatus(checkpoints))
          .noneMatch(f -> f.getPath().getName().startsWith("ckpt-"))) {
        assertTrue(p.isAlive(), "the run ended before the kill: " + Files.readString(log(name)));
        Thread.sleep(50);
      }
      int before = waitForEpochs(p, name, 0);
      app = hadoop.theLiveApplication();
      List<ContainerId> am = hadoop.containers(app, true);
      assertEquals(1, am.size(), am.toString());
      firstAm = am.get(0);
      hadoop.kill(firstAm);
      assertTrue(before < EPOCHS, "the kill came after training ended");
      finish(p, name);
    } finally {
      p.destroyForcibly();
    }
    List<ApplicationAttemptReport> attempts = hadoop.client.getApplicationAttempts(app.getApplicationId());
    assertEquals(2, attempts.size(), attempts.toString());
    assertEquals(FinalApplicationStatus.SUCCEEDED,
        hadoop.client.getApplicationReport(app.getApplicationId()).getFinalApplicationStatus());
    ContainerId secondAm = attempts.stream().map(ApplicationAttemptReport::getAMContainerId)
        .filter(c -> !c.equals(firstAm)).findFirst().orElseThrow();
    String driverOut = Files.readString(hadoop.containerLog(secondAm, "stdout"));
    assertTrue(driverOut.contains("auto-resume: continuing the run in hdfs:///runs/" + name), driverOut);
    java.util.regex.Matcher resumed = java.util.regex.Pattern.compile("resuming from \\S+ \\(epoch (\\d+), step 0\\)")
        .matcher(driverOut);
    assertTrue(resumed.find(), driverOut);
    assertTrue(Integer.parseInt(resumed.group(1)) > 1, driverOut); // from a checkpoint, not from the start
    assertSameWeights("local", name);
  }

  /** Waits until the run on HDFS has at least {@code epochs} epochs in its history; returns how many. */
  static int waitForEpochs(Process p, String name, int epochs) throws Exception {
    org.apache.hadoop.fs.Path history = new org.apache.hadoop.fs.Path("/runs/" + name + "/history.csv");
    while (true) {
      int done = 0;
      if (hadoop.fs.exists(history)) {
        try (InputStream in = hadoop.fs.open(history)) {
          done = Math.max(0, new String(in.readAllBytes()).split("\n").length - 1);
        } catch (IOException replacedMeanwhile) {
          continue;
        }
      }
      if (done >= epochs) {
        return done;
      }
      assertTrue(p.isAlive(), "the run ended before the kill: " + Files.readString(log(name)));
      Thread.sleep(50);
    }
  }

  /** Waits until YARN no longer lists the container as running. */
  static void awaitGone(ApplicationReport app, ContainerId container) throws Exception {
    while (hadoop.containers(app, false).contains(container)) {
      Thread.sleep(50);
    }
  }

  static String appJar() {
    try (Stream<Path> s = Files.list(ROOT.resolve("target"))) {
      return ROOT.relativize(s.filter(f -> f.toString().endsWith("-app.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no application jar: run through mvn verify"))).toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path log(String name) {
    return WORK.resolve(name + ".log");
  }

  /**
   * {@code spark-submit ARGS} as the script runs it ({@code java -cp "$HADOOP_CONF_DIR:$SPARK_HOME/jars/*"
   * org.apache.spark.deploy.SparkSubmit ARGS}), from the project folder, output to {@code <name>.log}.
   */
  static Process submit(String name, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", ". scripts/jvm-env.sh && exec java "
        + "\"${spark_jvm_flags[@]}\" -Xmx512m -Dlog4j.configurationFile=conf/log4j2.properties "
        + "-cp \"$HADOOP_CONF_DIR:$SPARK_HOME/jars/*\" org.apache.spark.deploy.SparkSubmit \"$@\"", "spark-submit"));
    cmd.addAll(args);
    Files.writeString(WORK.resolve(name + ".cmd"), "spark-submit " + String.join(" ", args) + "\n");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(log(name).toFile());
    pb.environment().put("HADOOP_CONF_DIR", hadoop == null ? "" : hadoop.confDir.toString());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    return pb.start();
  }

  /** Waits for spark-submit (hangs are cut by the tests' @Timeout) and checks it succeeded. */
  static void finish(Process p, String name) throws Exception {
    try {
      assertEquals(0, p.waitFor(), name + ": " + Files.readString(log(name)));
    } finally {
      p.destroyForcibly();
    }
  }

  /** Copies both run folders to target/it-yarn/runs (for a look after a failure), then compares the weights. */
  static void assertSameWeights(String a, String b) throws IOException {
    for (String run : List.of(a, b)) {
      Path local = WORK.resolve("runs").resolve(run);
      if (!Files.exists(local)) {
        Files.createDirectories(local.getParent());
        hadoop.fs.copyToLocalFile(new org.apache.hadoop.fs.Path("/runs/" + run), new org.apache.hadoop.fs.Path(local.toUri()));
      }
    }
    org.apache.hadoop.fs.Path ma = new org.apache.hadoop.fs.Path("/runs/" + a + "/model");
    org.apache.hadoop.fs.Path mb = new org.apache.hadoop.fs.Path("/runs/" + b + "/model");
    assertEquals(blasOf(ma), blasOf(mb), "the runs used different BLAS implementations");
    List<String> files = Arrays.stream(hadoop.fs.listStatus(ma)).map(FileStatus::getPath)
        .map(org.apache.hadoop.fs.Path::getName).filter(f -> f.endsWith(".npy")).sorted().toList();
    assertEquals(6, files.size(), files.toString());
    for (String f : files) {
      assertTrue(Arrays.equals(bytes(new org.apache.hadoop.fs.Path(ma, f)), bytes(new org.apache.hadoop.fs.Path(mb, f))),
          a + " and " + b + " differ in " + f);
    }
  }

  /** The BLAS a run used, from its model.json provenance. */
  static String blasOf(org.apache.hadoop.fs.Path model) throws IOException {
    String json = new String(bytes(new org.apache.hadoop.fs.Path(model, "model.json")));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"blas\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    assertTrue(m.find(), "no blas in " + model + "/model.json");
    return m.group(1);
  }

  static void deleteTree(Path p) throws IOException {
    if (Files.exists(p)) {
      try (Stream<Path> s = Files.walk(p)) {
        for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  static byte[] bytes(org.apache.hadoop.fs.Path p) throws IOException {
    try (InputStream in = hadoop.fs.open(p)) {
      return in.readAllBytes();
    }
  }
}
