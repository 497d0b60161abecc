package sparksgd.ml;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import sparksgd.store.Json;
import sparksgd.train.ModelFiles;
import sparksgd.train.TrainedModel;

/**
 * Spark ML persistence in the CLI's model format (model.json + one .npy per tensor), so a model saved
 * by either side loads in the other. The Spark ML side adds its uid, class and every Param under
 * {@code provenance.spark-ml}; a CLI model has none and gets the default columns.
 */
final class ModelIo {
  private ModelIo() {}

  static void save(Configuration conf, String path, TrainedModel trained, Params model) {
    Map<String, Object> ml = new LinkedHashMap<>();
    ml.put("class", model.getClass().getName());
    ml.put("uid", model.uid());
    Map<String, String> values = new LinkedHashMap<>();
    for (Param<?> p : model.params()) {
      if (model.isDefined(p)) {
        values.put(p.name(), encode(p, model.getOrDefault(p)));
      }
    }
    ml.put("params", values); // each in Spark's own JSON encoding of the Param's type
    ModelFiles.save(conf, path, trained, Map.of("spark-ml", ml));
  }

  /** The trained model and its Spark ML record (a missing node for a model the CLI saved). */
  @SuppressWarnings("unchecked")
  record Loaded(TrainedModel trained, JsonNode ml) {
    String uid(String prefix) {
      return ml.hasNonNull("uid") ? ml.get("uid").asText() : org.apache.spark.ml.util.Identifiable$.MODULE$
          .randomUID(prefix);
    }

    /** Sets the saved Params on {@code target} (those it has). */
    @SuppressWarnings("unchecked")
    <T extends Params> T applyParams(T target) {
      ml.path("params").fields().forEachRemaining(e -> {
        if (target.hasParam(e.getKey())) {
          Param<Object> p = (Param<Object>) target.getParam(e.getKey());
          target.set(p, p.jsonDecode(e.getValue().asText()));
        }
      });
      return target;
    }
  }

  @SuppressWarnings("unchecked")
  private static String encode(Param<?> p, Object value) {
    return ((Param<Object>) p).jsonEncode(value);
  }

  /** Spark ML's writer for a model: this format, through the session's Hadoop configuration. */
  static org.apache.spark.ml.util.MLWriter writer(TrainedModel trained, Params model) {
    return new org.apache.spark.ml.util.MLWriter() {
      @Override
      public void saveImpl(String path) {
        ModelIo.save(sc().hadoopConfiguration(), path, trained, model);
      }
    };
  }

  /** Spark ML's reader: loads, lets {@code make} check the kind and wrap it, then sets the saved Params. */
  static <T extends Params> org.apache.spark.ml.util.MLReader<T> reader(
      java.util.function.Function<Loaded, T> make) {
    return new org.apache.spark.ml.util.MLReader<>() {
      @Override
      public T load(String path) {
        Loaded l = ModelIo.load(sc().hadoopConfiguration(), path);
        return l.applyParams(make.apply(l));
      }
    };
  }

  static Loaded load(Configuration conf, String path) {
    TrainedModel trained = ModelFiles.load(conf, path);
    JsonNode root = Json.readTree(conf, new Path(path, "model.json"));
    return new Loaded(trained, root.path("provenance").path("spark-ml"));
  }
}
