package sparksgd.store;

import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * File operations that behave the same on every Hadoop filesystem ({@code file:}, plain local paths,
 * {@code hdfs://}): atomic file replace, atomic directory publish, listing without checksum side
 * files, and a SHA-256 helper. Every method qualifies its path first, so relative paths resolve
 * against the filesystem's working directory. Failures surface as {@link StoreException} naming the
 * path. FileSystem instances come from Hadoop's cache and are never closed here.
 *
 * <h2>Atomic file write</h2>
 * {@link #writeAtomically} writes {@code .<name>.tmp-<uuid>} in the destination's directory, syncs
 * it, then renames it over the destination. On HDFS (and any non-local filesystem) the rename is
 * {@code FileContext.rename(tmp, dst, OVERWRITE)}, one atomic namenode operation. On the local
 * filesystem that call is <em>not</em> atomic (Hadoop deletes the destination, then renames), so
 * there we use {@code java.nio.file.Files.move(ATOMIC_MOVE)}, i.e. POSIX rename(2), which replaces
 * atomically. A reader sees the old file or the new one, never a mix, never a missing file.
 * Local writes go through the raw local filesystem, so no {@code .crc} side files are created.
 *
 * <h2>Atomic directory publish and what a crash leaves behind</h2>
 * {@link #publishDirectory} fills {@code <parent>/.<name>.tmp-<uuid>}, then:
 * <ol>
 *   <li>destination absent: rename tmp to destination (fails if someone created it meanwhile);</li>
 *   <li>destination present: rename it aside to {@code .<name>.old-<uuid>}, rename tmp to the
 *       destination, delete the aside copy. If the second rename fails (an exception, not a crash),
 *       the aside copy is renamed back.</li>
 * </ol>
 * A crash (process killed) at each moment leaves:
 * <ul>
 *   <li>while filling: destination untouched; a hidden {@code .<name>.tmp-<uuid>} (incomplete);</li>
 *   <li>after moving the old version aside, before the final rename: <b>no destination</b>; the
 *       complete previous version in {@code .<name>.old-<uuid>} and the new one in
 *       {@code .<name>.tmp-<uuid>};</li>
 *   <li>after the final rename, before/while deleting the aside copy: the new destination plus a
 *       (possibly partly deleted) {@code .<name>.old-<uuid>}.</li>
 * </ul>
 * {@link #cleanupLeftovers} repairs all three: it renames an {@code .old-} copy back when its
 * destination is missing (the previous complete version wins; the interrupted new one is dropped),
 * and deletes every other {@code .tmp-}/{@code .old-} leftover. Leftover names start with a dot, so
 * Hadoop input formats and {@link #list} (callers filtering hidden names) skip them meanwhile.
 */
public final class HadoopFiles {
  private static final System.Logger LOG = System.getLogger(HadoopFiles.class.getName());
  private static final int BUFFER = 1 << 16;
  private static final Pattern LEFTOVER =
      Pattern.compile("^\\.(.+)\\.(tmp|old)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

  private HadoopFiles() {}

  /** Writes a file's content; the stream is buffered, and closing it is harmless. */
  @FunctionalInterface
  public interface StreamWriter {
    void write(OutputStream out) throws IOException;
  }

  /** Fills a fresh temporary directory that will then be published under its final name. */
  @FunctionalInterface
  public interface DirectoryWriter {
    void write(Path tmpDir) throws IOException;
  }

  public static Path path(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("empty path");
    }
    return new Path(uri);
  }

  public static FileSystem fs(Configuration conf, Path p) {
    try {
      return p.getFileSystem(conf);
    } catch (IOException e) {
      throw fail("cannot open the filesystem of", p, e);
    } catch (IllegalArgumentException e) {
      // Hadoop reports an unknown hdfs:// host as IllegalArgumentException(UnknownHostException).
      String why = e.getCause() instanceof java.net.UnknownHostException
          ? "unknown host '" + e.getCause().getMessage() + "'" : e.getMessage();
      throw new StoreException("cannot open the filesystem of " + p + ": " + why, e);
    }
  }

  /** Absolute, with scheme and authority (so FileContext and log messages see the real place). */
  public static Path qualify(Configuration conf, Path p) {
    return fs(conf, p).makeQualified(p);
  }

  /** One filesystem call on a qualified path. */
  private interface FsCall<T> {
    T apply(FileSystem fs, Path q) throws IOException;
  }

  /** Runs {@code call} on {@code p} qualified; an I/O failure is reported as "{@code failure} <path>". */
  private static <T> T call(Configuration conf, Path p, String failure, FsCall<T> call) {
    Path q = qualify(conf, p);
    try {
      return call.apply(fs(conf, q), q);
    } catch (IOException e) {
      throw fail(failure, q, e);
    }
  }

  /** As {@link #call}, a missing file reported as "<path>: file not found". */
  private static <T> T callExisting(Configuration conf, Path p, String failure, FsCall<T> call) {
    return call(conf, p, failure, (fs, q) -> {
      try {
        return call.apply(fs, q);
      } catch (FileNotFoundException e) {
        throw new StoreException(q + ": file not found", e);
      }
    });
  }

  public static boolean exists(Configuration conf, Path p) {
    return call(conf, p, "cannot check", FileSystem::exists);
  }

  public static boolean isDirectory(Configuration conf, Path p) {
    return call(conf, p, "cannot check", (fs, q) -> {
      try {
        return fs.getFileStatus(q).isDirectory();
      } catch (FileNotFoundException e) {
        return false;
      }
    });
  }

  public static void mkdirs(Configuration conf, Path dir) {
    call(conf, dir, "cannot create directory", (fs, q) -> {
      if (!fs.mkdirs(q)) {
        throw new StoreException("cannot create directory " + q);
      }
      return null;
    });
  }

  public static FileStatus status(Configuration conf, Path p) {
    return callExisting(conf, p, "cannot read the status of", FileSystem::getFileStatus);
  }

  public static long length(Configuration conf, Path p) {
    return status(conf, p).getLen();
  }

  /**
   * The entries of a directory sorted by name, without the local filesystem's {@code .<name>.crc}
   * side files; an empty list when the directory does not exist.
   */
  public static List<FileStatus> list(Configuration conf, Path dir) {
    Path q = qualify(conf, dir);
    FileSystem fs = fs(conf, q);
    FileStatus[] entries;
    try {
      FileStatus self = fs.getFileStatus(q);
      if (!self.isDirectory()) {
        throw new StoreException(q + " is a file, expected a directory");
      }
      entries = fs.listStatus(q);
    } catch (FileNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      throw fail("cannot list", q, e);
    }
    List<FileStatus> out = new ArrayList<>();
    for (FileStatus s : entries) {
      if (!isChecksumSideFile(s.getPath().getName())) {
        out.add(s);
      }
    }
    out.sort(Comparator.comparing(s -> s.getPath().getName()));
    return out;
  }

  public static List<String> listNames(Configuration conf, Path dir) {
    List<String> names = new ArrayList<>();
    for (FileStatus s : list(conf, dir)) {
      names.add(s.getPath().getName());
    }
    return names;
  }

  /**
   * True when the directory does not exist, or holds nothing but checksum side files and a run lock
   * ({@link RunLock#FILE_NAME}), so a run may take the lock first and check emptiness after.
   * False when the path is a file.
   */
  public static boolean isEmptyOrAbsent(Configuration conf, Path dir) {
    Path q = qualify(conf, dir);
    if (!exists(conf, q)) {
      return true;
    }
    if (!isDirectory(conf, q)) {
      return false;
    }
    for (String name : listNames(conf, q)) {
      if (!name.equals(RunLock.FILE_NAME)) {
        return false;
      }
    }
    return true;
  }

  /** Deletes a file or directory; returns false when there was nothing to delete. */
  public static boolean delete(Configuration conf, Path p, boolean recursive) {
    return call(conf, p, "cannot delete", (fs, q) -> {
      if (!fs.exists(q)) {
        return false;
      }
      deleteLocalChecksum(fs, q);
      if (!fs.delete(q, recursive) && fs.exists(q)) {
        throw new StoreException("cannot delete " + q);
      }
      return true;
    });
  }

  public static FSDataInputStream open(Configuration conf, Path p) {
    return callExisting(conf, p, "cannot open", (fs, q) -> fs.open(q, BUFFER));
  }

  /**
   * Creates (or overwrites) a file for writing, non-atomically: for files inside a temporary
   * directory that {@link #publishDirectory} will publish. On the local filesystem it bypasses the
   * checksum layer (no {@code .crc} side file) and removes a stale side file.
   */
  public static FSDataOutputStream create(Configuration conf, Path p) {
    return call(conf, p, "cannot create", (fs, q) -> createUnchecked(fs, q, true));
  }

  /**
   * Creates a file that must not exist yet, atomically: false when it already exists. Uses
   * {@code FileSystem.create(path, overwrite=false)} (atomic on HDFS) or, on the local filesystem
   * where Hadoop checks and creates in two steps, {@code O_CREAT|O_EXCL}.
   */
  public static boolean createExclusive(Configuration conf, Path p, byte[] content) {
    Path q = qualify(conf, p);
    FileSystem fs = fs(conf, q);
    java.nio.file.Path local = localFile(fs, q);
    try {
      if (local != null) {
        Files.createDirectories(local.getParent());
        try {
          Files.write(local, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (java.nio.file.FileAlreadyExistsException e) {
          return false;
        }
        return true;
      }
      try (FSDataOutputStream out = fs.create(q, false)) {
        out.write(content);
        sync(out);
      }
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      // HDFS may report a racing creator differently (e.g. AlreadyBeingCreatedException).
      try {
        if (fs.exists(q)) {
          return false;
        }
      } catch (IOException ignored) {
        // fall through to the original error
      }
      throw fail("cannot create", q, e);
    }
  }

  /** Writes a file so that readers see either the previous content or the complete new one. */
  public static void writeAtomically(Configuration conf, Path dst, StreamWriter writer) {
    Path q = qualify(conf, dst);
    FileSystem fs = fs(conf, q);
    Path tmp = new Path(q.getParent(), "." + q.getName() + ".tmp-" + UUID.randomUUID());
    boolean done = false;
    try {
      try (FSDataOutputStream raw = createUnchecked(fs, tmp, false)) {
        BufferedOutputStream buffered = new BufferedOutputStream(raw, BUFFER);
        writer.write(new NonClosing(buffered));
        buffered.flush();
        sync(raw);
      }
      replace(conf, fs, tmp, q);
      done = true;
    } catch (IOException e) {
      throw fail("cannot write", q, e);
    } finally {
      if (!done) {
        deleteQuietly(fs, tmp);
      }
    }
  }

  public static void writeBytesAtomically(Configuration conf, Path dst, byte[] bytes) {
    writeAtomically(conf, dst, out -> out.write(bytes));
  }

  public static void writeStringAtomically(Configuration conf, Path dst, String text) {
    writeBytesAtomically(conf, dst, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * Publishes a directory atomically: the writer fills a hidden temporary directory next to
   * {@code dst}, which is then renamed into place (see the class comment for crash semantics).
   */
  public static void publishDirectory(Configuration conf, Path dst, DirectoryWriter writer) {
    Path q = qualify(conf, dst);
    FileSystem fs = fs(conf, q);
    Path parent = q.getParent();
    String id = UUID.randomUUID().toString();
    Path tmp = new Path(parent, "." + q.getName() + ".tmp-" + id);
    boolean published = false;
    try {
      if (!fs.mkdirs(tmp)) {
        throw new IOException("cannot create temporary directory " + tmp);
      }
      writer.write(tmp);
      FileContext fc = fileContext(conf, q);
      if (!fs.exists(q)) {
        fc.rename(tmp, q, Options.Rename.NONE);
        published = true;
        return;
      }
      // HDFS cannot rename over a non-empty directory: move the old one aside first.
      Path old = new Path(parent, "." + q.getName() + ".old-" + id);
      fc.rename(q, old, Options.Rename.NONE);
      try {
        fc.rename(tmp, q, Options.Rename.NONE);
      } catch (IOException e) {
        try {
          fc.rename(old, q, Options.Rename.NONE);
        } catch (IOException e2) {
          e.addSuppressed(e2);
        }
        throw e;
      }
      published = true;
      try {
        if (!fs.delete(old, true) && fs.exists(old)) {
          LOG.log(System.Logger.Level.WARNING, "could not delete the replaced directory " + old);
        }
      } catch (IOException e) {
        // The new version is in place; the old copy is garbage that cleanupLeftovers removes.
        LOG.log(System.Logger.Level.WARNING, "could not delete the replaced directory " + old, e);
      }
    } catch (IOException e) {
      throw fail("cannot publish", q, e);
    } finally {
      if (!published) {
        deleteQuietly(fs, tmp);
      }
    }
  }

  /**
   * Repairs what an interrupted {@link #writeAtomically} or {@link #publishDirectory} left in
   * {@code parent}; returns one line per action. Call it only while holding the folder's
   * {@link RunLock}: it deletes temporary entries, which would break a concurrent writer.
   */
  public static List<String> cleanupLeftovers(Configuration conf, Path parent) {
    Path q = qualify(conf, parent);
    FileSystem fs = fs(conf, q);
    List<String> actions = new ArrayList<>();
    Map<String, List<FileStatus>> oldByTarget = new LinkedHashMap<>();
    List<FileStatus> garbage = new ArrayList<>();
    for (FileStatus s : list(conf, q)) {
      Matcher m = LEFTOVER.matcher(s.getPath().getName());
      if (!m.matches()) {
        continue;
      }
      if (m.group(2).equals("old")) {
        oldByTarget.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(s);
      } else {
        garbage.add(s);
      }
    }
    try {
      for (Map.Entry<String, List<FileStatus>> e : oldByTarget.entrySet()) {
        Path target = new Path(q, e.getKey());
        List<FileStatus> olds = e.getValue();
        olds.sort(Comparator.comparingLong(FileStatus::getModificationTime).reversed());
        if (!fs.exists(target)) {
          Path newest = olds.remove(0).getPath();
          fileContext(conf, q).rename(newest, target, Options.Rename.NONE);
          actions.add("restored " + target + " from " + newest.getName()
              + " (a replacement was interrupted)");
        }
        garbage.addAll(olds);
      }
      for (FileStatus s : garbage) {
        deleteLocalChecksum(fs, s.getPath());
        fs.delete(s.getPath(), true);
        actions.add("deleted leftover " + s.getPath());
      }
    } catch (IOException e) {
      throw fail("cannot clean up", q, e);
    }
    return actions;
  }

  /** Lower-case hex SHA-256 of a file's bytes. */
  public static String sha256(Configuration conf, Path p) {
    Path q = qualify(conf, p);
    MessageDigest md = newSha256();
    try (InputStream in = new DigestInputStream(open(conf, q), md)) {
      byte[] buf = new byte[BUFFER];
      while (in.read(buf) >= 0) {
        // digest is updated by the stream
      }
    } catch (IOException e) {
      throw fail("cannot read", q, e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** A whole (small) file; refused before reading when it is longer than {@code maxBytes}. */
  public static byte[] readAllBytes(Configuration conf, Path p, long maxBytes) {
    Path q = qualify(conf, p);
    long len = length(conf, q);
    if (len > maxBytes) {
      throw new StoreException(q + " is " + len + " bytes, more than the " + maxBytes + " allowed");
    }
    byte[] bytes = new byte[(int) len];
    try (FSDataInputStream in = open(conf, q)) {
      in.readFully(0, bytes);
      return bytes;
    } catch (java.io.EOFException e) {
      throw new StoreException(q + " is shorter than its listed length " + len, e);
    } catch (IOException e) {
      throw fail("cannot read", q, e);
    }
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  static boolean isChecksumSideFile(String name) {
    return name.startsWith(".") && name.endsWith(".crc");
  }

  static FileContext fileContext(Configuration conf, Path qualified) throws IOException {
    return FileContext.getFileContext(qualified.toUri(), conf);
  }

  /** Renames {@code src} over {@code dst} in one atomic step (see the class comment). */
  static void replace(Configuration conf, FileSystem fs, Path src, Path dst) throws IOException {
    java.nio.file.Path localSrc = localFile(fs, src);
    java.nio.file.Path localDst = localFile(fs, dst);
    if (localSrc != null && localDst != null) {
      // A stale checksum would not match the new bytes; without one, reads are simply unchecked.
      deleteLocalChecksum(fs, dst);
      Files.move(localSrc, localDst, StandardCopyOption.ATOMIC_MOVE);
    } else {
      fileContext(conf, dst).rename(src, dst, Options.Rename.OVERWRITE);
    }
  }

  private static FSDataOutputStream createUnchecked(FileSystem fs, Path p, boolean overwrite)
      throws IOException {
    java.nio.file.Path file = localFile(fs, p);
    if (file != null) {
      // java.nio rather than RawLocalFileSystem.create, which without Hadoop's native library forks a
      // `chmod 0644` per file (tens of ms on a loaded machine); the umask gives the same mode.
      deleteLocalChecksum(fs, p);
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      java.nio.channels.FileChannel ch;
      try {
        ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE,
            overwrite ? StandardOpenOption.CREATE : StandardOpenOption.CREATE_NEW, StandardOpenOption.TRUNCATE_EXISTING);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        throw new FileAlreadyExistsException(p + " already exists");
      }
      return new FSDataOutputStream(new LocalSyncable(ch), null);
    }
    return fs.create(p, overwrite, BUFFER);
  }

  /** A local file's stream whose hsync is fsync, as RawLocalFileSystem's. */
  private static final class LocalSyncable extends Delegating implements org.apache.hadoop.fs.Syncable {
    private final java.nio.channels.FileChannel ch;

    LocalSyncable(java.nio.channels.FileChannel ch) {
      super(java.nio.channels.Channels.newOutputStream(ch));
      this.ch = ch;
    }

    @Override
    public void hflush() throws IOException {
      out.flush();
    }

    @Override
    public void hsync() throws IOException {
      ch.force(true);
    }
  }

  /** A filter stream that hands whole arrays on (FilterOutputStream writes them a byte at a time). */
  private static class Delegating extends FilterOutputStream {
    Delegating(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }
  }

  /** The java.nio path of a local-filesystem path, or null on any other filesystem. */
  static java.nio.file.Path localFile(FileSystem fs, Path p) {
    FileSystem raw = fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    if (raw instanceof RawLocalFileSystem rawLocal) {
      return rawLocal.pathToFile(p).toPath();
    }
    return null;
  }

  private static void deleteLocalChecksum(FileSystem fs, Path p) throws IOException {
    if (fs instanceof LocalFileSystem local) {
      Path crc = local.getChecksumFile(p);
      FileSystem raw = local.getRawFileSystem();
      if (raw.exists(crc)) {
        raw.delete(crc, false);
      }
    }
  }

  private static void sync(FSDataOutputStream out) throws IOException {
    try {
      out.hsync(); // HDFS: data on the datanodes' disks before the rename publishes it
    } catch (UnsupportedOperationException e) {
      out.flush(); // object stores without Syncable
    }
  }

  static void deleteQuietly(FileSystem fs, Path p) {
    try {
      deleteLocalChecksum(fs, p);
      fs.delete(p, true);
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "could not delete temporary " + p, e);
    }
  }

  static StoreException fail(String what, Path p, IOException e) {
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new StoreException(what + " " + p + ": " + detail, e);
  }

  /** Lets a writer close its stream (Jackson does) without closing ours before the sync. */
  private static final class NonClosing extends Delegating {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
