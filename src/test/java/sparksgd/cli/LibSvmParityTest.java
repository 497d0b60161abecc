package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.testing.SparkTest;
import sparksgd.train.ModelFiles;
import sparksgd.train.Scoring;
import sparksgd.train.TrainedModel;

/**
 * The breast-cancer and digits data written as LibSVM (zeros left out) and trained sparse reach the CSV runs'
 * test accuracy (same split, same seed); predict and evaluate read LibSVM rows, sparse for a sparse model.
 */
@SparkTest
class LibSvmParityTest {
  static SparkSession spark;
  static JavaSparkContext jsc;
  @TempDir
  static Path dir;
  static Path cancer;
  static Path digits;

  @BeforeAll
  static void write() throws IOException {
    cancer = toLibSvm("breast_cancer.csv", "benign", dir.resolve("breast_cancer.libsvm"));
    digits = toLibSvm("digits.csv", "digit", dir.resolve("digits.libsvm"));
  }

  /** The embedded CSV's rows as LibSVM: the label, then index:value (1-based, the CSV's column order) of each nonzero. */
  static Path toLibSvm(String resource, String label, Path out) throws IOException {
    List<String> csv = Files.readAllLines(Path.of("src/main/resources/datasets", resource));
    List<String> header = List.of(csv.get(0).split(","));
    int y = header.indexOf(label);
    List<String> lines = new ArrayList<>();
    for (String row : csv.subList(1, csv.size())) {
      String[] c = row.split(",");
      StringBuilder sb = new StringBuilder(c[y]);
      int index = 0;
      for (int j = 0; j < c.length; j++) {
        if (j == y) {
          continue;
        }
        index++;
        if (Double.parseDouble(c[j]) != 0) {
          sb.append(' ').append(index).append(':').append(c[j]);
        }
      }
      lines.add(sb.toString());
    }
    Files.write(out, lines);
    return out;
  }

  static JsonNode train(String job, Path run, String... sets) throws IOException {
    List<String> args = new ArrayList<>(List.of("train", job, "--out", run.toString()));
    for (String s : sets) {
      args.add("--set");
      args.add(s);
    }
    CliRunner t = CliRunner.run(args.toArray(new String[0]));
    assertEquals(0, t.code(), t.err());
    return new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
  }

  static String[] libsvm(Path file, int features, String... more) {
    List<String> sets = new ArrayList<>(List.of("data.train=\"" + file + "\"", "data.format=libsvm",
        "data.num-features=" + features, "data.representation=sparse", "data.label=label"));
    sets.addAll(List.of(more));
    return sets.toArray(new String[0]);
  }

  /**
   * With data.normalize = none both representations scale alike, so the sparse run is the CSV run up to
   * float reassociation: the same test accuracy, exactly. (With the jobs' own scaling the sparse run is not
   * centered, so its accuracy may differ: README, Sparse data.)
   */
  @Test
  void libSvmRunsReachTheCsvRunsTestAccuracy() throws IOException {
    for (Object[] c : List.of(new Object[] {"jobs/breast-cancer.conf", cancer, 30},
        new Object[] {"jobs/digits.conf", digits, 64})) {
      String job = (String) c[0];
      String name = Path.of(job).getFileName().toString();
      JsonNode csvRun = train(job, dir.resolve(name + "-csv"), "data.normalize=none", "training.epochs=8");
      JsonNode svmRun = train(job, dir.resolve(name + "-svm"), libsvm((Path) c[1], (int) c[2], "data.normalize=none",
          "training.epochs=8"));
      double accuracy = csvRun.get("test").get("accuracy").asDouble();
      assertTrue(accuracy > 0.8, name + " learned something: " + accuracy);
      assertEquals(accuracy, svmRun.get("test").get("accuracy").asDouble(), 0, name);
      assertEquals(csvRun.get("test").get("logloss").asDouble(), svmRun.get("test").get("logloss").asDouble(),
          1e-9, name);
    }
  }

