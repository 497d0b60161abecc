package sparksgd.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  private final Configuration conf = new Configuration();
  @TempDir java.nio.file.Path tmp;

  private Path file(String name) {
    return new Path(tmp.resolve(name).toUri());
  }

  private static double[] values(int n) {
    double[] v = new double[n];
    double[] special = {Double.NaN, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, Double.MAX_VALUE, Math.PI};
    for (int i = 0; i < n; i++) {
      v[i] = i < special.length ? special[i] : Math.sin(i) * 1e3;
    }
    return v;
  }

  private static void assertBitsEqual(double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
          "element " + i);
    }
  }

  @Test
  void roundTripsManyShapesBitForBit() {
    long[][] shapes = {{0}, {1}, {7}, {2, 3}, {3, 0}, {0, 5}, {2, 3, 4}, {}, {20000}};
    for (long[] shape : shapes) {
      int n = (int) Npy.count(shape);
      double[] data = values(n);
      Path p = file("a" + Arrays.toString(shape).replaceAll("[^0-9]", "_") + ".npy");
      Npy.write(conf, p, data, shape);
      assertBitsEqual(data, Npy.read(conf, p, shape));
      Npy.Header h = Npy.readHeader(conf, p);
      assertArrayEquals(shape, h.shape());
      assertEquals(0, h.dataOffset() % 64, "data starts on a 64-byte boundary");
      assertEquals(h.expectedFileLength(), HadoopFiles.length(conf, p));
    }
  }

  @Test
  void matrixHelpersKeepRowMajorOrder() {
    double[][] m = {{1, 2, 3}, {4, 5, 6}};
    Path p = file("m.npy");
    Npy.writeMatrix(conf, p, m);
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, Npy.read(conf, p, 2, 3));
    double[][] back = Npy.readMatrix(conf, p, 2, 3);
    assertArrayEquals(m[0], back[0]);
    assertArrayEquals(m[1], back[1]);
  }

  /** The format spec worked out by hand for a 1-D array of two doubles. */
  @Test
  void exactBytesOfATinyFileFollowTheSpec() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, new double[] {1.0, -2.5}, new long[] {2});
    byte[] actual = out.toByteArray();

    // The dict is 57 characters; numpy appends 21 - len("2") = 20 spaces of growth room; with the
    // final '\n' that is 78; 10 + 78 = 88 is padded with 40 more spaces to 128 = 2 * 64.
    // So the header length field is 128 - 10 = 118 = 0x76.
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }";
    assertEquals(57, dict.length());
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0x76, 0x00});
    expected.write((dict + " ".repeat(60) + "\n").getBytes(StandardCharsets.US_ASCII));
    // 1.0 = 0x3FF0000000000000 and -2.5 = 0xC004000000000000, little-endian.
    expected.write(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F});
    expected.write(new byte[] {0, 0, 0, 0, 0, 0, 0x04, (byte) 0xC0});
    assertArrayEquals(expected.toByteArray(), actual);
    assertEquals(128 + 16, actual.length);
    assertEquals('\n', actual[127]);
  }

  @Test
  void headerOfTwoDimensionalAndScalarArrays() {
    String h2 = new String(Npy.header(2, 3), StandardCharsets.ISO_8859_1);
    assertTrue(h2.contains("'shape': (2, 3), }"), h2);
    String h0 = new String(Npy.header(), StandardCharsets.ISO_8859_1);
    assertTrue(h0.contains("'shape': (), }"), h0);
    assertEquals(0, h2.length() % 64);
    assertEquals(0, h0.length() % 64);
  }

  @Test
  void readerAcceptsOtherValidHeaderSpellings() throws IOException {
    // double quotes, other key order, minimal padding: still a valid .npy file
    Path p = craft("ok.npy", 1, "{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"<f8\"}",
        le(3.0, 4.0));
    assertArrayEquals(new double[] {3.0, 4.0}, Npy.read(conf, p, 2));
  }

  // ------------------------------------------------------------ crafted and damaged files

  @Test
  void refusesWrongMagic() throws IOException {
    Path p = file("magic.npy");
    Files.write(tmp.resolve("magic.npy"), "PK\u0003\u0004 this is a zip".getBytes(StandardCharsets.ISO_8859_1));
    StoreException e = assertThrows(StoreException.class, () -> Npy.read(conf, p, 2));
    assertMessage(e, "magic.npy", "magic");
  }

  @Test
  void refusesHugeDeclaredShapeBeforeAllocating() throws IOException {
    Path p = craft("huge.npy", 1, dict("<f8", false, "(1099511627776,)"), le(1.0));
    StoreException e1 = assertThrows(StoreException.class, () -> Npy.read(conf, p, 3));
    assertMessage(e1, "huge.npy", "shape is (1099511627776,), expected (3,)");
    // even a caller expecting that shape is refused: it cannot fit one array
    StoreException e2 = assertThrows(StoreException.class, () -> Npy.read(conf, p, 1L << 40));
    assertMessage(e2, "huge.npy", "more than one array can");
    // and readHeader refuses the length mismatch without allocating anything
    StoreException e3 = assertThrows(StoreException.class, () -> Npy.readHeader(conf, p));
    assertMessage(e3, "huge.npy", "truncated");
    Path q = craft("overflow.npy", 1, dict("<f8", false, "(4294967296, 4294967296, 4294967296)"),
        le());
    assertMessage(assertThrows(StoreException.class, () -> Npy.readHeader(conf, q)),
        "overflow.npy", "too large");
  }

  @Test
  void refusesTruncatedAndOverlongData() throws IOException {
    Path p = file("t.npy");
    Npy.writeVector(conf, p, new double[] {1, 2, 3});
    byte[] all = Files.readAllBytes(tmp.resolve("t.npy"));
    Files.write(tmp.resolve("t.npy"), Arrays.copyOf(all, all.length - 5));
    assertMessage(assertThrows(StoreException.class, () -> Npy.read(conf, p, 3)), "t.npy",
        "truncated");
    Files.write(tmp.resolve("t.npy"), Arrays.copyOf(all, all.length + 8));
    assertMessage(assertThrows(StoreException.class, () -> Npy.read(conf, p, 3)), "t.npy",
        "extra bytes");
    Files.write(tmp.resolve("t.npy"), Arrays.copyOf(all, 9));
    assertMessage(assertThrows(StoreException.class, () -> Npy.read(conf, p, 3)), "t.npy",
        "header length");
  }

  @Test
  void float32FilesAreWrittenAsNumpyDoesAndReadBackExactly() throws IOException {
    double[] v = {1.5, -0.1, 3e-41}; // -0.1 is rounded to the nearest float; 3e-41 is a subnormal float
    Path p = new Path(tmp.resolve("f4ok.npy").toString());
    Npy.write(conf, p, v, new long[] {3}, sparksgd.model.Precision.FLOAT32);
    byte[] all = Files.readAllBytes(tmp.resolve("f4ok.npy"));
    String header = new String(all, 10, 118, java.nio.charset.StandardCharsets.US_ASCII);
    assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"), header);
    assertEquals(128 + 12, all.length); // 64-byte aligned preamble, then 3 x 4 bytes
    java.nio.ByteBuffer data = java.nio.ByteBuffer.wrap(all, 128, 12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertEquals(1.5f, data.getFloat());
    assertEquals(-0.1f, data.getFloat());
    assertEquals(3e-41f, data.getFloat());
    double[] back = Npy.read(conf, p, 3);
    assertArrayEquals(new double[] {1.5, (float) -0.1, (float) 3e-41}, back);
    assertEquals("<f4", Npy.readHeader(conf, p).descr());
  }

  @Test
  void refusesWrongDtypeAndFortranOrder() throws IOException {
    Path f2 = craft("f2.npy", 1, dict("<f2", false, "(2,)"), new byte[4]);
    assertMessage(assertThrows(StoreException.class, () -> Npy.read(conf, f2, 2)), "f2.npy",
        "dtype is '<f2'");
    Path f4 = craft("f4.npy", 1, dict("<f4", false, "(2,)"), new byte[16]); // 8 bytes too many for float32
    assertMessage(assertThrows(StoreException.class, () -> Npy.read(conf, f4, 2)), "f4.npy", "extra bytes");
    Path be = craft("be.npy", 1, dict(">f8", false, "(2,)"), new byte[16]);
    assertMessage(assertThrows(StoreException.class, () -> Npy.read(conf, be, 2)), "be.npy",
        "dtype is '>f8'");
    Path fo = craft("fortran.npy", 1, dict("<f8", true, "(2, 2)"), new byte[32]);
    assertMessage(assertThrows(StoreException.class, () -> Npy.read(conf, fo, 2, 2)),
        "fortran.npy", "Fortran order");
  }

  @Test
  void refusesBadVersionsHeadersAndShapes() throws IOException {
    Path v9 = craft("v9.npy", 9, dict("<f8", false, "(1,)"), le(1.0));
    assertMessage(assertThrows(StoreException.class, () -> Npy.read(conf, v9, 1)), "v9.npy",
        "version 9.0");

    // version 2 allows a 4-byte header length; we still bound it at 64 KiB
    ByteBuffer big = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    big.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(100_000_000);
    Files.write(tmp.resolve("bighdr.npy"), big.array());
    assertMessage(assertThrows(StoreException.class,
        () -> Npy.read(conf, file("bighdr.npy"), 1)), "bighdr.npy", "more than the 65536 allowed");

    Path garbage = craft("garbage.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': __import__('os')}", le(1.0));
    assertMessage(assertThrows(StoreException.class, () -> Npy.read(conf, garbage, 1)),
        "garbage.npy", "malformed header");
    Path neg = craft("neg.npy", 1, dict("<f8", false, "(-1,)"), le());
    assertMessage(assertThrows(StoreException.class, () -> Npy.read(conf, neg, 1)), "neg.npy",
        "malformed header");
    Path extraKey = craft("extra.npy", 1,
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': True}", le(1.0));
    assertMessage(assertThrows(StoreException.class, () -> Npy.read(conf, extraKey, 1)),
        "extra.npy", "header keys");
    Path noNewline = file("nonl.npy");
    byte[] h = Npy.header(1);
    h[h.length - 1] = ' ';
    Files.write(tmp.resolve("nonl.npy"), concat(h, le(1.0)));
    assertMessage(assertThrows(StoreException.class, () -> Npy.read(conf, noNewline, 1)),
        "nonl.npy", "newline");
    Path right = file("right.npy");
    Npy.write(conf, right, new double[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3});
    assertMessage(assertThrows(StoreException.class, () -> Npy.read(conf, right, 3, 2)),
        "right.npy", "shape is (2, 3), expected (3, 2)");
  }

  @Test
  void writeRefusesShapeNotMatchingData() {
    assertThrows(IllegalArgumentException.class,
        () -> Npy.write(conf, file("x.npy"), new double[5], new long[] {2, 3}));
    assertTrue(!Files.exists(tmp.resolve("x.npy")));
  }

  // ------------------------------------------------------------ helpers

  private static String dict(String descr, boolean fortran, String shape) {
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
        + ", 'shape': " + shape + ", }";
  }

  /** A file with the given header dict (padded to 64 bytes with a final newline) and data. */
  private Path craft(String name, int major, String dict, byte[] data) throws IOException {
    int lenBytes = major == 1 ? 2 : 4;
    int unpadded = 8 + lenBytes + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(8 + lenBytes + header.length() + data.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    if (lenBytes == 2) {
      b.putShort((short) header.length());
    } else {
      b.putInt(header.length());
    }
    b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
    Files.write(tmp.resolve(name), b.array());
    return file(name);
  }

  private static byte[] le(double... v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double x : v) {
      b.putDouble(x);
    }
    return b.array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  static void assertMessage(Throwable e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part),
          "message should contain '" + part + "': " + e.getMessage());
    }
  }
}
