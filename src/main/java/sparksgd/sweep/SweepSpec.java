package sparksgd.sweep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import sparksgd.job.JobConfigException;
import sparksgd.job.JobSpec;

/**
 * A sweep file: {@code sweep { base, folds, metric, direction, search, trials, seed, parallelism, scheduler,
 * asha }},
 * {@code space { ... }} (the searched keys) and {@code fixed { ... }} (job keys set for every trial).
 *
 * @param metric validation metric the trials are ranked by, e.g. {@code validation-mae}; null = the
 *     model's default (MAE for regression, accuracy for classification)
 * @param direction {@code minimize} or {@code maximize}; null = the metric's natural one
 * @param parallelism trials run at once; 0 = task slots / partitions
 * @param combos the searched settings of each trial, {@code key=value}, in trial order
 * @param scheduler {@code full} (every trial for all its epochs) or {@code asha} (successive halving)
 * @param asha the rungs' settings (used when {@code scheduler = asha})
 */
public record SweepSpec(String baseFile, int folds, String metric, String direction, String search, int trials,
    long seed, int parallelism, SearchSpace space, List<String> fixed, List<List<String>> combos, String hash, String scheduler, AshaSpec asha) {
  static final Set<String> KEYS = new LinkedHashSet<>(
      List.of("base", "folds", "metric", "direction", "search", "trials", "seed", "parallelism", "scheduler", "asha"));
  public static final String FULL = "full";
  public static final String ASHA = "asha";
  static final Set<String> METRICS = Set.of("mae", "mse", "rmse", "r2", "loss", "accuracy", "logloss", "f1");

  public static SweepSpec parse(File file) {
    if (!file.isFile()) {
      throw new JobConfigException(null, "sweep file not found: " + file);
    }
    Config c;
    try {
      c = ConfigFactory.parseFile(file).resolve();
    } catch (ConfigException e) {
      throw new JobConfigException(null, "cannot parse sweep file: " + e.getMessage());
    }
    return parse(c, file.getAbsoluteFile().getParentFile());
  }

  /** {@code dir} resolves a relative {@code sweep.base}. */
  public static SweepSpec parse(Config c, File dir) {
    for (String k : c.root().keySet()) {
      if (!Set.of("sweep", "space", "fixed").contains(k)) {
        throw new JobConfigException(k, "unknown section (a sweep file has sweep, space and fixed)");
      }
    }
    if (!c.hasPath("sweep.base")) {
      throw new JobConfigException("sweep.base", "is required: the job file whose keys the sweep varies");
    }
    for (String k : c.getConfig("sweep").root().keySet()) {
      if (!KEYS.contains(k)) {
        throw new JobConfigException("sweep." + k, "unknown key (allowed: " + String.join(", ", KEYS) + ")");
      }
    }
    String base = string(c, "sweep.base", null);
    File baseFile = new File(base).isAbsolute() ? new File(base) : new File(dir, base);
    int folds = integer(c, "sweep.folds", 4);
    if (folds != 0 && folds < 2) {
      throw new JobConfigException("sweep.folds", "must be 0 (score on data.validation-fraction) or at least 2");
    }
    String metric = string(c, "sweep.metric", null);
    if (metric != null && !METRICS.contains(metric.replaceFirst("^validation-", ""))) {
      throw new JobConfigException("sweep.metric", "must be one of validation-" + String.join(" | validation-",
          METRICS.stream().sorted().toList()) + " (got " + metric + ")");
    }
    String direction = string(c, "sweep.direction", null);
    if (direction != null && !direction.equals("minimize") && !direction.equals("maximize")) {
      throw new JobConfigException("sweep.direction", "must be minimize | maximize (got " + direction + ")");
    }
    String search = string(c, "sweep.search", "grid");
    int trials = integer(c, "sweep.trials", 10);
    if (trials < 1) {
      throw new JobConfigException("sweep.trials", "must be at least 1");
    }
    long seed;
    try {
      seed = c.hasPath("sweep.seed") ? c.getLong("sweep.seed") : 1;
    } catch (ConfigException e) {
      throw new JobConfigException("sweep.seed", "must be an integer");
    }
    int parallelism = integer(c, "sweep.parallelism", 0);
    if (parallelism < 0) {
      throw new JobConfigException("sweep.parallelism", "must be 0 (automatic) or at least 1");
    }
    String scheduler = string(c, "sweep.scheduler", FULL);
    if (!scheduler.equals(FULL) && !scheduler.equals(ASHA)) {
      throw new JobConfigException("sweep.scheduler", "must be full | asha (got " + scheduler + ")");
    }
    AshaSpec asha = AshaSpec.parse(c);
    if (!c.hasPath("space")) {
      throw new JobConfigException("space", "is required: the job keys to search and their values");
    }
    SearchSpace space = SearchSpace.of(c.getConfig("space"));
    List<List<String>> combos = switch (search) {
      case "grid" -> space.grid();
      case "random" -> space.random(trials, seed);
      default -> throw new JobConfigException("sweep.search", "must be grid | random (got " + search + ")");
    };
    List<String> fixed = new ArrayList<>();
    if (c.hasPath("fixed")) {
      for (Map.Entry<String, ConfigValue> e : c.getConfig("fixed").entrySet()) {
        if (space.keys().contains(e.getKey())) {
          throw new JobConfigException("fixed." + e.getKey(), "is also searched in space; keep one of them");
        }
        fixed.add(e.getKey() + "=" + e.getValue().render(ConfigRenderOptions.concise()));
      }
    }
    String hash = JobSpec.sha256(c.root().render(ConfigRenderOptions.concise().setJson(true)));
    return new SweepSpec(baseFile.getPath(), folds, metric, direction, search, trials, seed, parallelism, space,
        List.copyOf(fixed), List.copyOf(combos), hash, scheduler, asha);
  }

  public boolean usesAsha() {
    return ASHA.equals(scheduler);
  }

  /** The overrides of trial {@code i}: the fixed keys, then its searched settings. */
  public List<String> overrides(int i) {
    List<String> o = new ArrayList<>(fixed);
    o.addAll(combos.get(i));
    return o;
  }

  private static String string(Config c, String key, String dflt) {
    try {
      return c.hasPath(key) ? c.getString(key) : dflt;
    } catch (ConfigException e) {
      throw new JobConfigException(key, "must be a string");
    }
  }

  private static int integer(Config c, String key, int dflt) {
    try {
      return c.hasPath(key) ? c.getInt(key) : dflt;
    } catch (ConfigException e) {
      throw new JobConfigException(key, "must be an integer");
    }
  }
}
