package sparksgd.cli;

import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * A failed Spark task (a bad row found on an executor, say) makes Spark's driver log its stack trace
 * several times (the executor's "Exception in task", the scheduler's "Lost task", the writer's
 * "Aborting task"), beside the one {@code error:} line the CLI prints for it. Without {@code --verbose}
 * these loggers are silenced; with it they log as configured in {@code conf/log4j2.properties}.
 */
final class SparkLogNoise {
  /** Loggers that repeat a task's or a failed start's exception with its stack trace. */
  static final List<String> TRACE_LOGGERS = List.of(
      "org.apache.spark.executor.Executor",
      "org.apache.spark.scheduler.TaskSetManager",
      "org.apache.spark.util.Utils",
      "org.apache.spark.internal.io.SparkHadoopWriter",
      "org.apache.spark.mapred.SparkHadoopMapRedUtil",
      "org.apache.spark.SparkContext",
      "org.apache.spark.deploy.client.StandaloneAppClient$ClientEndpoint",
      "org.apache.spark.scheduler.cluster.StandaloneSchedulerBackend",
      "org.apache.spark.rpc.netty.Inbox",
      "org.apache.spark.sql.execution.datasources.FileFormatWriter");

  private SparkLogNoise() {}

  static void apply(boolean verbose) {
    try {
      for (String logger : TRACE_LOGGERS) {
        Configurator.setLevel(logger, verbose ? Level.WARN : Level.OFF);
      }
    } catch (LinkageError | RuntimeException e) {
      // Another logging backend (a cluster's own): leave its configuration alone.
    }
  }
}