  @Test
  void evaluateAndPredictReadLibSvmRows() throws IOException {
    Path run = dir.resolve("digits-sparse");
    List<String> args = new ArrayList<>(List.of("train", "jobs/digits.conf", "--out", run.toString(), "--save-splits"));
    for (String s : libsvm(digits, 64, "training.epochs=3")) {
      args.addAll(List.of("--set", s));
    }
    CliRunner t = CliRunner.run(args.toArray(new String[0]));
    assertEquals(0, t.code(), t.err());
    JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
    Path testRows = run.resolve("splits/test.libsvm"); // --format auto: LibSVM by its name
    Path out = dir.resolve("eval.json");
    CliRunner e = CliRunner.run("evaluate", "--model", run.toString(), "--input", testRows.toString(), "--output",
        out.toString());
    assertEquals(0, e.code(), e.err());
    JsonNode evaluated = new ObjectMapper().readTree(out.toFile());
    assertEquals(metrics.get("test").get("accuracy").asDouble(), evaluated.get("accuracy").asDouble(), 1e-12);
    assertEquals(metrics.get("test").get("rows").asDouble(), evaluated.get("rows").asDouble());

    TrainedModel model = ModelFiles.load(jsc.hadoopConfiguration(), run.resolve("model").toString());
    assertTrue(Scoring.read(jsc, model, testRows.toString(), ',', null, true).sparse(),
        "a model trained sparse scores LibSVM rows as CSR, never densified");

    Path predictions = dir.resolve("predictions.csv");
    CliRunner p = CliRunner.run("predict", "--model", run.toString(), "--input", testRows.toString(), "--output",
        predictions.toString());
    assertEquals(0, p.code(), p.err());
    List<String> rows = Files.readAllLines(predictions);
    assertEquals("label,prediction", rows.get(0));
    assertEquals(Files.readAllLines(testRows).size() + 1, rows.size());
    List<String> inputs = Files.readAllLines(testRows);
    for (int r = 1; r < rows.size(); r++) { // a softmax model's prediction column is its first class's probability
      String[] c = rows.get(r).split(",");
      assertEquals(Double.parseDouble(inputs.get(r - 1).split(" ")[0]), Double.parseDouble(c[0]), "row " + r);
      double p0 = Double.parseDouble(c[1]);
      assertTrue(p0 >= 0 && p0 <= 1, rows.get(r));
    }

    // A model trained from the CSV (dense, centered) reads the same LibSVM rows densely and scores as on the CSV.
    Path csvRun = dir.resolve("digits-csv");
    JsonNode csvMetrics = train("jobs/digits.conf", csvRun, "training.epochs=2");
    CliRunner d = CliRunner.run("evaluate", "--model", csvRun.toString(), "--input", testRows.toString(),
        "--format", "libsvm", "--output", dir.resolve("eval-dense.json").toString());
    assertEquals(0, d.code(), d.err());
    assertEquals(csvMetrics.get("test").get("accuracy").asDouble(),
        new ObjectMapper().readTree(dir.resolve("eval-dense.json").toFile()).get("accuracy").asDouble(), 1e-12);

    Path bad = dir.resolve("bad.svm");
    Files.write(bad, List.of("1 3:1 2:4"));
    CliRunner b = CliRunner.run("evaluate", "--model", run.toString(), "--input", bad.toString(), "--output",
        dir.resolve("bad.json").toString());
    assertEquals(3, b.code(), b.err());
    assertTrue(b.err().contains("bad.svm:1, column 'f2': feature indices must be ascending"), b.err());
    CliRunner f = CliRunner.run("evaluate", "--model", run.toString(), "--input", bad.toString(), "--format", "xml");
    assertEquals(2, f.code(), f.err());
    assertTrue(f.err().contains("--format must be csv, libsvm or auto"), f.err());
  }
}
