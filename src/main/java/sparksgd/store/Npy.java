package sparksgd.store;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import sparksgd.model.Precision;

/**
 * NumPy {@code .npy} files of little-endian float64 ({@code '<f8'}) or float32 ({@code '<f4'}, the
 * tensors of {@code training.precision = float32} models), C order, any shape. Reading gives doubles
 * either way (float32 values widen exactly).
 *
 * <p>Writing produces format version 1.0 byte for byte as {@code numpy.save} 2.x does: the magic
 * {@code \x93NUMPY}, version {@code 1 0}, the header length as a little-endian uint16, then the
 * header dict {@code {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }} followed by
 * numpy's growth padding and spaces up to a multiple of 64 bytes, ending in {@code \n}.
 *
 * <p>Reading is safe against damaged or crafted files: the caller states the shape it expects, and
 * the magic, version, header length (at most {@link #MAX_HEADER_BYTES}), dtype, fortran_order, shape
 * and exact file length are all checked before the data array is allocated. Versions 2.0 and 3.0
 * (4-byte header length) are read too, under the same bound.
 */
public final class Npy {
  public static final int MAX_HEADER_BYTES = 64 * 1024;
  /** The largest element count read into one Java array. */
  public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGN = 64;
  private static final int GROWTH_AXIS_MAX_DIGITS = 21; // numpy reserves room to grow axis 0
  private static final int CHUNK_DOUBLES = 8192;

  private Npy() {}

  /**
   * What the preamble says.
   *
   * @param shape the array's shape (empty for a 0-d scalar)
   * @param dataOffset bytes before the data: magic, version, length field and header
   */
  public record Header(long[] shape, long dataOffset, String descr) {
    /** A float64 header. */
    public Header(long[] shape, long dataOffset) {
      this(shape, dataOffset, "<f8");
    }

    public long elementCount() {
      return count(shape);
    }

    /** Bytes per element: 8 for {@code <f8}, 4 for {@code <f4}. */
    public int itemSize() {
      return "<f4".equals(descr) ? 4 : 8;
    }

    /** The file length this header implies. */
    public long expectedFileLength() {
      return dataOffset + itemSize() * elementCount();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Header h && Arrays.equals(shape, h.shape) && dataOffset == h.dataOffset
          && descr.equals(h.descr);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(shape) * 31 + Long.hashCode(dataOffset);
    }

    @Override
    public String toString() {
      return "Header[shape=" + shapeString(shape) + ", dataOffset=" + dataOffset + ", descr=" + descr + "]";
    }
  }

  // ---------------------------------------------------------------- writing

  /** The preamble (magic, version, length, padded header) numpy writes for this shape. */
  public static byte[] header(long... shape) {
    return header(Precision.FLOAT64, shape);
  }

