package sparksgd.ml;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;
import sparksgd.store.HadoopFiles;
import sparksgd.store.Json;
import sparksgd.train.ModelFiles;
import sparksgd.train.TrainedModel;

/**
 * Spark ML persistence of the fitted models in Spark ML's standard layout, so Pipeline, CrossValidator
 * and TrainValidationSplit persistence can hold them: {@code metadata/} exactly as Spark's
 * {@link DefaultParamsWriter} writes it (class, uid, timestamp, sparkVersion, paramMap,
 * defaultParamMap), and the model itself under {@code data/} in the CLI's format (model.json + one .npy
 * per tensor), which numpy and {@code predict --model} read.
 *
 * <p>Loading also accepts the layout written before (the CLI's folder with the uid and Params under
 * {@code provenance.spark-ml} of model.json), and any model the CLI's train command saved.
 */
final class ModelIo {
  static final String METADATA = "metadata";
  static final String DATA = "data";

  private ModelIo() {}

  /** Spark ML's writer for a fitted model: data/ first, metadata/ last (a folder with metadata is whole). */
  static MLWriter writer(TrainedModel trained, Params model) {
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        Map<String, Object> ml = new LinkedHashMap<>();
        ml.put("class", model.getClass().getName());
        ml.put("uid", model.uid()); // the Params are in ../metadata
        ModelFiles.save(sc().hadoopConfiguration(), new Path(path, DATA).toString(), trained, Map.of("spark-ml", ml));
        DefaultParamsWriter.saveMetadata(model, path, sparkSession());
      }
    };
  }

  /** What a reader hands to the model's constructor. */
  record Loaded(TrainedModel trained, String uid) {}

  /**
   * Spark ML's reader of a fitted model of class {@code type}: {@code make} checks the kind of network
   * and wraps it, then the saved Params are set.
   */
  static <T extends Params> MLReader<T> reader(Class<T> type, String uidPrefix, Function<Loaded, T> make) {
    return new MLReader<>() {
      @Override
      public T load(String path) {
        Configuration conf = sc().hadoopConfiguration();
        if (!HadoopFiles.exists(conf, new Path(path, METADATA))) {
          return loadLegacy(conf, path, uidPrefix, make);
        }
        // Refuses a folder of another class, naming both.
        DefaultParamsReader.Metadata md = DefaultParamsReader.loadMetadata(path, sparkSession(), type.getName());
        T model = make.apply(new Loaded(ModelFiles.load(conf, new Path(path, DATA).toString()), md.uid()));
        md.getAndSetParams(model, Option.empty());
        return model;
      }
    };
  }

  /**
   * Spark ML's reader of an estimator ({@link DefaultParamsReader}), refusing a folder that holds
   * another class before anything is built.
   */
  static <T extends Params> MLReader<T> estimatorReader(Class<T> type) {
    return new MLReader<>() {
      @Override
      public T load(String path) {
        DefaultParamsReader.loadMetadata(path, sparkSession(), type.getName());
        return new DefaultParamsReader<T>().session(sparkSession()).load(path);
      }
    };
  }

  /** The layout written until issue 23 (and by the CLI): model.json at the top, Params in its provenance. */
  @SuppressWarnings("unchecked")
  private static <T extends Params> T loadLegacy(Configuration conf, String path, String uidPrefix,
      Function<Loaded, T> make) {
    TrainedModel trained = ModelFiles.load(conf, path);
    JsonNode ml = Json.readTree(conf, new Path(path, "model.json")).path("provenance").path("spark-ml");
    String uid = ml.hasNonNull("uid") ? ml.get("uid").asText() : Identifiable$.MODULE$.randomUID(uidPrefix);
    T model = make.apply(new Loaded(trained, uid));
    ml.path("params").fields().forEachRemaining(e -> { // each in Spark's JSON encoding of the Param's type
      if (model.hasParam(e.getKey())) {
        Param<Object> p = (Param<Object>) model.getParam(e.getKey());
        model.set(p, p.jsonDecode(e.getValue().asText()));
      }
    });
    return model;
  }
}
