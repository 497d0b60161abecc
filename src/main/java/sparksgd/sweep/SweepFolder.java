package sparksgd.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import sparksgd.error.ErrorKind;
import sparksgd.error.KnownError;
import sparksgd.store.RunFolder;
import sparksgd.store.HadoopFiles;
import sparksgd.store.Json;
import sparksgd.store.StoreException;

/**
 * A sweep's output folder: {@code sweep.json} (which sweep made it), {@code trials/trial-NNN/} with each
 * trial's {@code status.json}, {@code job.conf} and histories, the leaderboards, {@code best/} and the
 * report. A folder made by the same sweep (same sweep file and base job) is continued, not replaced.
 */
public final class SweepFolder {
  static final String SWEEP_JSON = "sweep.json";
  static final String STATUS_JSON = "status.json";
  private final RunFolder root;
  private final Configuration conf;

  private SweepFolder(RunFolder root, Configuration conf) {
    this.root = root;
    this.conf = conf;
  }

  /**
   * Opens {@code uri} for a sweep whose identity is {@code identity} (see {@link #identity}). An empty
   * or absent folder is started; one holding the same sweep is continued; anything else is refused
   * unless {@code overwrite}, which empties it first.
   */
  public static SweepFolder open(String uri, Configuration conf, ObjectNode identity, boolean overwrite) {
    Path dir = new Path(uri);
    Path marker = new Path(dir, SWEEP_JSON);
    if (overwrite && HadoopFiles.exists(conf, dir)) {
      for (org.apache.hadoop.fs.FileStatus child : HadoopFiles.list(conf, dir)) {
        if (!child.getPath().getName().equals(sparksgd.store.RunLock.FILE_NAME)) { // this sweep's own lock
          HadoopFiles.delete(conf, child.getPath(), true);
        }
      }
    } else if (HadoopFiles.exists(conf, marker)) {
      JsonNode existing;
      try {
        existing = Json.readTree(conf, marker);
      } catch (StoreException e) {
        throw new KnownError(ErrorKind.USAGE, "cannot continue the sweep in " + uri + ": " + e.getMessage()
            + "; pass --overwrite to start over");
      }
      if (!identity.get("hash").equals(existing.get("hash"))) {
        throw new KnownError(ErrorKind.USAGE, "output folder " + uri + " holds a different sweep (another "
            + "sweep file or base job); choose another --out, or pass --overwrite to start over");
      }
      return new SweepFolder(RunFolder.create(uri, conf, true), conf);
    }
    RunFolder folder = RunFolder.create(uri, conf, overwrite);
    Json.write(conf, new Path(folder.path(), SWEEP_JSON), identity);
    return new SweepFolder(folder, conf);
  }

  /** What makes two sweeps the same: the sweep file's content and every trial's resolved job. */
  public static ObjectNode identity(SweepSpec spec, java.util.List<Trial> trials) {
    StringBuilder all = new StringBuilder(spec.hash());
    for (Trial t : trials) {
      all.append('\n').append(t.job().configHash());
    }
    ObjectNode n = Json.object();
    n.put("hash", sparksgd.job.JobSpec.sha256(all.toString()));
    n.put("sweep_sha256", spec.hash());
    n.put("base", spec.baseFile());
    n.put("trials", trials.size());
    n.put("folds", spec.folds());
    return n;
  }

  public RunFolder root() {
    return root;
  }

  /** The trial's own folder, created on first use. */
  public RunFolder trial(Trial t) {
    return RunFolder.create(new Path(root.path(), "trials/" + t.name()).toString(), conf, true);
  }

  /** The trial's recorded status, if it has one that can be read. */
  public Optional<TrialResult> status(Trial t) {
    Path p = new Path(root.path(), "trials/" + t.name() + "/" + STATUS_JSON);
    if (!HadoopFiles.exists(conf, p)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.read(conf, p, TrialResult.class));
    } catch (StoreException e) {
      return Optional.empty(); // damaged: the trial runs again
    }
  }

  public void writeStatus(RunFolder trialFolder, TrialResult r) {
    Json.write(conf, new Path(trialFolder.path(), STATUS_JSON), r);
  }
}
