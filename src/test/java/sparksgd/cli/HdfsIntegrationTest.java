package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.store.Npy;
import sparksgd.testing.SparkTest;

/** Real HDFS (an in-JVM MiniDFSCluster on 127.0.0.1): data in, checkpoints, stats and model out, resume, predict. */
@SparkTest
class HdfsIntegrationTest {
  static MiniDFSCluster hdfs;
  static SparkSession spark;
  static String root;
  static Configuration conf;
  @TempDir
  static Path local;

  @BeforeAll
  static void start() throws Exception {
    conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, local.resolve("minidfs").toString());
    conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.setInt("dfs.replication", 1);
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
    root = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
    FileSystem fs = hdfs.getFileSystem();
    try (InputStream in = HdfsIntegrationTest.class.getClassLoader().getResourceAsStream("datasets/boston_housing.csv");
        OutputStream out = fs.create(new org.apache.hadoop.fs.Path("/data/boston.csv"))) {
      in.transferTo(out);
    }
  }

  @AfterAll
  static void stop() {
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  @Test
  void trainResumeAndPredictEntirelyOnHdfs() throws Exception {
    String data = root + "/data/boston.csv";
    String run = root + "/runs/boston";
    String ckpt = root + "/checkpoints/boston";
    String[] common = {"--set", "data.train=\"" + data + "\"", "--set", "checkpoint.dir=\"" + ckpt + "\"", "--set",
        "model.hidden=[8]", "--set", "training.engine=jobs"};
    CliRunner first = CliRunner.run(concat(new String[] {"train", "jobs/boston-mlp.conf", "--out", run, "--set",
        "training.epochs=3"}, common));
    assertEquals(0, first.code(), first.err());
    FileSystem fs = hdfs.getFileSystem();
    for (String f : List.of("/runs/boston/stats.json", "/runs/boston/metrics.json", "/runs/boston/model/model.json",
        "/runs/boston/model/W1.npy")) {
      assertTrue(fs.exists(new org.apache.hadoop.fs.Path(f)), f);
    }
    assertTrue(fs.listStatus(new org.apache.hadoop.fs.Path("/checkpoints/boston")).length > 0, "checkpoints on HDFS");

    // Resume from the HDFS checkpoint to train longer; compare with a local run of 5 epochs from scratch.
    CliRunner resumed = CliRunner.run(concat(new String[] {"train", "jobs/boston-mlp.conf", "--out", run, "--resume",
        "--set", "training.epochs=5"}, common));
    assertEquals(0, resumed.code(), resumed.err());
    Path localRun = local.resolve("local-run");
    CliRunner reference = CliRunner.run(concat(new String[] {"train", "jobs/boston-mlp.conf", "--out",
        localRun.toString(), "--set", "training.epochs=5", "--set", "data.train=\"" + data + "\""},
        new String[] {"--set", "model.hidden=[8]", "--set", "training.engine=jobs"}));
    assertEquals(0, reference.code(), reference.err());
    double[] fromHdfs = Npy.read(conf, new org.apache.hadoop.fs.Path(run + "/model/W1.npy"), 13, 8);
    double[] fromLocal = Npy.read(conf, new org.apache.hadoop.fs.Path(localRun.resolve("model/W1.npy").toUri()), 13, 8);
    assertArrayEquals(fromLocal, fromHdfs, "resumed on HDFS == uninterrupted");

    // Predict with the HDFS model from HDFS input to HDFS output.
    String predictions = root + "/out/predictions.csv";
    CliRunner predict = CliRunner.run("predict", "--model", run, "--input", data, "--output", predictions);
    assertEquals(0, predict.code(), predict.err());
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path("/out/predictions.csv"))) {
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      assertEquals(507, lines.size());
      assertTrue(lines.get(0).endsWith(",prediction"));
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
