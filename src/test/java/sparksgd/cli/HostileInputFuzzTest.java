package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.commons.io.FileUtils;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.testing.SparkTest;

/**
 * Seeded mutations (truncation, flipped bytes, swapped fields, huge and non-finite numbers, lost
 * newlines) of valid CSV, LibSVM, job files, model.json and .npy files. For every mutation: an exit
 * code in the documented set, exactly one {@code error:} line when it fails (none when it works), no
 * stack trace on stderr or in the console log, and the existing run it was derived from unchanged.
 */
@SparkTest
class HostileInputFuzzTest {
  static final long SEED = 20_20;
  /** Mutations per kind of file; bounded so the whole test takes seconds, not minutes. */
  static final int PER_KIND = 6;
  static final Set<Integer> DOCUMENTED = Set.of(ExitCodes.OK, ExitCodes.USAGE, ExitCodes.DATA, ExitCodes.DIVERGED);
  static SparkSession spark;
  @TempDir
  static Path dir;
  static Path run;
  static String csv;
  static final TraceCapture traces = new TraceCapture();
  int cases;

  @BeforeAll
  static void start() throws IOException {
    try (InputStream in = HostileInputFuzzTest.class.getClassLoader().getResourceAsStream("datasets/boston_housing.csv")) {
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      csv = String.join("\n", lines.subList(0, 61)) + "\n"; // header + 60 rows: fast, still a real data set
    }
    run = dir.resolve("existing-run");
    CliRunner r = CliRunner.run("train", "jobs/boston-linear.conf", "--out", run.toString(), "--set",
        "training.epochs=1", "--set", "training.partitions=1");
    assertEquals(0, r.code(), r.err());
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    traces.start();
    ctx.getConfiguration().addAppender(traces);
    ctx.getConfiguration().getRootLogger().addAppender(traces, null, null);
    ctx.updateLoggers();
  }

