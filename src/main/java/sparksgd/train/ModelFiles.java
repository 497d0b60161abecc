package sparksgd.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import sparksgd.data.CategoricalEncoder;
import sparksgd.data.FeatureNames;
import sparksgd.data.FeatureStats;
import sparksgd.model.Blas;
import sparksgd.model.Loss;
import sparksgd.model.Losses;
import sparksgd.model.Mlp;
import sparksgd.model.ParamLayout;
import sparksgd.model.Precision;
import sparksgd.store.HadoopFiles;
import sparksgd.store.Npy;
import sparksgd.store.StatsFiles;
import sparksgd.store.StoreException;

/**
 * A trained model's folder on any Hadoop filesystem: {@code model.json} (architecture, loss, feature
 * names, label, normalization statistics, tensor list, provenance; over {@link FeatureStats#WIDE_FEATURES}
 * features the names by pattern and the statistics' arrays in {@code stats-features.npy}, see
 * {@link StatsFiles}) and one {@code .npy} per tensor
 * ({@code W1.npy}, {@code b1.npy}, ...; {@code W} shaped [fan_in, fan_out]) that {@code numpy.load}
 * reads. The folder is published atomically. Loading never runs code: JSON and raw doubles only, and
 * every array's shape is checked against the architecture before anything is allocated.
 */
public final class ModelFiles {
  public static final String FORMAT = "spark-sgd-model";
  public static final int VERSION = 1;
  /** Refuse architectures whose parameter count is beyond any sane model (a crafted file). */
  static final long MAX_PARAMS = 1L << 28;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long MAX_JSON_BYTES = 16L << 20;

  private ModelFiles() {}

