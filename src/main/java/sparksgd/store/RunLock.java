package sparksgd.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * An exclusive lock on an output folder, so two live runs never write into the same one.
 *
 * <p>The lock is the file {@code <dir>/.lock}, created atomically (HDFS: {@code create(path,
 * overwrite=false)}; local: {@code O_EXCL}), holding the owner as JSON (host, pid, start time, a
 * random token). While held, a daemon thread touches its modification time every heartbeat
 * interval (after checking the token is still ours). A lock whose modification time is older than
 * the staleness limit (default 3 heartbeats) was left by a crashed run and is taken over with a
 * warning; so is one whose owner is a process on this host that no longer exists.
 *
 * <p>Takeover renames the stale file aside and checks it is the very file judged stale (same token
 * and modification time) before deleting it and creating a fresh lock exclusively; had another run
 * taken over in between, the file is put back and acquisition fails. Staleness compares the file's
 * modification time with this machine's clock, so clocks must agree to well within the limit.
 *
 * <p>If the heartbeat finds the lock gone or owned by someone else (this process stalled longer
 * than the limit and was taken over), {@link #isHeld()} turns false and a warning is issued; call
 * {@link #checkHeld()} before writing results.
 */
public final class RunLock implements AutoCloseable {
  public static final String FILE_NAME = ".lock";
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
  private static final long MAX_LOCK_BYTES = 64 * 1024;

  /** Who holds a lock. */
  public record Owner(String host, long pid, String startedAt, String token) {
    String describe() {
      return "host " + host + ", pid " + pid + ", started " + startedAt;
    }
  }

  private final Configuration conf;
  private final Path lockFile;
  private final Owner owner;
  private final Consumer<String> warn;
  private final ScheduledExecutorService heartbeat;
  private volatile boolean lost;
  private volatile boolean closed;
  private volatile boolean heartbeatFailing;

  private RunLock(Configuration conf, Path lockFile, Owner owner, Duration interval,
      Consumer<String> warn) {
    this.conf = conf;
    this.lockFile = lockFile;
    this.owner = owner;
    this.warn = warn;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "run-lock-heartbeat " + lockFile.getParent());
      t.setDaemon(true); // never keeps the JVM alive
      return t;
    });
    long ms = Math.max(1, interval.toMillis());
    heartbeat.scheduleWithFixedDelay(this::beat, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Acquires with the default heartbeat (10 s) and staleness limit (3 heartbeats). */
  public static RunLock acquire(Configuration conf, String dirUri, Consumer<String> warn) {
    return acquire(conf, HadoopFiles.path(dirUri), DEFAULT_HEARTBEAT,
        DEFAULT_HEARTBEAT.multipliedBy(3), warn);
  }

  /**
   * Creates {@code dir} if needed and locks it.
   *
   * @throws RunLockedException naming the holder when another live run holds the lock
   */
  public static RunLock acquire(Configuration conf, Path dir, Duration heartbeatInterval,
      Duration staleAfter, Consumer<String> warn) {
    Objects.requireNonNull(warn, "warn");
    if (staleAfter.compareTo(heartbeatInterval) <= 0) {
      throw new IllegalArgumentException("staleAfter (" + staleAfter
          + ") must exceed the heartbeat interval (" + heartbeatInterval + ")");
    }
    Path qdir = HadoopFiles.qualify(conf, dir);
    Path lock = new Path(qdir, FILE_NAME);
    HadoopFiles.mkdirs(conf, qdir);
    Owner me = new Owner(hostName(), ProcessHandle.current().pid(), Instant.now().toString(),
        UUID.randomUUID().toString());
    byte[] content = Json.toBytes(me);
    for (int attempt = 0; attempt < 5; attempt++) {
      if (HadoopFiles.createExclusive(conf, lock, content)) {
        return new RunLock(conf, lock, me, heartbeatInterval, warn);
      }
      FileStatus seen;
      try {
        seen = HadoopFiles.fs(conf, lock).getFileStatus(lock);
      } catch (FileNotFoundException e) {
        continue; // released meanwhile: try again
      } catch (IOException e) {
        throw HadoopFiles.fail("cannot read the status of", lock, e);
      }
      Owner holder = readOwner(conf, lock);
      long ageMs = System.currentTimeMillis() - seen.getModificationTime();
      String who = holder == null ? "an unknown owner (unreadable lock file)" : holder.describe();
      boolean deadHere = holder != null && holder.host().equals(me.host())
          && holder.pid() != me.pid() && ProcessHandle.of(holder.pid()).isEmpty();
      if (ageMs <= staleAfter.toMillis() && !deadHere) {
        throw new RunLockedException(qdir + " is in use by another run (" + who
            + ", last heartbeat " + seconds(ageMs) + " ago; lock file " + lock
            + "). Use another output folder, or wait: a lock counts as stale after "
            + seconds(staleAfter.toMillis()) + " without heartbeat.");
      }
      if (!takeOver(conf, lock, seen, holder)) {
        continue;
      }
      warn.accept("taking over the lock on " + qdir + " left by " + who + ": "
          + (deadHere ? "that process no longer runs on this host"
              : "last heartbeat " + seconds(ageMs) + " ago, stale after "
                  + seconds(staleAfter.toMillis())));
    }
    throw new RunLockedException("cannot lock " + qdir + ": the lock file " + lock
        + " keeps changing hands; is another run starting in the same folder?");
  }

  /** The current holder of a folder's lock, if a readable lock file exists. */
  public static Optional<Owner> holder(Configuration conf, Path dir) {
    Path lock = new Path(HadoopFiles.qualify(conf, dir), FILE_NAME);
    return HadoopFiles.exists(conf, lock) ? Optional.ofNullable(readOwner(conf, lock))
        : Optional.empty();
  }

  public Owner owner() {
    return owner;
  }

  public Path lockFile() {
    return lockFile;
  }

  /** False once released, or once the heartbeat found the lock taken over or deleted. */
  public boolean isHeld() {
    return !closed && !lost;
  }

  /** Throws when the lock is no longer held; call before writing results. */
  public void checkHeld() {
    if (!isHeld()) {
      throw new StoreException("the lock on " + lockFile.getParent() + " is no longer held by "
          + "this run" + (lost ? " (it was taken over or deleted)" : " (released)"));
    }
  }

  /** Stops the heartbeat and deletes the lock file if it is still ours. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    heartbeat.shutdownNow();
    try {
      heartbeat.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (lost) {
      return;
    }
    try {
      Owner current = readOwner(conf, lockFile);
      if (current != null && current.token().equals(owner.token())) {
        HadoopFiles.delete(conf, lockFile, false);
      } else {
        warn.accept("not deleting " + lockFile + ": it no longer belongs to this run");
      }
    } catch (StoreException e) {
      warn.accept("could not release the lock " + lockFile + ": " + e.getMessage());
    }
  }

  private void beat() {
    if (closed || lost) {
      return;
    }
    try {
      FileSystem fs = HadoopFiles.fs(conf, lockFile);
      Owner current = fs.exists(lockFile) ? readOwner(conf, lockFile) : null;
      if (current == null || !current.token().equals(owner.token())) {
        lost = true;
        warn.accept("lost the lock on " + lockFile.getParent() + ": "
            + (current == null ? "the lock file was deleted or damaged"
                : "it was taken over by " + current.describe())
            + "; another run may be writing into this folder");
        heartbeat.shutdown();
        return;
      }
      fs.setTimes(lockFile, System.currentTimeMillis(), -1);
      if (heartbeatFailing) {
        heartbeatFailing = false;
        warn.accept("lock heartbeat on " + lockFile + " works again");
      }
    } catch (IOException | RuntimeException e) {
      if (!heartbeatFailing) { // one warning per outage, not one per beat
        heartbeatFailing = true;
        warn.accept("lock heartbeat on " + lockFile + " failed (will retry): " + e.getMessage());
      }
    }
  }

  /**
   * Moves a stale lock aside and deletes it if it is the very file judged stale; returns false
   * (after putting it back) when it changed in between.
   */
  private static boolean takeOver(Configuration conf, Path lock, FileStatus seen, Owner holder) {
    Path aside = new Path(lock.getParent(), FILE_NAME + ".stale-" + UUID.randomUUID());
    try {
      HadoopFiles.fileContext(conf, lock).rename(lock, aside, Options.Rename.NONE);
    } catch (FileNotFoundException e) {
      return false; // someone else removed it: retry creating
    } catch (IOException e) {
      throw HadoopFiles.fail("cannot take over the stale lock", lock, e);
    }
    FileStatus moved = HadoopFiles.status(conf, aside);
    Owner movedOwner = readOwner(conf, aside);
    boolean same = moved.getModificationTime() == seen.getModificationTime()
        && moved.getLen() == seen.getLen()
        && Objects.equals(holder == null ? null : holder.token(),
            movedOwner == null ? null : movedOwner.token());
    if (!same) {
      // A live holder refreshed it, or another run took over first: give it back.
      try {
        HadoopFiles.fileContext(conf, lock).rename(aside, lock, Options.Rename.NONE);
      } catch (IOException e) {
        throw HadoopFiles.fail("moved a live lock aside by mistake and cannot restore it to "
            + lock + "; restore it by hand from", aside, e);
      }
      return false;
    }
    HadoopFiles.delete(conf, aside, false);
    return true;
  }

  private static Owner readOwner(Configuration conf, Path lock) {
    try {
      byte[] bytes = HadoopFiles.readAllBytes(conf, lock, MAX_LOCK_BYTES);
      return Json.parse(bytes, lock.toString(), Owner.class);
    } catch (StoreException e) {
      return null; // missing, being written, or damaged: judged by its age alone
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String env = System.getenv("HOSTNAME");
      return env == null || env.isBlank() ? "unknown-host" : env;
    }
  }

  private static String seconds(long ms) {
    return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
