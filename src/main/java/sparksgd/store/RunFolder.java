package sparksgd.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import sparksgd.error.ErrorKind;
import sparksgd.error.KnownError;
import sparksgd.data.FeatureStats;
import sparksgd.job.JobSpec;

/**
 * A run's output folder on any Hadoop filesystem: {@code job.conf}, {@code stats.json} (and, for wide data,
 * {@code stats-features.npy}: see {@link StatsFiles}),
 * {@code history.csv}, {@code metrics.json}, {@code model/}. Every file is replaced atomically. What goes
 * into history.csv and model/ is train's business ({@code train/HistoryFile}, {@code train/ModelFiles}).
 */
public final class RunFolder {
  public static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
  private final Path dir;
  private final Configuration conf;

  private RunFolder(Path dir, Configuration conf) {
    this.dir = dir;
    this.conf = conf;
  }

  public static String defaultFolder(String jobName) {
    return "runs/" + jobName + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
  }

  /** Refuses a non-empty folder unless {@code overwrite}; called before any work starts. */
  public static void checkUsable(String uri, Configuration conf, boolean overwrite) {
    try {
      Path p = new Path(uri);
      FileSystem fs = p.getFileSystem(conf);
      if (fs.exists(p)) {
        if (!fs.getFileStatus(p).isDirectory()) {
          throw new KnownError(ErrorKind.USAGE, "output " + uri + " exists and is not a folder");
        }
        boolean empty = true;
        for (FileStatus child : fs.listStatus(p)) {
          String name = child.getPath().getName();
          // A lone lock of a run killed before its first epoch ended (it wrote nothing else) is not a run.
          empty &= name.equals(RunLock.FILE_NAME) || (name.startsWith(".") && name.endsWith(".crc"));
        }
        if (!empty && !overwrite) {
          throw new KnownError(ErrorKind.USAGE,
              "output folder " + uri + " is not empty; pass --overwrite or choose another --out");
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      // Hadoop reports an unknown hdfs:// host as IllegalArgumentException(UnknownHostException).
      boolean unknownHost = e.getCause() instanceof java.net.UnknownHostException;
      throw new KnownError(unknownHost ? ErrorKind.USAGE : ErrorKind.OTHER, "cannot use output folder "
          + uri + ": " + (unknownHost ? "unknown host '" + e.getCause().getMessage() + "'" : e.getMessage()));
    }
  }

  public static RunFolder create(String uri, Configuration conf, boolean overwrite) {
    checkUsable(uri, conf, overwrite);
    try {
      Path p = new Path(uri);
      FileSystem fs = p.getFileSystem(conf);
      fs.mkdirs(p);
      return new RunFolder(fs.makeQualified(p), conf);
    } catch (IOException e) {
      throw new KnownError(ErrorKind.OTHER, "cannot create output folder " + uri + ": " + e.getMessage());
    }
  }

  public static String pretty(com.fasterxml.jackson.databind.JsonNode node) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String uri() {
    return dir.toString();
  }

  public Path path() {
    return dir;
  }

  public Configuration conf() {
    return conf;
  }

  public void writeJobAndStats(JobSpec job, FeatureStats stats) {
    writeText("job.conf", job.resolvedHocon());
    // Wide data: stats-features.npy first, so stats.json never names a file that is not there yet.
    writeText("stats.json", pretty(StatsFiles.write(conf, dir, stats)));
  }

  public void writeMetrics(Map<String, Map<String, Double>> splits, int epochs, double seconds,
      Map<String, Object> extra) {
    Map<String, Object> root = new LinkedHashMap<>(splits);
    root.put("epochs", epochs);
    root.put("seconds", seconds);
    root.putAll(extra);
    writeText("metrics.json", pretty(MAPPER.valueToTree(root)));
  }

  public void writeText(String name, String text) {
    writeBytes(name, text.getBytes(StandardCharsets.UTF_8));
  }

  public void writeBytes(String name, byte[] bytes) {
    HadoopFiles.writeBytesAtomically(conf, new Path(dir, name), bytes);
  }
}
