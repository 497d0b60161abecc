package sparksgd.store;

import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import sparksgd.error.ErrorKind;
import sparksgd.error.KnownError;

/**
 * How a training run takes its output folder so that the folder always holds exactly one run.
 *
 * <p>The rule (README, "Outputs"): a new run writes nothing until it has passed every check and
 * trained its first epoch (or, stopped earlier, is about to write its first checkpoint). At that
 * moment, under the folder's {@link RunLock}, the previous run of an {@code --overwrite}n folder is
 * removed whole (checkpoints first, so nothing can resume into it), together with the checkpoints in
 * an explicit {@code checkpoint.dir}; only then are the new run's files written. So a run that fails
 * before that (bad data, too many partitions, divergence in the first epoch, an unreachable cluster)
 * leaves an overwritten folder exactly as it was, and a folder it had to create is removed again.
 * The new run's files go straight to {@code --out}, never to a staging copy, so a killed run's
 * checkpoints are where {@code --resume} and {@code --auto-resume} look for them.
 */
public final class RunFolderClaim implements AutoCloseable {
  private final Configuration conf;
  private final RunFolder folder;
  private final RunLock lock;
  private final CheckpointStore externalCheckpoints;
  private final boolean createdHere;
  private final Consumer<String> warn;
  private boolean started;

  private RunFolderClaim(Configuration conf, RunFolder folder, RunLock lock, CheckpointStore externalCheckpoints,
      boolean createdHere, boolean resumed, Consumer<String> warn) {
    this.conf = conf;
    this.folder = folder;
    this.lock = lock;
    this.externalCheckpoints = externalCheckpoints;
    this.createdHere = createdHere;
    this.started = resumed;
    this.warn = warn;
  }

  /**
   * Refuses, before any work, a non-empty {@code outDir} (a lone lock file left by a killed run does
   * not count) or a {@code checkpointDir} outside it that holds checkpoints, unless {@code overwrite}.
   */
  public static void checkUsable(Configuration conf, String outDir, String checkpointDir, boolean overwrite) {
    RunFolder.checkUsable(outDir, conf, overwrite);
    CheckpointStore external = external(conf, outDir, checkpointDir);
    if (!overwrite && external != null && !external.list().isEmpty()) {
      throw new KnownError(ErrorKind.USAGE, "checkpoint.dir " + checkpointDir + " holds checkpoints of "
          + "an earlier run; pass --overwrite to replace them, --resume to continue that run, or choose another "
          + "checkpoint.dir");
    }
  }

  /**
   * Locks {@code outDir} (creating it if needed) and repairs what a crashed publish left in it. With
   * {@code resume} the folder is the run's own and counts as started.
   *
   * @throws RunLockedException when another live run holds the folder
   */
  public static RunFolderClaim take(Configuration conf, String outDir, String checkpointDir, boolean overwrite,
      boolean resume, Consumer<String> warn) {
    boolean existed = HadoopFiles.exists(conf, HadoopFiles.path(outDir));
    RunLock lock = RunLock.acquire(conf, outDir, warn);
    try {
      RunFolder folder = RunFolder.create(outDir, conf, overwrite || resume);
      // Only under the lock: half-published folders of a crashed run are repaired or removed.
      HadoopFiles.cleanupLeftovers(conf, folder.path());
      return new RunFolderClaim(conf, folder, lock, external(conf, outDir, checkpointDir), !existed, resume, warn);
    } catch (RuntimeException e) {
      lock.close();
      if (!existed) {
        HadoopFiles.delete(conf, HadoopFiles.path(outDir), true);
      }
      throw e;
    }
  }

  public RunFolder folder() {
    return folder;
  }

  public RunLock lock() {
    return lock;
  }

  public boolean started() {
    return started;
  }

  /**
   * Makes the folder the new run's: removes the previous run, then writes {@code firstFiles}. Called
   * once the first epoch is trained or before the first checkpoint; a no-op once started.
   */
  public void start(Runnable firstFiles) {
    if (started) {
      return;
    }
    lock.checkHeld();
    Path checkpoints = new Path(folder.path(), "checkpoints");
    if (HadoopFiles.exists(conf, checkpoints)) {
      HadoopFiles.delete(conf, checkpoints, true); // first: nothing may resume into a half-removed run
    }
    for (FileStatus s : HadoopFiles.list(conf, folder.path())) {
      if (!s.getPath().getName().equals(RunLock.FILE_NAME)) {
        HadoopFiles.delete(conf, s.getPath(), true);
      }
    }
    if (externalCheckpoints != null) {
      externalCheckpoints.cleanupLeftovers();
      for (String name : externalCheckpoints.deleteNewerThan(-1)) {
        warn.accept("removed checkpoint " + name + " of the previous run in " + externalCheckpoints.dir());
      }
    }
    started = true;
    if (firstFiles != null) {
      firstFiles.run();
    }
  }

  /** Releases the lock; a folder created for a run that never started is removed again. */
  @Override
  public void close() {
    lock.close();
    if (!started && createdHere) {
      try {
        HadoopFiles.delete(conf, folder.path(), true);
      } catch (RuntimeException e) {
        warn.accept("could not remove the unused output folder " + folder.uri() + ": " + e.getMessage());
      }
    }
  }

  /** The checkpoint store of an explicit checkpoint.dir outside the run folder, else null. */
  private static CheckpointStore external(Configuration conf, String outDir, String checkpointDir) {
    if (checkpointDir == null) {
      return null;
    }
    Path out = HadoopFiles.qualify(conf, HadoopFiles.path(outDir));
    Path ckpt = HadoopFiles.qualify(conf, HadoopFiles.path(checkpointDir));
    boolean inside = ckpt.toString().equals(out.toString()) || ckpt.toString().startsWith(out + "/");
    return inside ? null : new CheckpointStore(conf, ckpt);
  }
}