  public static void save(Configuration conf, String uri, TrainedModel m, Map<String, Object> provenance) {
    if (!(m.model() instanceof Mlp mlp)) {
      throw new IllegalArgumentException("only Mlp models can be saved");
    }
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.set("model", MAPPER.valueToTree(mlp.describe()));
    root.put("loss", m.loss().name());
    // Wide models name their features by pattern and keep the statistics' arrays in stats-features.npy.
    root.set("features", m.stats().wide() ? FeatureNames.toJson(m.features()) : MAPPER.valueToTree(m.features()));
    root.put("label", m.label());
    root.putNull("normalization"); // keeps its place; set once the sidecar is written
    ArrayNode tensors = root.putArray("tensors");
    for (ParamLayout.Tensor t : mlp.layout().tensors()) {
      ObjectNode o = tensors.addObject();
      o.put("name", t.name());
      o.put("file", t.name() + ".npy");
      o.set("shape", MAPPER.valueToTree(t.shape()));
    }
    ObjectNode prov = root.putObject("provenance");
    prov.put("created", Instant.now().toString());
    prov.put("blas", Blas.describe());
    provenance.forEach((k, v) -> prov.set(k, MAPPER.valueToTree(v)));
    HadoopFiles.publishDirectory(conf, HadoopFiles.path(uri), tmp -> {
      root.set("normalization", StatsFiles.write(conf, tmp, m.stats()));
      byte[] json = (MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
          .getBytes(StandardCharsets.UTF_8);
      for (ParamLayout.Tensor t : mlp.layout().tensors()) {
        double[] values = java.util.Arrays.copyOfRange(m.params(), t.offset(), t.offset() + t.size());
        long[] shape = java.util.Arrays.stream(t.shape()).asLongStream().toArray();
        Npy.write(conf, new Path(tmp, t.name() + ".npy"), values, shape, mlp.precision());
      }
      if (m.encoding() != null) { // categorical columns: predict applies the same encoding
        HadoopFiles.writeBytesAtomically(conf, new Path(tmp, CategoricalEncoder.FILE), CategoricalFiles.bytes(m.encoding()));
      }
      HadoopFiles.writeBytesAtomically(conf, new Path(tmp, "model.json"), json);
    });
  }

  public static TrainedModel load(Configuration conf, String uri) {
    Path dir = HadoopFiles.path(uri);
    Path jsonPath = new Path(dir, "model.json");
    if (!HadoopFiles.exists(conf, jsonPath)) {
      throw new StoreException(uri + " is not a spark-sgd model folder (no model.json)");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(HadoopFiles.readAllBytes(conf, jsonPath, MAX_JSON_BYTES));
    } catch (IOException e) {
      throw new StoreException(jsonPath + ": not valid JSON: " + e.getMessage());
    }
    if (!FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != VERSION) {
      throw new StoreException(jsonPath + ": not a " + FORMAT + " version " + VERSION + " file");
    }
    Mlp mlp = architecture(root.path("model"), jsonPath);
    int inputs = mlp.inputs();
    Loss loss;
    try {
      loss = Losses.parse(root.path("loss").asText());
    } catch (IllegalArgumentException e) {
      throw new StoreException(jsonPath + ": " + e.getMessage());
    }
    double[] values = new double[mlp.numParams()];
    for (ParamLayout.Tensor t : mlp.layout().tensors()) {
      long[] shape = java.util.Arrays.stream(t.shape()).asLongStream().toArray();
      Path file = new Path(dir, t.name() + ".npy");
      double[] a = Npy.read(conf, file, shape);
      sparksgd.store.FiniteValues.require(a, file.toString());
      System.arraycopy(a, 0, values, t.offset(), a.length);
    }
    List<String> features = new ArrayList<>();
    FeatureStats stats;
    try {
      if (root.path("features").isArray()) { // checked against the inputs below
        root.path("features").forEach(f -> features.add(f.asText()));
      } else {
        features.addAll(FeatureNames.fromJson(root.path("features"), inputs));
      }
      stats = StatsFiles.read(conf, dir, root.path("normalization"));
    } catch (IllegalArgumentException e) {
      throw new StoreException(jsonPath + ": " + e.getMessage());
    }
    if (features.size() != inputs || stats.names().size() != inputs + 1) {
      throw new StoreException(jsonPath + ": feature list does not match the model's " + inputs + " inputs");
    }
    CategoricalEncoder encoding = CategoricalFiles.read(conf, new Path(dir, CategoricalEncoder.FILE));
    if (encoding != null && encoding.width() != inputs) {
      throw new StoreException(dir + "/" + CategoricalEncoder.FILE + ": encodes " + encoding.width()
          + " features; the model has " + inputs + " inputs");
    }
    return new TrainedModel(mlp, loss, values, stats, List.copyOf(features), root.path("label").asText(), encoding);
  }

  /** The network {@code model.json}'s "model" object describes, refused when implausible or malformed. */
  private static Mlp architecture(JsonNode spec, Path jsonPath) {
    int inputs = positive(spec, "inputs", jsonPath);
    int outputs = positive(spec, "outputs", jsonPath);
    List<Integer> hidden = new ArrayList<>();
    List<String> activations = new ArrayList<>();
    for (JsonNode h : spec.path("hidden")) {
      hidden.add(h.asInt());
    }
    for (JsonNode a : spec.path("activations")) {
      activations.add(a.asText());
    }
    long params = (long) inputs * (hidden.isEmpty() ? outputs : hidden.get(0));
    int prev = inputs;
    for (int h : hidden) {
      if (h < 1) {
        throw new StoreException(jsonPath + ": bad hidden layer width " + h);
      }
      params += (long) prev * h + h;
      prev = h;
    }
    params += (long) prev * outputs + outputs;
    if (params > MAX_PARAMS || hidden.size() != activations.size()) {
      throw new StoreException(jsonPath + ": implausible architecture (" + params + " parameters)");
    }
    Mlp mlp;
    try {
      mlp = Mlp.of(inputs, hidden, activations, spec.path("initializer").asText("glorot-uniform"), outputs,
          Precision.parse(spec.path("precision").asText("float64")));
    } catch (IllegalArgumentException e) {
      throw new StoreException(jsonPath + ": " + e.getMessage());
    }
    return mlp;
  }

  private static int positive(JsonNode spec, String key, Path file) {
    int v = spec.path(key).asInt(0);
    if (v < 1) {
      throw new StoreException(file + ": model." + key + " must be a positive number");
    }
    return v;
  }
}
