package sparksgd.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptReport;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerReport;
import org.apache.hadoop.yarn.api.records.SignalContainerCommand;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * A MiniDFSCluster (one DataNode) and a MiniYARNCluster (one ResourceManager, N NodeManagers) in this
 * JVM on 127.0.0.1, sized small, plus a client configuration folder (HADOOP_CONF_DIR) for spark-submit:
 * its {@code core-site.xml} makes {@code hdfs:///} mean this HDFS, its {@code yarn-site.xml} names this
 * ResourceManager. Containers run as child processes of this JVM, so they see its environment
 * (JAVA_HOME in particular).
 */
final class MiniHadoop implements AutoCloseable {
  final MiniDFSCluster dfs;
  final MiniYARNCluster yarn;
  final YarnClient client;
  final FileSystem fs;
  final Path confDir;
  final String defaultFs;

  private MiniHadoop(MiniDFSCluster dfs, MiniYARNCluster yarn, YarnClient client, Path confDir, String defaultFs)
      throws IOException {
    this.dfs = dfs;
    this.yarn = yarn;
    this.client = client;
    this.fs = dfs.getFileSystem();
    this.confDir = confDir;
    this.defaultFs = defaultFs;
  }

  /**
   * Starts both clusters. Each NodeManager offers {@code nmMemoryMb} and 2 vcores; containers may be as
   * small as 128 MB (Spark asks for heap + 384 MB overhead). {@code containerEnv} ({@code K=V,K=V}) is set
   * in every container, as a node's {@code yarn.nodemanager.admin-env}.
   */
  static MiniHadoop start(Path work, int nodeManagers, int nmMemoryMb, String containerEnv) throws Exception {
    Configuration hdfsConf = new Configuration();
    hdfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("dfs").toString());
    for (String key : List.of("dfs.namenode.rpc-address", "dfs.namenode.http-address", "dfs.datanode.address",
        "dfs.datanode.http.address", "dfs.datanode.ipc.address")) {
      hdfsConf.set(key, "127.0.0.1:0");
    }
    hdfsConf.setInt("dfs.replication", 1);
    MiniDFSCluster dfs = new MiniDFSCluster.Builder(hdfsConf).numDataNodes(1).build();
    dfs.waitActive();
    String defaultFs = "hdfs://127.0.0.1:" + dfs.getNameNodePort();

    YarnConfiguration conf = new YarnConfiguration();
    conf.set("fs.defaultFS", defaultFs); // the staging folder and localized files live on HDFS
    conf.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
    conf.setInt(YarnConfiguration.NM_PMEM_MB, nmMemoryMb);
    conf.setInt(YarnConfiguration.NM_VCORES, 2);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, nmMemoryMb);
    conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false); // sizes are nominal on a shared machine
    conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    conf.setInt(YarnConfiguration.RM_AM_MAX_ATTEMPTS, 2); // the cluster's cap on spark.yarn.maxAppAttempts
    conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
    // hadoop-client-minicluster ships no capacity-scheduler.xml: one queue, everything in it.
    conf.set("yarn.scheduler.capacity.root.queues", "default");
    conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
    conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
    conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
    conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
    conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
    conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
    conf.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 1.0f);
    conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
    // Containers inherit SPARK_LOCAL_IP from this JVM (set by the pom, as a node's spark-env.sh would),
    // so Spark in them binds to 127.0.0.1 like every other process of the test.
    conf.set(YarnConfiguration.NM_ENV_WHITELIST, conf.get(YarnConfiguration.NM_ENV_WHITELIST,
        YarnConfiguration.DEFAULT_NM_ENV_WHITELIST) + ",SPARK_LOCAL_IP");
    if (!containerEnv.isEmpty()) {
      conf.set(YarnConfiguration.NM_ADMIN_USER_ENV, conf.get(YarnConfiguration.NM_ADMIN_USER_ENV,
          YarnConfiguration.DEFAULT_NM_ADMIN_USER_ENV) + "," + containerEnv);
    }
    MiniYARNCluster yarn = new MiniYARNCluster("YarnIT", nodeManagers, 1, 1);
    yarn.init(conf);
    yarn.start();
    // start() may return before the ResourceManager has written its real port into the configuration.
    Configuration live = yarn.getConfig();
    while (live.get(YarnConfiguration.RM_ADDRESS, ":0").endsWith(":0")) {
      TimeUnit.MILLISECONDS.sleep(100); // bounded by the caller's @Timeout
    }
    Path confDir = work.resolve("hadoop-conf");
    Files.createDirectories(confDir);
    Configuration core = new Configuration(false);
    core.set("fs.defaultFS", defaultFs);
    write(core, confDir.resolve("core-site.xml"));
    write(live, confDir.resolve("yarn-site.xml"));
    YarnClient client = YarnClient.createYarnClient();
    client.init(live);
    client.start();
    return new MiniHadoop(dfs, yarn, client, confDir, defaultFs);
  }

  private static void write(Configuration conf, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      conf.writeXml(out);
    }
  }

  /** The one application that is running or about to (tests submit one at a time). */
  ApplicationReport theLiveApplication() throws Exception {
    List<ApplicationReport> live = client.getApplications(EnumSet.of(YarnApplicationState.NEW,
        YarnApplicationState.NEW_SAVING, YarnApplicationState.SUBMITTED, YarnApplicationState.ACCEPTED,
        YarnApplicationState.RUNNING));
    if (live.size() != 1) {
      throw new AssertionError("expected one live YARN application, found " + live.size() + ": " + live);
    }
    return live.get(0);
  }

  /** The running containers of the application's current attempt, executors first, its AM last. */
  List<ContainerId> containers(ApplicationReport app, boolean am) throws Exception {
    ApplicationAttemptReport attempt = client.getApplicationAttemptReport(app.getCurrentApplicationAttemptId());
    List<ContainerId> out = new ArrayList<>();
    for (ContainerReport c : client.getContainers(attempt.getApplicationAttemptId())) {
      if (c.getContainerId().equals(attempt.getAMContainerId()) == am) {
        out.add(c.getContainerId());
      }
    }
    return out;
  }

  /** SIGKILL to a container, through YARN (ResourceManager to NodeManager), as `yarn container -signal` does. */
  void kill(ContainerId container) throws Exception {
    client.signalToContainer(container, SignalContainerCommand.FORCEFUL_SHUTDOWN);
  }

  /** A container's log file (stdout, stderr) from the NodeManagers' log folders, once it exists. */
  Path containerLog(ContainerId container, String name) throws IOException {
    Path base = yarn.getTestWorkDir().toPath();
    // The node managers delete finished containers' files while this walks: a file that vanishes on the
    // way is skipped (Files.walk would throw), the log looked for belongs to a container whose logs stay.
    Path[] found = new Path[1];
    Files.walkFileTree(base, new java.nio.file.SimpleFileVisitor<>() {
      @Override
      public java.nio.file.FileVisitResult visitFile(Path p, java.nio.file.attribute.BasicFileAttributes a) {
        if (p.getFileName().toString().equals(name)
            && p.getParent().getFileName().toString().equals(container.toString())) {
          found[0] = p;
          return java.nio.file.FileVisitResult.TERMINATE;
        }
        return java.nio.file.FileVisitResult.CONTINUE;
      }

      @Override
      public java.nio.file.FileVisitResult visitFileFailed(Path p, IOException e) {
        return java.nio.file.FileVisitResult.CONTINUE;
      }
    });
    if (found[0] == null) {
      throw new AssertionError("no " + name + " log of " + container + " under " + base);
    }
    return found[0];
  }

  @Override
  public void close() {
    try {
      client.stop();
    } finally {
      try {
        yarn.stop();
      } finally {
        dfs.shutdown();
      }
    }
  }
}
