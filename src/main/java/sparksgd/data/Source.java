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
    } catch (IOException e) {
      throw new DataException(spec, "cannot read: " + e.getMessage());
    }
  }

  /** The whole resource's lines (built-in data sets are small). */
  public List<String> builtinLines() {
    try (BufferedReader r = reader(null)) {
      return r.lines().toList();
    } catch (IOException e) {
      throw new DataException(display, "cannot read: " + e.getMessage());
    }
  }

  /** The first line, or a {@link DataException} for an empty file. */
  public String firstLine(Configuration conf) {
    try (BufferedReader r = reader(conf)) {
      String line = r.readLine();
      if (line == null || (line.isBlank() && r.readLine() == null)) {
        throw new DataException(display, "the file is empty");
      }
      return line;
    } catch (IOException e) {
      throw new DataException(display, "cannot read: " + e.getMessage());
    }
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
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }
}
