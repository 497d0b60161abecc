package sparksgd.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.store.StoreException;
import sparksgd.train.TrainedModel;

/**
 * How the CLI resolves a Spark ML folder, on folders laid out by hand the way Spark writes them (no
 * Spark needed; SparkMlPersistenceTest covers folders Spark itself wrote): what it accepts, and that
 * it refuses the rest naming what is wrong.
 */
class SparkMlFoldersTest {
  static final Path MODEL_FILES = Path.of("src/test/resources/legacy-spark-ml/regression"); // 13 inputs
  static final String REG = SgdRegressionModel.class.getName();
  static final String ASSEMBLER = "org.apache.spark.ml.feature.VectorAssembler";
  final Configuration conf = new Configuration();
  @TempDir
  Path dir;

  /** A stage folder: metadata/part-00000 with one JSON line, plus data/ for our models. */
  static Path stage(Path folder, String cls, String uid, String paramMap, String defaults) throws IOException {
    Files.createDirectories(folder.resolve("metadata"));
    Files.writeString(folder.resolve("metadata/part-00000"), "{\"class\":\"" + cls + "\",\"timestamp\":1,"
        + "\"sparkVersion\":\"4.2.0\",\"uid\":\"" + uid + "\",\"paramMap\":" + paramMap + ",\"defaultParamMap\":"
        + defaults + "}\n");
    Files.createFile(folder.resolve("metadata/_SUCCESS"));
    if (cls.equals(REG)) {
      Files.createDirectories(folder.resolve("data"));
      try (Stream<Path> files = Files.list(MODEL_FILES)) {
        for (Path f : files.toList()) {
          Files.copy(f, folder.resolve("data").resolve(f.getFileName()));
        }
      }
    }
    return folder;
  }

  static Path model(Path folder, String uid) throws IOException {
    return stage(folder, REG, uid, "{}", "{\"featuresCol\":\"features\",\"labelCol\":\"label\"}");
  }

  static String quoted(List<String> names) {
    return names.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(",", "[", "]"));
  }

  static final List<String> INPUTS = List.of("CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE", "DIS", "RAD", "TAX",
      "PTRATIO", "B", "LSTAT");

  /** A PipelineModel folder with the stages given as (class, uid, paramMap) in order. */
  Path pipeline(String name, List<String[]> stages) throws IOException {
    Path p = dir.resolve(name);
    List<String> uids = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      String[] s = stages.get(i);
      uids.add(s[1]);
      Path folder = p.resolve("stages").resolve(i + "_" + s[1]);
      if (s[0].equals(REG)) {
        model(folder, s[1]);
      } else {
        stage(folder, s[0], s[1], s[2], "{}");
      }
    }
    return stage(p, "org.apache.spark.ml.PipelineModel", "pipe", "{\"stageUids\":" + quoted(uids) + "}", "{}");
  }

  static String[] assembler(List<String> inputs, String output) {
    return new String[] {ASSEMBLER, "vecAssembler_1", "{\"inputCols\":" + quoted(inputs) + ",\"outputCol\":\""
        + output + "\"}"};
  }

  String refusal(Path folder) {
    return assertThrows(StoreException.class, () -> SparkMlFolders.load(conf, folder.toString())).getMessage();
  }

  @Test
  void aStageFolderIsItsDataFolder() throws IOException {
    TrainedModel m = SparkMlFolders.load(conf, model(dir.resolve("stage"), "sgdRegModel_1").toString());
    assertEquals(IntStream.rangeClosed(1, 13).mapToObj(j -> "features[" + j + "]").toList(), m.features());
    // Without metadata/ a folder is a CLI model folder.
    assertEquals(m.features(), SparkMlFolders.load(conf, MODEL_FILES.toString()).features());
  }

  @Test
  void aPipelineOfAnAssemblerAndOurModelReadsTheAssemblersColumns() throws IOException {
    Path p = pipeline("pipe", List.of(assembler(INPUTS, "features"), new String[] {REG, "sgdRegModel_1"}));
    TrainedModel m = SparkMlFolders.load(conf, p.toString());
    assertEquals(INPUTS, m.features());
    assertEquals(14, m.stats().names().size());
    assertEquals(INPUTS, m.stats().names().subList(0, 13));
    assertEquals("label", m.label());
    // And the model alone in a pipeline keeps its own names.
    Path alone = pipeline("alone", List.<String[]>of(new String[] {REG, "sgdRegModel_2"}));
    assertEquals("features[1]", SparkMlFolders.load(conf, alone.toString()).features().get(0));
  }

  @Test
  void aTuningModelIsItsBestModel() throws IOException {
    Path cv = dir.resolve("cv");
    stage(cv, "org.apache.spark.ml.tuning.CrossValidatorModel", "cv_1", "{}", "{}");
    pipeline("cv/bestModel", List.of(assembler(INPUTS, "features"), new String[] {REG, "sgdRegModel_1"}));
    assertEquals(INPUTS, SparkMlFolders.load(conf, cv.toString()).features());
  }

  @Test
  void metadataAsOneFileAsSparkConnectSavesLocallyIsRead() throws IOException {
    Path s = model(dir.resolve("local"), "sgdRegModel_1");
    String line = Files.readString(s.resolve("metadata/part-00000"));
    try (Stream<Path> files = Files.list(s.resolve("metadata"))) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(s.resolve("metadata"));
    Files.writeString(s.resolve("metadata"), line);
    assertEquals(13, SparkMlFolders.load(conf, s.toString()).features().size());
  }

  @Test
  void whatTheCliCannotRepeatIsRefusedNamingIt() throws IOException {
    String scaler = refusal(pipeline("scaled", List.of(assembler(INPUTS, "raw"),
        new String[] {"org.apache.spark.ml.feature.StandardScalerModel", "stdScal_1", "{}"},
        new String[] {REG, "sgdRegModel_1"})));
    assertTrue(scaler.contains("StandardScalerModel") && scaler.contains(SparkMlFolders.ACCEPTED), scaler);

    String other = refusal(stage(dir.resolve("lr"), "org.apache.spark.ml.regression.LinearRegressionModel",
        "linReg_1", "{}", "{}"));
    assertTrue(other.contains("LinearRegressionModel") && other.contains(SparkMlFolders.ACCEPTED), other);

    String wired = refusal(pipeline("wired", List.of(assembler(INPUTS, "vec"), new String[] {REG, "sgdRegModel_1"})));
    assertTrue(wired.contains("writes column vec but the model reads features"), wired);

    String count = refusal(pipeline("short", List.of(assembler(INPUTS.subList(0, 12), "features"),
        new String[] {REG, "sgdRegModel_1"})));
    assertTrue(count.contains("12 input columns but the model 13 inputs"), count);

    Path missing = pipeline("missing", List.of(assembler(INPUTS, "features"), new String[] {REG, "sgdRegModel_1"}));
    Files.move(missing.resolve("stages/1_sgdRegModel_1"), missing.resolve("stages/1_other"));
    String gone = refusal(missing);
    assertTrue(gone.contains("no stages/<index>_sgdRegModel_1 folder"), gone);
  }
}
