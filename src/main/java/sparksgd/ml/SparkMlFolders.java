package sparksgd.ml;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import sparksgd.data.FeatureStats;
import sparksgd.store.HadoopFiles;
import sparksgd.store.Json;
import sparksgd.store.StoreException;
import sparksgd.train.ModelFiles;
import sparksgd.train.TrainedModel;

/**
 * The spark-sgd model a folder written by Spark ML holds, for the CLI's {@code predict --model} and
 * {@code evaluate --model}, which score CSV columns by name. Reads Spark ML's {@code metadata/} JSON
 * directly (no Spark job). Accepted:
 *
 * <ul>
 *   <li>a saved {@link SgdRegressionModel} / {@link SgdClassificationModel} (its {@code data/} is a CLI
 *       model folder);
 *   <li>a saved {@code PipelineModel} whose stages are a {@code VectorAssembler} and then one of those
 *       models reading the assembler's output: the model's inputs are the assembler's input columns,
 *       in order (or the model alone);
 *   <li>a saved {@code CrossValidatorModel} / {@code TrainValidationSplitModel} whose best model is one
 *       of the above.
 * </ul>
 *
 * Any other stage (a scaler, an indexer...) computes something the CLI cannot repeat, so such a folder
 * is refused, naming the stage. A folder without {@code metadata/} is a CLI model folder.
 */
public final class SparkMlFolders {
  /** What {@code --model} accepts, for error messages. */
  public static final String ACCEPTED = "--model accepts a spark-sgd model folder, a saved SgdRegressionModel or "
      + "SgdClassificationModel, a PipelineModel of a VectorAssembler followed by one of those, or a "
      + "CrossValidatorModel/TrainValidationSplitModel whose best model is one of these";
  private static final String ASSEMBLER = "org.apache.spark.ml.feature.VectorAssembler";
  private static final long MAX_METADATA_BYTES = 16L << 20;

  private SparkMlFolders() {}

  /** The model in {@code dir}; a {@link StoreException} names what is wrong. */
  public static TrainedModel load(Configuration conf, String dir) {
    Path p = HadoopFiles.path(dir);
    if (!HadoopFiles.exists(conf, new Path(p, ModelIo.METADATA))) {
      return ModelFiles.load(conf, dir);
    }
    return resolve(conf, p);
  }

  private static TrainedModel resolve(Configuration conf, Path dir) {
    JsonNode md = metadata(conf, dir);
    String cls = md.path("class").asText();
    if (isOurModel(cls)) {
      return ModelFiles.load(conf, new Path(dir, ModelIo.DATA).toString());
    }
    switch (cls) {
      case "org.apache.spark.ml.PipelineModel":
        return pipeline(conf, dir, md);
      case "org.apache.spark.ml.tuning.CrossValidatorModel":
      case "org.apache.spark.ml.tuning.TrainValidationSplitModel":
        return resolve(conf, new Path(dir, "bestModel"));
      default:
        throw new StoreException(dir + " holds a Spark ML " + cls + "; " + ACCEPTED);
    }
  }

  private static boolean isOurModel(String cls) {
    return cls.equals(SgdRegressionModel.class.getName()) || cls.equals(SgdClassificationModel.class.getName());
  }