  @AfterAll
  static void stop() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.getConfiguration().getRootLogger().removeAppender(traces.getName());
    ctx.updateLoggers();
  }

  @Test
  void mutatedInputsFailInOneLineAndNeverTouchAnExistingRun() throws IOException {
    Map<String, String> before = RunFolderIntegrityTest.snapshot(run);
    Random random = new Random(SEED);
    String libsvm = libsvm(csv);
    String job = Files.readString(Path.of("jobs/boston-linear.conf"));
    String modelJson = Files.readString(run.resolve("model/model.json"));
    byte[] npy = Files.readAllBytes(run.resolve("model/W1.npy"));
    Path plain = dir.resolve("plain.csv");
    Files.writeString(plain, csv);
    for (int i = 0; i < PER_KIND; i++) {
      Path f = write("data-" + i + ".csv", mutate(csv.getBytes(StandardCharsets.UTF_8), random));
      check("csv", f, "train", "jobs/boston-linear.conf", "--out", out(), "--set", "data.train=\"" + f + "\"",
          "--set", "training.epochs=1", "--set", "training.partitions=1");

      Path s = write("data-" + i + ".svm", mutate(libsvm.getBytes(StandardCharsets.UTF_8), random));
      check("libsvm", s, "train", "jobs/boston-linear.conf", "--out", out(), "--set", "data.train=\"" + s + "\"",
          "--set", "data.format=libsvm", "--set", "training.epochs=1", "--set", "training.partitions=1");

      Path j = write("job-" + i + ".conf", mutate(job.getBytes(StandardCharsets.UTF_8), random));
      check("job", j, "train", j.toString(), "--out", out(), "--set", "training.epochs=1", "--set",
          "training.partitions=1");

      Path m = modelCopy("model-json-" + i);
      Files.write(m.resolve("model.json"), mutate(modelJson.getBytes(StandardCharsets.UTF_8), random));
      check("model.json", m.resolve("model.json"), "predict", "--model", m.toString(), "--input", plain.toString(),
          "--output", dir.resolve("pred-" + cases + ".csv").toString());

      Path n = modelCopy("model-npy-" + i);
      Files.write(n.resolve("W1.npy"), mutate(npy, random));
      check(".npy", n.resolve("W1.npy"), "evaluate", "--model", n.toString(), "--input", plain.toString(), "--output",
          dir.resolve("eval-" + cases + ".json").toString());
    }
    assertEquals(5 * PER_KIND, cases);
    assertEquals(before, RunFolderIntegrityTest.snapshot(run), "an existing run's files changed");
  }

  private void check(String kind, Path input, String... args) {
    cases++;
    traces.seen.clear();
    CliRunner r = CliRunner.run(args);
    String what = kind + " mutation " + input + " (seed " + SEED + ", case " + cases + "): exit " + r.code() + "\n" + r.err();
    assertTrue(DOCUMENTED.contains(r.code()), what);
    long errorLines = r.err().lines().filter(l -> l.startsWith("error:")).count();
    assertEquals(r.code() == 0 ? 0 : 1, errorLines, what);
    assertTrue(!r.err().contains("\tat ") && !r.err().contains("Exception:"), what);
    assertTrue(traces.seen.isEmpty(), what + "\nlogged with a stack trace: " + traces.seen);
  }

  private String out() {
    return dir.resolve("out-" + cases).toString();
  }

  private static Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private static Path modelCopy(String name) throws IOException {
    Path copy = dir.resolve(name);
    FileUtils.copyDirectory(run.resolve("model").toFile(), copy.toFile());
    return copy;
  }

  static String libsvm(String csvText) {
    StringBuilder sb = new StringBuilder();
    List<String> lines = csvText.lines().toList();
    for (String line : lines.subList(1, lines.size())) {
      String[] v = line.split(",");
      sb.append(v[v.length - 1]);
      for (int j = 0; j < v.length - 1; j++) {
        sb.append(' ').append(j + 1).append(':').append(v[j]);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** One to three of: truncate, flip bytes, swap two fields, a huge or non-finite number, drop newlines. */
  static byte[] mutate(byte[] in, Random random) {
    byte[] b = in.clone();
    int steps = 1 + random.nextInt(3);
    for (int k = 0; k < steps; k++) {
      switch (random.nextInt(6)) {
        case 0 -> b = java.util.Arrays.copyOf(b, random.nextInt(Math.max(1, b.length)));
        case 1 -> {
          for (int f = 0; f < 1 + random.nextInt(4) && b.length > 0; f++) {
            b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 2 -> b = swapFields(new String(b, StandardCharsets.ISO_8859_1), random).getBytes(StandardCharsets.ISO_8859_1);
        case 3 -> b = replaceNumber(new String(b, StandardCharsets.ISO_8859_1), random).getBytes(StandardCharsets.ISO_8859_1);
        case 4 -> b = new String(b, StandardCharsets.ISO_8859_1).replaceFirst("\n", random.nextBoolean() ? "" : "\u0000")
            .getBytes(StandardCharsets.ISO_8859_1);
        default -> {
          if (b.length > 8) { // overwrite 8 bytes with a non-finite or huge double (binary files)
            long bits = Double.doubleToRawLongBits(new double[] {Double.NaN, Double.POSITIVE_INFINITY, 1e308,
                -Double.MAX_VALUE}[random.nextInt(4)]);
            int at = b.length - 8 - random.nextInt(Math.min(64, b.length - 8));
            for (int i = 0; i < 8; i++) {
              b[at + i] = (byte) (bits >>> (8 * i));
            }
          }
        }
      }
    }
    return b;
  }

  private static String swapFields(String text, Random random) {
    String[] tokens = text.split("(?<=[,\\s:=])", -1);
    if (tokens.length < 2) {
      return text;
    }
    List<String> t = new ArrayList<>(List.of(tokens));
    Collections.swap(t, random.nextInt(t.size()), random.nextInt(t.size()));
    return String.join("", t);
  }

  private static String replaceNumber(String text, Random random) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?").matcher(text);
    List<int[]> spans = new ArrayList<>();
    while (m.find()) {
      spans.add(new int[] {m.start(), m.end()});
    }
    if (spans.isEmpty()) {
      return text;
    }
    int[] s = spans.get(random.nextInt(spans.size()));
    String[] huge = {"1e308", "-1.7e308", "1e309", "NaN", "Infinity", "99999999999999999999", "0", "-1", "2147483648"};
    return text.substring(0, s[0]) + huge[random.nextInt(huge.length)] + text.substring(s[1]);
  }

  /** Every event logged with a stack trace (what the console would show as one). */
  static final class TraceCapture extends AbstractAppender {
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    TraceCapture() {
      super("fuzz-trace-capture", null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      if (event.getThrown() != null) {
        seen.add(event.getLoggerName() + ": " + event.getMessage().getFormattedMessage() + " / " + event.getThrown());
      }
    }
  }
}
