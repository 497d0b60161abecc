package sparksgd.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * One input file: a file on any Hadoop filesystem, or a data set shipped inside the jar
 * ({@code builtin:boston_housing.csv}). A directory or glob expands to its files in name order.
 */
public record Source(String display, String uri, boolean builtin) implements Serializable {
  public static final String BUILTIN = "builtin:";
  public static final List<String> BUILTINS = List.of("boston_housing.csv", "breast_cancer.csv", "digits.csv");

  public static List<Source> resolve(String spec, Configuration conf) {
    if (spec.startsWith(BUILTIN)) {
      String name = spec.substring(BUILTIN.length());
      if (!name.endsWith(".csv")) {
        name = name + ".csv";
      }
      if (!BUILTINS.contains(name)) {
        throw new DataException(spec, "no such built-in data set (available: builtin:" + String.join(", builtin:", BUILTINS) + ")");
      }
      return List.of(new Source(spec, "datasets/" + name, true));
    }
    try {
      Path path = new Path(spec);
      FileSystem fs = path.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(path);
      if (matches == null || matches.length == 0) {
        throw new DataException(spec, "no such file or directory");
      }
      List<Source> out = new ArrayList<>();
      Arrays.sort(matches);
      for (FileStatus m : matches) {
        if (m.isDirectory()) {
          FileStatus[] children = fs.listStatus(m.getPath());
          Arrays.sort(children);
          for (FileStatus c : children) {
            String n = c.getPath().getName();
            if (c.isFile() && !n.startsWith(".") && !n.startsWith("_")) {
              out.add(new Source(c.getPath().toString(), c.getPath().toString(), false));
            }
          }
        } else {
          String display = matches.length == 1 ? spec : m.getPath().toString();
          out.add(new Source(display, fs.makeQualified(m.getPath()).toString(), false));
        }
      }
      if (out.isEmpty()) {
        throw new DataException(spec, "the directory has no data files");
      }
      return out;
    } catch (IOException | IllegalArgumentException e) {
      // Hadoop reports an unknown hdfs:// host as IllegalArgumentException(UnknownHostException).
      throw new DataException(spec, "cannot read: " + describe(e));
    }
  }

  /** An I/O failure in plain words (an unknown host is named as such). */
  static String describe(Exception e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof java.net.UnknownHostException) {
        return "unknown host '" + CsvLineParser.shorten(String.valueOf(c.getMessage())) + "'";
      }
      if (c instanceof java.net.URISyntaxException u) {
        return "not a valid path or URI (" + u.getReason() + ")";
      }
    }
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replaceFirst("^([a-z]\\w*\\.)+\\w*(Exception|Error): ", ""); // Hadoop's wrapped class names
  }

  /** The whole resource's lines (built-in data sets are small). */
  public List<String> builtinLines() {
    try (BufferedReader r = reader(null)) {
      return r.lines().toList();
    } catch (IOException e) {
      throw new DataException(display, "cannot read: " + e.getMessage());
    }
  }

  /**
   * The first line, or a {@link DataException} for an empty file. At most {@link #MAX_FIRST_LINE}
   * characters are read, so a device or a file of gigabytes without a newline is refused, not loaded.
   * Compressed files ({@code .gz}, {@code .bz2}, any codec Hadoop knows by suffix) are decompressed,
   * as Spark does for the rows.
   */
  public String firstLine(Configuration conf) {
    try (BufferedReader r = reader(conf)) {
      String line = boundedLine(r);
      if (line == null || (line.isBlank() && boundedLine(r) == null)) {
        throw new DataException(display, "the file is empty");
      }
      return line;
    } catch (IOException | IllegalArgumentException e) {
      throw new DataException(display, "cannot read: " + describe(e));
    }
  }

  /** Longest first line (a header) read before the file is refused. */
  public static final int MAX_FIRST_LINE = 1 << 20;

  private String boundedLine(BufferedReader r) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = r.read()) >= 0) {
      if (c == '\n') {
        return sb.toString();
      }
      if (c == '\r') { // CR, LF and CRLF end a line, as in Hadoop's line reader
        r.mark(1);
        if (r.read() != '\n') {
          r.reset();
        }
        return sb.toString();
      }
      if (sb.length() >= MAX_FIRST_LINE) {
        throw new DataException(display, 1, null, "the first line is longer than " + MAX_FIRST_LINE
            + " characters: not a text file of rows (a device, or binary data?)");
      }
      sb.append((char) c);
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  private BufferedReader reader(Configuration conf) throws IOException {
    InputStream in;
    if (builtin) {
      in = Source.class.getClassLoader().getResourceAsStream(uri);
      if (in == null) {
        throw new IOException("resource " + uri + " missing from the jar");
      }
    } else {
      Path p = new Path(uri);
      in = p.getFileSystem(conf).open(p);
      CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
      if (codec != null) {
        in = codec.createInputStream(in);
      }
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }
}