  private static TrainedModel pipeline(Configuration conf, Path dir, JsonNode md) {
    List<Path> stages = new ArrayList<>();
    List<JsonNode> metas = new ArrayList<>();
    for (JsonNode uid : param(md, "stageUids")) {
      Path stage = stageDir(conf, dir, uid.asText());
      stages.add(stage);
      metas.add(metadata(conf, stage));
    }
    List<String> classes = metas.stream().map(m -> m.path("class").asText()).toList();
    boolean alone = classes.size() == 1 && isOurModel(classes.get(0));
    boolean assembled = classes.size() == 2 && classes.get(0).equals(ASSEMBLER) && isOurModel(classes.get(1));
    if (!alone && !assembled) {
      throw new StoreException(dir + " is a PipelineModel of " + classes + "; " + ACCEPTED);
    }
    TrainedModel model = ModelFiles.load(conf, new Path(stages.get(stages.size() - 1), ModelIo.DATA).toString());
    if (alone) {
      return model;
    }
    JsonNode assembler = metas.get(0);
    String output = param(assembler, "outputCol").asText();
    String features = param(metas.get(1), "featuresCol").asText();
    if (!output.equals(features)) {
      throw new StoreException(dir + ": the VectorAssembler writes column " + output + " but the model reads "
          + features + "; " + ACCEPTED);
    }
    List<String> inputs = new ArrayList<>();
    for (JsonNode c : param(assembler, "inputCols")) {
      inputs.add(c.asText());
    }
    if (inputs.size() != model.features().size()) {
      throw new StoreException(dir + ": the VectorAssembler has " + inputs.size() + " input columns but the model "
          + model.features().size() + " inputs (an input column is a vector?); the CLI reads one number per column");
    }
    return renamed(model, inputs);
  }

  /** The model reading its inputs from columns {@code names} (in order). */
  private static TrainedModel renamed(TrainedModel m, List<String> names) {
    FeatureStats s = m.stats();
    List<String> all = new ArrayList<>(names);
    all.add(s.names().get(s.names().size() - 1)); // the label's statistics stay last
    FeatureStats stats = new FeatureStats(List.copyOf(all), s.count(), s.mean(), s.std(), s.min(), s.max(),
        s.normalization(), s.normalizeLabel(), s.centered()); // a sparse model's stay uncentered
    return new TrainedModel(m.model(), m.loss(), m.params(), stats, List.copyOf(names), m.label());
  }

  /** Spark ML names a stage's folder {@code <index>_<uid>} (the index zero-padded). */
  private static Path stageDir(Configuration conf, Path pipeline, String uid) {
    for (FileStatus s : HadoopFiles.list(conf, new Path(pipeline, "stages"))) {
      String name = s.getPath().getName();
      if (s.isDirectory() && name.endsWith("_" + uid) && name.substring(0, name.length() - uid.length() - 1)
          .chars().allMatch(Character::isDigit)) {
        return s.getPath();
      }
    }
    throw new StoreException(pipeline + ": no stages/<index>_" + uid + " folder for a stage the metadata lists");
  }

  /** A Param's saved value, else its saved default (a missing node when neither). */
  private static JsonNode param(JsonNode md, String name) {
    JsonNode v = md.path("paramMap").path(name);
    return v.isMissingNode() ? md.path("defaultParamMap").path(name) : v;
  }

  /**
   * The one-line JSON of {@code dir/metadata}: a folder of text part files as Spark writes it, or a
   * single file (Spark Connect's local saving mode).
   */
  private static JsonNode metadata(Configuration conf, Path dir) {
    Path m = new Path(dir, ModelIo.METADATA);
    if (!HadoopFiles.exists(conf, m)) {
      throw new StoreException(dir + " has no Spark ML metadata; " + ACCEPTED);
    }
    List<Path> files = new ArrayList<>();
    if (HadoopFiles.isDirectory(conf, m)) {
      for (FileStatus s : HadoopFiles.list(conf, m)) {
        if (s.getPath().getName().startsWith("part-")) {
          files.add(s.getPath());
        }
      }
    } else {
      files.add(m);
    }
    for (Path f : files) {
      String text = new String(HadoopFiles.readAllBytes(conf, f, MAX_METADATA_BYTES), StandardCharsets.UTF_8).strip();
      if (!text.isEmpty()) {
        JsonNode md = Json.parse(text.lines().findFirst().orElseThrow().getBytes(StandardCharsets.UTF_8),
            f.toString());
        if (!md.path("class").isTextual()) {
          throw new StoreException(f + ": Spark ML metadata without a class name");
        }
        return md;
      }
    }
    throw new StoreException(m + " holds no metadata line");
  }
}
