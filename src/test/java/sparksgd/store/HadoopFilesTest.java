package sparksgd.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sparksgd.store.NpyTest.assertMessage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HadoopFilesTest {
  private final Configuration conf = new Configuration();
  @TempDir java.nio.file.Path tmp;

  private Path p(String name) {
    return new Path(tmp.resolve(name).toUri());
  }

  private String read(String name) throws IOException {
    return Files.readString(tmp.resolve(name));
  }

  private List<String> entries() throws IOException {
    try (var s = Files.list(tmp)) {
      return s.map(x -> x.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void atomicWriteCreatesAndReplacesWithoutLeftovers() throws IOException {
    HadoopFiles.writeStringAtomically(conf, p("a.txt"), "one");
    HadoopFiles.writeStringAtomically(conf, p("a.txt"), "two");
    assertEquals("two", read("a.txt"));
    assertEquals(List.of("a.txt"), entries(), "no temp or .crc files");
  }

  @Test
  void aLocalFileGetsTheModeHadoopWouldGiveIt() throws IOException {
    // written through java.nio (no chmod process per file): the same mode as Hadoop's own create
    HadoopFiles.writeStringAtomically(conf, p("ours.txt"), "x");
    org.apache.hadoop.fs.FileSystem raw = org.apache.hadoop.fs.FileSystem.getLocal(conf).getRawFileSystem();
    try (var out = raw.create(p("hadoop.txt"), true)) {
      out.write('x');
    }
    assertEquals(Files.getPosixFilePermissions(tmp.resolve("hadoop.txt")),
        Files.getPosixFilePermissions(tmp.resolve("ours.txt")));
    try (var out = HadoopFiles.create(conf, p("sub/dir/made.txt"))) { // parents are created, as Hadoop does
      out.write('y');
      out.hsync();
    }
    assertEquals("y", read("sub/dir/made.txt"));
  }

  @Test
  void failingWriterLeavesTheOldContent() throws IOException {
    HadoopFiles.writeStringAtomically(conf, p("a.txt"), "old content");
    RuntimeException boom = new IllegalStateException("disk on fire");
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> HadoopFiles.writeAtomically(conf, p("a.txt"), out -> {
          out.write("new content, half wri".getBytes(StandardCharsets.UTF_8));
          out.flush();
          throw boom;
        }));
    assertEquals(boom, e);
    assertEquals("old content", read("a.txt"));
    assertEquals(List.of("a.txt"), entries());

    assertThrows(StoreException.class, () -> HadoopFiles.writeAtomically(conf, p("a.txt"), out -> {
      out.write('x');
      throw new IOException("network gone");
    }));
    assertEquals("old content", read("a.txt"));
    assertEquals(List.of("a.txt"), entries());
  }

  @Test
  void writerMayCloseTheStream() throws IOException {
    HadoopFiles.writeAtomically(conf, p("c.txt"), out -> {
      try (OutputStream o = out) {
        o.write("closed early".getBytes(StandardCharsets.UTF_8));
      }
    });
    assertEquals("closed early", read("c.txt"));
  }

  @Test
  void replacingAFileWithAStaleChecksumStillReads() throws IOException {
    // A file written through Hadoop's checksummed local filesystem has a .crc side file ...
    FileSystem fs = FileSystem.getLocal(conf);
    try (FSDataOutputStream out = fs.create(p("c.bin"), true)) {
      out.write("first version".getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(Files.exists(tmp.resolve(".c.bin.crc")));
    // ... which would no longer match after the replace, so it must go.
    HadoopFiles.writeStringAtomically(conf, p("c.bin"), "second, longer version");
    assertEquals("second, longer version",
        new String(HadoopFiles.readAllBytes(conf, p("c.bin"), 1000), StandardCharsets.UTF_8));
    assertFalse(Files.exists(tmp.resolve(".c.bin.crc")));
  }

  @Test
  void publishDirectoryNewAndReplace() throws IOException {
    Path dst = p("model");
    HadoopFiles.publishDirectory(conf, dst, d -> {
      try (OutputStream o = HadoopFiles.create(conf, new Path(d, "v1.txt"))) {
        o.write('1');
      }
    });
    assertEquals(List.of("v1.txt"), HadoopFiles.listNames(conf, dst));
    HadoopFiles.publishDirectory(conf, dst, d -> {
      try (OutputStream o = HadoopFiles.create(conf, new Path(d, "v2.txt"))) {
        o.write('2');
      }
    });
    assertEquals(List.of("v2.txt"), HadoopFiles.listNames(conf, dst));
    assertEquals(List.of("model"), entries(), "no .tmp- or .old- directories left");

    // a failing writer changes nothing and leaves nothing
    assertThrows(StoreException.class, () -> HadoopFiles.publishDirectory(conf, dst, d -> {
      try (OutputStream o = HadoopFiles.create(conf, new Path(d, "v3.txt"))) {
        o.write('3');
      }
      throw new IOException("killed");
    }));
    assertEquals(List.of("v2.txt"), HadoopFiles.listNames(conf, dst));
    assertEquals(List.of("model"), entries());
  }

  @Test
  void cleanupRestoresTheOldVersionWhenACrashLeftNoDestination() throws IOException {
    // The state a crash leaves between "move old aside" and "rename tmp into place".
    String id = UUID.randomUUID().toString();
    Files.createDirectories(tmp.resolve(".model.old-" + id));
    Files.writeString(tmp.resolve(".model.old-" + id).resolve("old.txt"), "old");
    Files.createDirectories(tmp.resolve(".model.tmp-" + id));
    Files.writeString(tmp.resolve(".model.tmp-" + id).resolve("new.txt"), "new");
    // plus an interrupted atomic file write
    Files.writeString(tmp.resolve(".a.txt.tmp-" + UUID.randomUUID()), "partial");
    List<String> actions = HadoopFiles.cleanupLeftovers(conf, new Path(tmp.toUri()));
    assertEquals(3, actions.size(), actions.toString());
    assertEquals(List.of("model"), entries());
    assertEquals("old", read("model/old.txt"));
  }

  @Test
  void cleanupDeletesTheAsideCopyWhenTheNewVersionIsInPlace() throws IOException {
    String id = UUID.randomUUID().toString();
    Files.createDirectories(tmp.resolve("model"));
    Files.writeString(tmp.resolve("model/new.txt"), "new");
    Files.createDirectories(tmp.resolve(".model.old-" + id));
    Files.createDirectories(tmp.resolve(".unrelated"));
    HadoopFiles.cleanupLeftovers(conf, new Path(tmp.toUri()));
    assertEquals(List.of(".unrelated", "model"), entries());
    assertEquals("new", read("model/new.txt"));
  }

  @Test
  void listingIgnoresChecksumFilesAndEmptiness() throws IOException {
    Path dir = p("out");
    assertTrue(HadoopFiles.isEmptyOrAbsent(conf, dir));
    assertEquals(List.of(), HadoopFiles.list(conf, dir));
    HadoopFiles.mkdirs(conf, dir);
    assertTrue(HadoopFiles.isEmptyOrAbsent(conf, dir));
    Files.writeString(tmp.resolve("out/.lock"), "{}");
    Files.writeString(tmp.resolve("out/.x.crc"), "crc");
    assertTrue(HadoopFiles.isEmptyOrAbsent(conf, dir), "a lock and checksum files do not count");
    Files.writeString(tmp.resolve("out/b"), "b");
    Files.writeString(tmp.resolve("out/a"), "a");
    assertFalse(HadoopFiles.isEmptyOrAbsent(conf, dir));
    assertEquals(List.of(".lock", "a", "b"), HadoopFiles.listNames(conf, dir));
    assertFalse(HadoopFiles.isEmptyOrAbsent(conf, p("out/a")), "a file is not an empty folder");
    assertMessage(assertThrows(StoreException.class, () -> HadoopFiles.list(conf, p("out/a"))),
        "out/a", "is a file");
    assertTrue(HadoopFiles.delete(conf, dir, true));
    assertFalse(HadoopFiles.delete(conf, dir, true));
    assertFalse(HadoopFiles.exists(conf, dir));
  }

  @Test
  void plainRelativeAndFileUrisWorkAlike() throws IOException {
    String plain = tmp.resolve("plain.txt").toString();
    HadoopFiles.writeStringAtomically(conf, HadoopFiles.path(plain), "p");
    assertEquals("p", read("plain.txt"));
    assertTrue(HadoopFiles.exists(conf, HadoopFiles.path("file://" + plain)));
    assertTrue(HadoopFiles.qualify(conf, HadoopFiles.path(plain)).toString().startsWith("file:"));
  }

  @Test
  void sha256AndBoundedRead() throws IOException {
    HadoopFiles.writeStringAtomically(conf, p("abc"), "abc");
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        HadoopFiles.sha256(conf, p("abc")));
    assertMessage(assertThrows(StoreException.class,
        () -> HadoopFiles.readAllBytes(conf, p("abc"), 2)), "abc", "3 bytes, more than the 2");
  }

  @Test
  void exclusiveCreate() throws IOException {
    assertTrue(HadoopFiles.createExclusive(conf, p("x/once"), "a".getBytes(StandardCharsets.UTF_8)));
    assertFalse(HadoopFiles.createExclusive(conf, p("x/once"), "b".getBytes(StandardCharsets.UTF_8)));
    assertEquals("a", read("x/once"));
  }
}