  /** The preamble numpy writes for this dtype ({@code <f8} or {@code <f4}) and shape. */
  public static byte[] header(Precision dtype, long... shape) {
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + shapeString(shape));
      }
    }
    StringBuilder dict = new StringBuilder("{'descr': '" + dtype.npyDescr() + "', 'fortran_order': False, 'shape': ")
        .append(shapeString(shape)).append(", }");
    if (shape.length > 0) {
      dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length()));
    }
    int hlen = dict.length() + 1; // + the final newline
    int padlen = ALIGN - ((MAGIC.length + 2 + 2 + hlen) % ALIGN);
    int headerLen = hlen + padlen;
    ByteBuffer b = ByteBuffer.allocate(10 + headerLen).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerLen);
    b.put(dict.toString().getBytes(StandardCharsets.US_ASCII));
    b.put(" ".repeat(padlen).getBytes(StandardCharsets.US_ASCII)).put((byte) '\n');
    return b.array();
  }

  /**
   * Writes {@code data} (C order) with the given shape ({@code new long[0]} for a 0-d scalar).
   * The shape is not varargs on purpose: a forgotten shape must not silently mean "scalar".
   */
  public static void write(OutputStream out, double[] data, long[] shape) throws IOException {
    write(out, data, shape, Precision.FLOAT64);
  }

  /** Writes {@code data} as {@code dtype}: float32 rounds each value to the nearest float. */
  public static void write(OutputStream out, double[] data, long[] shape, Precision dtype) throws IOException {
    if (count(shape) != data.length) {
      throw new IllegalArgumentException("shape " + shapeString(shape) + " holds " + count(shape)
          + " values, data has " + data.length);
    }
    out.write(header(dtype, shape));
    if (dtype == Precision.FLOAT32) {
      ByteBuffer fb = ByteBuffer.allocate(CHUNK_DOUBLES * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < data.length; i += CHUNK_DOUBLES) {
        int n = Math.min(CHUNK_DOUBLES, data.length - i);
        fb.clear();
        for (int k = 0; k < n; k++) {
          fb.putFloat((float) data[i + k]);
        }
        out.write(fb.array(), 0, n * 4);
      }
      return;
    }
    ByteBuffer buf = ByteBuffer.allocate(CHUNK_DOUBLES * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < data.length; i += CHUNK_DOUBLES) {
      int n = Math.min(CHUNK_DOUBLES, data.length - i);
      buf.clear();
      buf.asDoubleBuffer().put(data, i, n);
      out.write(buf.array(), 0, n * 8);
    }
  }

  /** Writes an {@code .npy} file atomically ({@link HadoopFiles#writeAtomically}). */
  public static void write(Configuration conf, Path path, double[] data, long[] shape) {
    write(conf, path, data, shape, Precision.FLOAT64);
  }

  /** Writes an {@code .npy} file of {@code dtype} atomically. */
  public static void write(Configuration conf, Path path, double[] data, long[] shape, Precision dtype) {
    if (count(shape) != data.length) { // refuse before creating anything
      throw new IllegalArgumentException("shape " + shapeString(shape) + " holds " + count(shape)
          + " values, data has " + data.length + " (writing " + path + ")");
    }
    HadoopFiles.writeAtomically(conf, path, out -> write(out, data, shape, dtype));
  }

  /** Writes a 1-D array atomically. */
  public static void writeVector(Configuration conf, Path path, double[] data) {
    write(conf, path, data, new long[] {data.length});
  }

  /** Writes a rectangular matrix as a 2-D array, rows x cols, C order. */
  public static void writeMatrix(Configuration conf, Path path, double[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    double[] flat = new double[Math.multiplyExact(rows.length, cols)];
    for (int r = 0; r < rows.length; r++) {
      if (rows[r].length != cols) {
        throw new IllegalArgumentException(
            "row " + r + " has " + rows[r].length + " values, row 0 has " + cols);
      }
      System.arraycopy(rows[r], 0, flat, r * cols, cols);
    }
    write(conf, path, flat, new long[] {rows.length, cols});
  }

  // ---------------------------------------------------------------- reading

  /** The header of a file, checked (and the file length checked against it), without the data. */
  public static Header readHeader(Configuration conf, Path path) {
    Path q = HadoopFiles.qualify(conf, path);
    long length = HadoopFiles.length(conf, q);
    try (FSDataInputStream in = HadoopFiles.open(conf, q)) {
      Header h = parseHeader(in, length, q.toString());
      checkLength(h, length, q.toString());
      return h;
    } catch (IOException e) {
      throw HadoopFiles.fail("cannot read", q, e);
    }
  }

  /** Reads a file whose shape must equal {@code expectedShape}; returns the data in C order. */
  public static double[] read(Configuration conf, Path path, long... expectedShape) {
    Path q = HadoopFiles.qualify(conf, path);
    long length = HadoopFiles.length(conf, q);
    try (FSDataInputStream in = HadoopFiles.open(conf, q)) {
      return read(in, length, q.toString(), expectedShape);
    } catch (IOException e) {
      throw HadoopFiles.fail("cannot read", q, e);
    }
  }

  /** Reads a 2-D file of exactly {@code rows x cols}. */
  public static double[][] readMatrix(Configuration conf, Path path, int rows, int cols) {
    double[] flat = read(conf, path, rows, cols);
    double[][] out = new double[rows][];
    for (int r = 0; r < rows; r++) {
      out[r] = Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
    }
    return out;
  }

  /**
   * Reads from a stream positioned at the file's start.
   *
   * @param fileLength the file's length in bytes, checked against the header before allocating
   * @param name the file's name for messages
   */
  public static double[] read(InputStream in, long fileLength, String name, long... expectedShape)
      throws IOException {
    Header h = parseHeader(in, fileLength, name);
    if (!Arrays.equals(h.shape(), expectedShape)) {
      throw bad(name, "shape is " + shapeString(h.shape()) + ", expected "
          + shapeString(expectedShape));
    }
    long n = h.elementCount();
    if (n > MAX_ELEMENTS) {
      throw bad(name, "holds " + n + " values, more than one array can (" + MAX_ELEMENTS + ")");
    }
    checkLength(h, fileLength, name);
    double[] data = new double[(int) n];
    int item = h.itemSize();
    byte[] chunk = new byte[(int) Math.min(n, CHUNK_DOUBLES) * item];
    DataInputStream din = new DataInputStream(in);
    try {
      for (int i = 0; i < data.length; i += CHUNK_DOUBLES) {
        int k = Math.min(CHUNK_DOUBLES, data.length - i);
        din.readFully(chunk, 0, k * item);
        ByteBuffer bb = ByteBuffer.wrap(chunk, 0, k * item).order(ByteOrder.LITTLE_ENDIAN);
        if (item == 4) {
          for (int j = 0; j < k; j++) {
            data[i + j] = bb.getFloat();
          }
        } else {
          bb.asDoubleBuffer().get(data, i, k);
        }
      }
    } catch (EOFException e) {
      throw bad(name, "data is truncated (the file changed while being read?)");
    }
    if (in.read() != -1) {
      throw bad(name, "has bytes after the data (the file changed while being read?)");
    }
    return data;
  }

  /** Reads and checks the preamble; leaves the stream at the first data byte. */
  public static Header parseHeader(InputStream in, long fileLength, String name)
      throws IOException {
    DataInputStream din = new DataInputStream(in);
    byte[] fixed = new byte[8];
    try {
      din.readFully(fixed);
    } catch (EOFException e) {
      throw bad(name, "is too short to be an .npy file (" + fileLength + " bytes)");
    }
    if (!Arrays.equals(Arrays.copyOf(fixed, 6), MAGIC)) {
      throw bad(name, "is not an .npy file (no \\x93NUMPY magic at the start)");
    }
    int major = fixed[6] & 0xff;
    int minor = fixed[7] & 0xff;
    if (major < 1 || major > 3 || minor != 0) {
      throw bad(name, "has unsupported .npy format version " + major + "." + minor
          + " (supported: 1.0, 2.0, 3.0)");
    }
    int lenBytes = major == 1 ? 2 : 4;
    byte[] lenField = new byte[lenBytes];
    long headerLen;
    try {
      din.readFully(lenField);
    } catch (EOFException e) {
      throw bad(name, "ends inside the header length field");
    }
    ByteBuffer lb = ByteBuffer.wrap(lenField).order(ByteOrder.LITTLE_ENDIAN);
    headerLen = lenBytes == 2 ? (lb.getShort() & 0xffff) : (lb.getInt() & 0xffffffffL);
    long dataOffset = 8 + lenBytes + headerLen;
    if (headerLen > MAX_HEADER_BYTES) {
      throw bad(name, "declares a header of " + headerLen + " bytes, more than the "
          + MAX_HEADER_BYTES + " allowed");
    }
    if (fileLength >= 0 && dataOffset > fileLength) {
      throw bad(name, "declares a header of " + headerLen + " bytes but the file has only "
          + fileLength + " bytes");
    }
    byte[] hb = new byte[(int) headerLen];
    try {
      din.readFully(hb);
    } catch (EOFException e) {
      throw bad(name, "ends inside the header");
    }
    String text = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    if (text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
      throw bad(name, "has a header that does not end in a newline");
    }
    Map<String, Object> dict;
    try {
      dict = new DictParser(text).parse();
    } catch (IllegalArgumentException e) {
      throw bad(name, "has a malformed header (" + e.getMessage() + "): " + abbreviate(text));
    }
    if (!dict.keySet().equals(Set.of("descr", "fortran_order", "shape"))) {
      throw bad(name, "header keys are " + dict.keySet()
          + ", expected descr, fortran_order and shape");
    }
    if (!"<f8".equals(dict.get("descr")) && !"<f4".equals(dict.get("descr"))) {
      throw bad(name, "dtype is " + describeValue(dict.get("descr"))
          + ", expected '<f8' or '<f4' (little-endian float64 or float32)");
    }
    if (!Boolean.FALSE.equals(dict.get("fortran_order"))) {
      throw bad(name, "is stored in Fortran order (fortran_order: "
          + describeValue(dict.get("fortran_order")) + "), only C order is supported");
    }
    if (!(dict.get("shape") instanceof long[] shape)) {
      throw bad(name, "shape is " + describeValue(dict.get("shape")) + ", expected a tuple");
    }
    long n = count(shape);
    if (n == Long.MAX_VALUE || n > (Long.MAX_VALUE - dataOffset) / 8) {
      throw bad(name, "declares shape " + shapeString(shape) + ", too large for any file");
    }
    return new Header(shape, dataOffset, (String) dict.get("descr"));
  }

  private static void checkLength(Header h, long fileLength, String name) {
    long expected = h.expectedFileLength();
    if (fileLength != expected) {
      throw bad(name, "is " + fileLength + " bytes, but its header (shape "
          + shapeString(h.shape()) + ") implies " + expected
          + (fileLength < expected ? " (truncated)" : " (extra bytes)"));
    }
  }

  /** Number of elements; overflow is reported as Long.MAX_VALUE (always refused later). */
  static long count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d == 0) {
        return 0;
      }
    }
    for (long d : shape) {
      if (d < 0 || n > Long.MAX_VALUE / d) {
        return Long.MAX_VALUE;
      }
      n *= d;
    }
    return n;
  }

  /** Python tuple syntax: (), (3,), (2, 3). */
  public static String shapeString(long[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i > 0 ? ", " : "").append(shape[i]);
    }
    return sb.append(')').toString();
  }

  private static StoreException bad(String name, String what) {
    return new StoreException(name + ": " + what);
  }

  private static String describeValue(Object v) {
    if (v instanceof String s) {
      return "'" + s + "'";
    }
    if (v instanceof long[] a) {
      return shapeString(a);
    }
    if (v instanceof Boolean b) {
      return b ? "True" : "False"; // as Python spells it in the header
    }
    return String.valueOf(v);
  }

  private static String abbreviate(String s) {
    String t = s.strip();
    return t.length() > 200 ? t.substring(0, 200) + "..." : t;
  }

  /**
   * The small subset of Python literal syntax numpy headers use: a dict with string keys whose
   * values are strings, True/False, or tuples of non-negative integers.
   */
  private static final class DictParser {
    private final String s;
    private int i;

    DictParser(String s) {
      this.s = s;
    }

    Map<String, Object> parse() {
      Map<String, Object> out = new HashMap<>();
      ws();
      expect('{');
      while (true) {
        ws();
        if (peek() == '}') {
          i++;
          break;
        }
        String key = string();
        ws();
        expect(':');
        ws();
        Object value = value();
        if (out.put(key, value) != null) {
          throw new IllegalArgumentException("key '" + key + "' appears twice");
        }
        ws();
        char c = next();
        if (c == '}') {
          break;
        }
        if (c != ',') {
          throw new IllegalArgumentException("expected ',' or '}' at position " + (i - 1));
        }
      }
      ws();
      if (i != s.length()) {
        throw new IllegalArgumentException("unexpected text after the dict at position " + i);
      }
      return out;
    }

    private Object value() {
      char c = peek();
      if (c == '\'' || c == '"') {
        return string();
      }
      if (c == '(') {
        return tuple();
      }
      if (s.startsWith("True", i)) {
        i += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("False", i)) {
        i += 5;
        return Boolean.FALSE;
      }
      throw new IllegalArgumentException("unsupported value at position " + i);
    }

    private long[] tuple() {
      expect('(');
      List<Long> dims = new ArrayList<>();
      ws();
      if (peek() == ')') {
        i++;
        return new long[0];
      }
      while (true) {
        ws();
        if (peek() == ')' && !dims.isEmpty()) {
          i++;
          break;
        }
        dims.add(integer());
        ws();
        char c = next();
        if (c == ')') {
          if (dims.size() == 1) {
            throw new IllegalArgumentException("(n) is not a tuple; expected (n,)");
          }
          break;
        }
        if (c != ',') {
          throw new IllegalArgumentException("expected ',' or ')' at position " + (i - 1));
        }
      }
      if (dims.size() > 64) {
        throw new IllegalArgumentException("more than 64 dimensions");
      }
      return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private long integer() {
      int start = i;
      while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
        i++;
      }
      if (i == start) {
        throw new IllegalArgumentException("expected a non-negative integer at position " + start);
      }
      String digits = s.substring(start, i);
      if (i < s.length() && s.charAt(i) == 'L') {
        i++; // Python 2 long literal, written by very old numpy
      }
      if (digits.length() > 18) {
        throw new IllegalArgumentException("dimension " + digits + " is too large");
      }
      return Long.parseLong(digits);
    }

    private String string() {
      char q = next();
      if (q != '\'' && q != '"') {
        throw new IllegalArgumentException("expected a quoted string at position " + (i - 1));
      }
      int end = s.indexOf(q, i);
      if (end < 0) {
        throw new IllegalArgumentException("unterminated string at position " + (i - 1));
      }
      String v = s.substring(i, end);
      if (v.indexOf('\\') >= 0) {
        throw new IllegalArgumentException("escapes in strings are not supported");
      }
      i = end + 1;
      return v;
    }

    private void ws() {
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\t'
          || s.charAt(i) == '\r')) {
        i++;
      }
    }

    private char peek() {
      if (i >= s.length()) {
        throw new IllegalArgumentException("unexpected end");
      }
      return s.charAt(i);
    }

    private char next() {
      char c = peek();
      i++;
      return c;
    }

    private void expect(char c) {
      if (next() != c) {
        throw new IllegalArgumentException("expected '" + c + "' at position " + (i - 1));
      }
    }
  }
}
