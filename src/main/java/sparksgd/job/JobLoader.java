package sparksgd.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import sparksgd.model.Activation;
import sparksgd.model.ConfigNames;
import sparksgd.model.Initializer;
import sparksgd.model.LossType;
import sparksgd.model.Precision;
import sparksgd.optim.OptimizerType;
import sparksgd.optim.ScheduleType;

/**
 * Turns a HOCON job file plus {@code --set key=value} overrides into a validated {@link JobSpec}.
 * Defaults come from this jar's {@code reference.conf}; a key that is not there is refused with
 * the nearest known key, and every out-of-range value names its key and what is allowed.
 */
public final class JobLoader {
  private static final String MARKER = "spark-sgd-defaults";
  /** The activations a job may name (identity is the output layer's, never a hidden layer's). */
  private static final List<Activation> HIDDEN_ACTIVATIONS = 
      List.of(Activation.RELU, Activation.TANH, Activation.SIGMOID);


  private JobLoader() {}

  /** The defaults shipped in the jar. */
  public static Config defaults() {
    try {
      Enumeration<URL> urls = JobLoader.class.getClassLoader().getResources("reference.conf");
      for (URL url : Collections.list(urls)) {
        Config c = ConfigFactory.parseURL(url);
        if (c.hasPath(MARKER)) {
          return c;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read spark-sgd's reference.conf", e);
    }
    throw new IllegalStateException("spark-sgd's reference.conf is not on the classpath");
  }

  /** Parses job text (HOCON) with overrides; {@code origin} names the file in error messages. */
  public static JobSpec load(String jobText, String origin, List<String> overrides) {
    return load(jobText, origin, overrides, false);
  }

  /**
   * As {@link #load(String, String, List)}; with {@code foldsValidate} the validation rows come from
   * cross-validation folds (a sweep's trials), so early stopping needs no data.validation-fraction.
   */
  public static JobSpec load(String jobText, String origin, List<String> overrides, boolean foldsValidate) {
    return load(jobText, origin, overrides, foldsValidate, w -> { });
  }

  /** As above; {@code warn} hears of every {@code include} that found nothing (HOCON ignores those). */
  public static JobSpec load(String jobText, String origin, List<String> overrides, boolean foldsValidate,
      java.util.function.Consumer<String> warn) {
    Config user;
    try {
      java.io.File file = origin == null ? null : new java.io.File(origin);
      ConfigParseOptions options = ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false)
          .setIncluder(new MissingIncludeWarner(origin, warn));
      // A local job file is parsed as a file, so `include "other.conf"` resolves beside it.
      user = jobText == null ? ConfigFactory.empty()
          : file != null && file.isFile() ? ConfigFactory.parseFile(file, options)
          : ConfigFactory.parseString(jobText, options.setOriginDescription(origin));
    } catch (ConfigException e) {
      throw new JobConfigException(null, "cannot parse job file: " + e.getMessage());
    }
    for (String o : overrides) {
      user = parseOverride(o).withFallback(user);
    }
    Config defaults = defaults();
    checkKnownKeys(user, defaults);
    Config resolved;
    try {
      resolved = user.withFallback(defaults).resolve();
    } catch (ConfigException e) {
      throw new JobConfigException(null, e.getMessage());
    }
    String name = origin == null ? "job" : baseName(origin);
    return fromConfig(resolved, name, foldsValidate);
  }

  /** A {@code key=value} override; the value is HOCON ({@code [64,64]}, {@code 0.1}) or a plain string. */
  static Config parseOverride(String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new JobConfigException(null, "--set takes key=value (got '" + assignment + "')");
    }
    String key = assignment.substring(0, eq).trim();
    String value = assignment.substring(eq + 1).trim();
    try {
      ConfigFactory.parseString("k = " + value); // validates key-independent syntax first
      Config c = ConfigFactory.parseString("\"__v\" = " + value);
      return ConfigFactory.empty().withValue(key, c.getValue("\"__v\""));
    } catch (ConfigException e) {
      try {
        return ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(value));
      } catch (ConfigException bad) {
        throw new JobConfigException(key, "is not a valid key");
      }
    }
  }

  static void checkKnownKeys(Config user, Config defaults) {
    Set<String> known = leafPaths(defaults);
    for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
      String key = e.getKey();
      if (known.contains(key) || key.startsWith("spark.conf.") || key.equals(MARKER)) {
        continue;
      }
      // A value given where the defaults have a list or object default is also fine.
      if (isUnderKnownList(key, defaults)) {
        continue;
      }
      throw new JobConfigException(key, "unknown key" + nearest(key, known));
    }
  }

  private static boolean isUnderKnownList(String key, Config defaults) {
    String k = key;
    while (k.contains(".")) {
      k = k.substring(0, k.lastIndexOf('.'));
      if (defaults.hasPathOrNull(k) && defaults.getValue(k).valueType() == ConfigValueType.LIST) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> leafPaths(Config c) {
    Set<String> keys = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
      keys.add(e.getKey());
    }
    // entrySet() skips null values; add them from the object tree.
    addNullLeaves(c.root(), "", keys);
    return keys;
  }

  private static void addNullLeaves(com.typesafe.config.ConfigObject obj, String prefix, Set<String> out) {
    for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue().valueType() == ConfigValueType.NULL) {
        out.add(path);
      } else if (e.getValue() instanceof com.typesafe.config.ConfigObject child) {
        addNullLeaves(child, path, out);
      }
    }
  }

  static String nearest(String key, Set<String> known) {
    String best = null;
    int bestD = Integer.MAX_VALUE;
    for (String k : known) {
      int d = levenshtein(key, k);
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    return best != null && bestD <= Math.max(3, key.length() / 2) ? " (did you mean '" + best + "'?)" : "";
  }

  static int levenshtein(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static JobSpec fromConfig(Config c, String name, boolean foldsValidate) {
    ConfigReader r = new ConfigReader(c);
    DataSpec data = data(r);
    ModelSpec model = model(r, c, data);
    OptimizerSpec opt = optimizer(r);
    TrainingSpec training = training(r, model, data, foldsValidate);
    String rendered = c.withoutPath(MARKER).root()
        .render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false));
    return new JobSpec(data, model, opt, training, spark(r, c), cv(r), checkpoint(r), name, rendered);
  }

  private static DataSpec data(ConfigReader r) {
    String train = r.optionalString("data.train");
    if (train == null || train.isBlank()) {
      throw new JobConfigException("data.train", "is required: a file, directory, Hadoop URI or builtin:NAME");
    }
    String label = r.optionalString("data.label");
    if (label == null || label.isBlank()) {
      throw new JobConfigException("data.label", "is required: the name of the label column");
    }
    String test = r.optionalString("data.test");
    double testFraction = r.inRange("data.test-fraction", 0, 1, false);
    double validationFraction = r.inRange("data.validation-fraction", 0, 1, false);
    if (testFraction + validationFraction >= 1) {
      throw new JobConfigException("data.validation-fraction",
          "data.test-fraction + data.validation-fraction must be < 1");
    }
    String delimiter = r.string("data.delimiter");
    if (delimiter.length() != 1 || delimiter.charAt(0) == '"' || Character.isDigit(delimiter.charAt(0))) {
      throw new JobConfigException("data.delimiter", "must be one character, not a digit or quote (got '" + delimiter + "')");
    }
    String storage = r.string("data.storage-level").toUpperCase(java.util.Locale.ROOT);
    Set<String> levels = Set.of("MEMORY_ONLY", "MEMORY_AND_DISK", "MEMORY_ONLY_SER", "MEMORY_AND_DISK_SER", "DISK_ONLY");
    if (!levels.contains(storage)) {
      throw new JobConfigException("data.storage-level", "must be one of " + String.join(" | ", new TreeSet<>(levels)));
    }
    DataSpec spec = new DataSpec(train, test, testFraction, validationFraction, label,
        r.stringList("data.features"), r.stringList("data.drop"),
        r.choice("data.normalize", DataSpec.Normalization.class),
        r.bool("data.normalize-label"), r.choice("data.format", DataSpec.Format.class),
        delimiter, r.bool("data.header"), r.stringList("data.columns"), r.intAtLeast("data.num-features", 0),
        r.intAtLeast("data.block-rows", 0), storage, labelKind(r),
        r.choice("data.representation", DataSpec.Representation.class), weightColumn(r, label),
        r.stringList("data.categorical"), r.intAtLeast("data.hash-bits", 0));
    CategoricalConfig.check(spec);
    return spec;
  }

  private static ModelSpec model(ConfigReader r, Config c, DataSpec data) {
    ModelSpec.Type type = r.choice("model.type", ModelSpec.Type.class);
    List<Integer> hidden = r.positiveIntList("model.hidden");
    if (type == ModelSpec.Type.MLP && hidden.isEmpty()) {
      throw new JobConfigException("model.hidden", "must list at least one hidden layer width for model.type = mlp, e.g. [64, 64]");
    }
    if (type == ModelSpec.Type.LINEAR && !hidden.isEmpty()) {
      throw new JobConfigException("model.hidden", "must be empty for model.type = linear (use model.type = mlp)");
    }
    ModelSpec model = new ModelSpec(type, hidden, activations(r, hidden.size()),
        r.choice("model.initializer", Initializer.class), r.choice("model.loss", LossType.class),
        r.intAtLeast("model.classes", 0),
        // issue 22: warm start
        blankToNull(r.optionalString("model.init-from")),
        r.choice("data.stats-from", List.of("model", "data")).equals("model"),
        classWeights(c, "model.class-weights"), isBalanced(c, "model.class-weights"));
    if (!model.classification() && (model.balancedClassWeights() || !model.classWeights().isEmpty())) {
      throw new JobConfigException("model.class-weights", "needs model.loss = bce or softmax");
    }
    if (model.classification() && data.normalizeLabel()) {
      throw new JobConfigException("data.normalize-label", "must be false for model.loss = " + model.loss()
          + " (labels are classes)");
    }
    if (model.classes() == 1) {
      throw new JobConfigException("model.classes", "must be 0 (infer) or at least 2");
    }
    return model;
  }

  /** model.activation: one for every hidden layer, or one list entry per layer. */
  private static List<Activation> activations(ConfigReader r, int layers) {
    List<String> given = r.stringList("model.activation");
    if (given.size() != 1 && given.size() != layers) {
      throw new JobConfigException("model.activation",
          "must be one activation or a list with one per hidden layer (" + layers + ")");
    }
    List<Activation> activations = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      activations.add(Choice.parse("model.activation", given.get(given.size() == 1 ? 0 : i), HIDDEN_ACTIVATIONS));
    }
    return List.copyOf(activations);
  }

  private static OptimizerSpec optimizer(ConfigReader r) {
    OptimizerSpec opt = new OptimizerSpec(
        r.choice("optimizer.type", OptimizerType.class),
        r.positive("optimizer.learning-rate"),
        r.inRange("optimizer.momentum", 0, 1, false),
        r.bool("optimizer.nesterov"),
        r.inRange("optimizer.rho", 0, 1, false),
        r.inRange("optimizer.beta1", 0, 1, false),
        r.inRange("optimizer.beta2", 0, 1, false),
        r.positive("optimizer.epsilon"),
        r.atLeast("optimizer.weight-decay", 0),
        r.choice("optimizer.schedule.type", ScheduleType.class),
        r.intAtLeast("optimizer.schedule.every-epochs", 1),
        r.inRange("optimizer.schedule.gamma", 0, 1, true),
        r.atLeast("optimizer.schedule.min-learning-rate", 0),
        // issue 22: elastic-net penalty on weights and global-norm clipping
        r.atLeast("optimizer.l1", 0),
        r.inRange("optimizer.elastic-net", 0, 1, true),
        r.atLeast("optimizer.clip-norm", 0));
    if (opt.scheduleGamma() <= 0) {
      throw new JobConfigException("optimizer.schedule.gamma", "must be in (0, 1]");
    }
    if (OptimizerType.nesterovWithoutMomentum(opt.momentum(), opt.nesterov())) {
      throw new JobConfigException("optimizer.nesterov", "needs optimizer.momentum > 0");
    }
    return opt;
  }

  private static TrainingSpec training(ConfigReader r, ModelSpec model, DataSpec data, boolean foldsValidate) {
    TrainingSpec training = new TrainingSpec(
        r.intAtLeast("training.epochs", 1),
        r.intAtLeast("training.batch-size", 1),
        r.integer("training.seed"),
        r.intAtLeast("training.partitions", 1),
        r.choice("training.engine", TrainingSpec.Engine.class),
        r.duration("training.step-timeout"),
        new TrainingSpec.EarlyStopping(
            r.choice("training.early-stopping.metric",
                List.of("none", "validation-loss", "validation-mae", "validation-accuracy")),
            r.intAtLeast("training.early-stopping.patience", 0),
            r.atLeast("training.early-stopping.min-delta", 0),
            r.bool("training.early-stopping.restore-best")),
        r.choice("training.exchange", TrainingSpec.Exchange.class),
        r.choice("training.precision", Precision.class));
    if (training.exchange() == TrainingSpec.Exchange.ALLREDUCE && training.engine() != TrainingSpec.Engine.GANG
        && training.engine() != TrainingSpec.Engine.AUTO) {
      throw new JobConfigException("training.exchange", "allreduce needs training.engine = gang or auto (the "
          + training.engine() + " engine always sums on the driver); use driver or auto");
    }
    String esMetric = training.earlyStopping().metric();
    if (esMetric.equals(model.classification() ? "validation-mae" : "validation-accuracy")) {
      throw new JobConfigException("training.early-stopping.metric", "'" + esMetric + "' does not fit model.loss = "
          + model.loss() + "; use validation-loss or " + (model.classification() ? "validation-accuracy" : "validation-mae"));
    }
    if (training.earlyStopping().enabled() && data.validationFraction() == 0 && !foldsValidate) {
      throw new JobConfigException("training.early-stopping.metric",
          "needs a validation set: set data.validation-fraction > 0");
    }
    return training;
  }

  private static SparkSpec spark(ConfigReader r, Config c) {
    Map<String, String> sparkConf = new LinkedHashMap<>();
    if (c.hasPath("spark.conf")) {
      for (Map.Entry<String, ConfigValue> e : c.getConfig("spark.conf").entrySet()) {
        sparkConf.put(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped()));
      }
    }
    return new SparkSpec(r.string("spark.master"), r.string("spark.app-name"), sparkConf);
  }

  private static CvSpec cv(ConfigReader r) {
    return new CvSpec(r.intAtLeast("cv.folds", 2), r.bool("cv.shuffle"), r.inRange("cv.smoothing", 0, 1, false),
        r.intAtLeast("cv.skip", 0), r.intAtLeast("cv.parallelism", 0));
  }

  private static CheckpointSpec checkpoint(ConfigReader r) {
    return new CheckpointSpec(r.optionalString("checkpoint.dir"),
        r.intAtLeast("checkpoint.every-epochs", 1), r.intAtLeast("checkpoint.keep-last", 1));
  }

  /**
   * What the loss needs of labels, checked row by row when data is read. A model.loss that is none of
   * the losses is refused with the model section, after the data section's own errors.
   */
  private static DataSpec.LabelKind labelKind(ConfigReader r) {
    LossType loss = ConfigNames.find(List.of(LossType.values()), r.string("model.loss"));
    return loss == LossType.BCE ? DataSpec.LabelKind.BINARY
        : loss == LossType.SOFTMAX ? DataSpec.LabelKind.CLASS : DataSpec.LabelKind.REAL;
  }

  /** data.weight: a column name other than the label's, for a format whose columns have names; or null. */
  private static String weightColumn(ConfigReader r, String label) {
    String w = r.optionalString("data.weight");
    if (w == null) {
      return null;
    }
    if (w.isBlank() || w.equals(label)) {
      throw new JobConfigException("data.weight", "must name a column other than the label (got '" + w + "')");
    }
    if (r.string("data.format").equals("libsvm")) {
      throw new JobConfigException("data.weight", "needs named columns: data.format = csv, whitespace or parquet");
    }
    return w;
  }

  /** model.class-weights = [w0, w1, ...] (finite, >= 0); empty for null or balanced. */
  private static List<Double> classWeights(Config c, String key) {
    if (!c.hasPath(key) || c.getValue(key).valueType() != ConfigValueType.LIST) {
      return List.of();
    }
    List<Double> out = new ArrayList<>();
    try {
      for (Double w : c.getDoubleList(key)) {
        if (!(w >= 0) || w.isInfinite()) {
          throw new JobConfigException(key, "weights must be finite and >= 0 (got " + w + ")");
        }
        out.add(w);
      }
    } catch (ConfigException e) {
      throw new JobConfigException(key, "must be balanced or a list of numbers, e.g. [1, 5]");
    }
    return List.copyOf(out);
  }

  private static boolean isBalanced(Config c, String key) {
    if (!c.hasPath(key) || c.getValue(key).valueType() == ConfigValueType.LIST) {
      return false;
    }
    String v = String.valueOf(c.getValue(key).unwrapped()).trim();
    if (!v.equals("balanced")) {
      throw new JobConfigException(key, "must be balanced or a list of weights, one per class (got '" + v + "')");
    }
    return true;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String baseName(String origin) {
    String n = origin.substring(origin.lastIndexOf('/') + 1);
    return n.endsWith(".conf") ? n.substring(0, n.length() - 5) : n;
  }

  /**
   * Keys whose values differ between two resolved configs, leaving out {@code ignoredPrefixes}
   * (settings that do not change the arithmetic of training, e.g. spark.*, training.epochs).
   */
  public static List<String> differingKeys(String hoconA, String hoconB, List<String> ignoredPrefixes) {
    Config a = ConfigFactory.parseString(hoconA);
    Config b = ConfigFactory.parseString(hoconB);
    Set<String> keys = new TreeSet<>();
    a.entrySet().forEach(e -> keys.add(e.getKey()));
    b.entrySet().forEach(e -> keys.add(e.getKey()));
    // A key missing on one side (a job.conf saved before the key existed) stands at its default.
    Config d = defaults();
    List<String> out = new ArrayList<>();
    for (String k : keys) {
      if (ignoredPrefixes.stream().anyMatch(k::startsWith)) {
        continue;
      }
      Object va = a.hasPath(k) ? a.getValue(k).unwrapped() : d.hasPath(k) ? d.getValue(k).unwrapped() : null;
      Object vb = b.hasPath(k) ? b.getValue(k).unwrapped() : d.hasPath(k) ? d.getValue(k).unwrapped() : null;
      if (!java.util.Objects.equals(va, vb)) {
        out.add(k + " (" + va + " -> " + vb + ")");
      }
    }
    return out;
  }

  /** Reads a job file's text from a local path. */
  public static String readLocal(java.nio.file.Path file) throws IOException {
    try (InputStream in = java.nio.file.Files.newInputStream(file);
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      StringBuilder sb = new StringBuilder();
      char[] buf = new char[8192];
      int n;
      while ((n = reader.read(buf)) > 0) {
        sb.append(buf, 0, n);
      }
      return sb.toString();
    }
  }
}
