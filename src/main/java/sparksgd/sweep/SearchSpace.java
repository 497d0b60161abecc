package sparksgd.sweep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import sparksgd.job.JobConfigException;

/**
 * The axes of a sweep: a list is a grid axis (its values rendered as HOCON), an object
 * {@code {min, max, scale = log|linear, integer}} is a range for random search. Axes are ordered by
 * key, and trials are "key=value" override lists that the job loader validates like any --set.
 */
public final class SearchSpace {
  /** One axis: either discrete values or a numeric range. */
  record Axis(String key, List<String> values, double min, double max, boolean log, boolean integer) {
    boolean isRange() {
      return values == null;
    }

    String sample(SplittableRandom r) {
      if (!isRange()) {
        return values.get(r.nextInt(values.size()));
      }
      double u = r.nextDouble();
      double v = log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
      return integer ? Long.toString(Math.round(v)) : Double.toString(v);
    }
  }

  private final List<Axis> axes;

  private SearchSpace(List<Axis> axes) {
    this.axes = axes;
  }

  /**
   * Axes from a {@code space} section. Keys may be nested ({@code optimizer { learning-rate = [...] } })
   * or quoted paths ({@code "optimizer.learning-rate" = [...]}); an object with {@code min} and
   * {@code max} is a range, any other object is a level of nesting.
   */
  public static SearchSpace of(Config space) {
    Map<String, Axis> sorted = new TreeMap<>();
    collect(space.root(), "", sorted);
    if (sorted.isEmpty()) {
      throw new JobConfigException("space", "must name at least one job key to search");
    }
    return new SearchSpace(List.copyOf(sorted.values()));
  }

  private static void collect(ConfigObject obj, String prefix, Map<String, Axis> out) {
    for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      String path = "space." + key;
      ConfigValue v = e.getValue();
      if (v.valueType() == ConfigValueType.LIST) {
        checkKey(path, key);
        List<String> values = new ArrayList<>();
        for (ConfigValue item : (ConfigList) v) {
          values.add(item.render(ConfigRenderOptions.concise()));
        }
        if (values.isEmpty()) {
          throw new JobConfigException(path, "must list at least one value");
        }
        out.put(key, new Axis(key, List.copyOf(values), 0, 0, false, false));
      } else if (v.valueType() == ConfigValueType.OBJECT && ((ConfigObject) v).containsKey("min")) {
        checkKey(path, key);
        out.put(key, range(path, key, ((ConfigObject) v).toConfig()));
      } else if (v.valueType() == ConfigValueType.OBJECT) {
        collect((ConfigObject) v, key, out);
      } else {
        throw new JobConfigException(path, "must be a list of values (grid) or { min, max, scale } (random range)");
      }
    }
  }

  private static Axis range(String path, String key, Config r) {
    for (String k : r.root().keySet()) {
      if (!List.of("min", "max", "scale", "integer").contains(k)) {
        throw new JobConfigException(path + "." + k, "unknown range key (allowed: min, max, scale, integer)");
      }
    }
    try {
      double min = r.getDouble("min");
      double max = r.getDouble("max");
      String scale = r.hasPath("scale") ? r.getString("scale") : "linear";
      boolean integer = r.hasPath("integer") && r.getBoolean("integer");
      if (!(min < max) || (!scale.equals("log") && !scale.equals("linear")) || (scale.equals("log") && min <= 0)) {
        throw new JobConfigException(path, "a range needs min < max, scale = log | linear, and min > 0 for log");
      }
      return new Axis(key, null, min, max, scale.equals("log"), integer);
    } catch (com.typesafe.config.ConfigException ce) {
      throw new JobConfigException(path, "a range is { min = ..., max = ..., scale = log | linear, integer = false }");
    }
  }

  /** The searched keys, in trial order. */
  public List<String> keys() {
    return axes.stream().map(Axis::key).toList();
  }

  /**
   * Trials share one cached copy of the data and its fold statistics, so keys that change the data
   * cannot vary between trials (they may be set once, in the base job or in {@code fixed}).
   */
  static void checkKey(String path, String key) {
    if (key.startsWith("data.") || key.equals("training.seed") || key.equals("training.partitions")
        || key.startsWith("spark.")) {
      throw new JobConfigException(path, "cannot vary between trials: every trial shares one cached copy of the "
          + "data (set data.*, training.seed, training.partitions and spark.* in the base job or in fixed)");
    }
  }

  /** Every combination, axes in key order, the last axis varying fastest. */
  public List<List<String>> grid() {
    for (Axis a : axes) {
      if (a.isRange()) {
        throw new JobConfigException("space.\"" + a.key() + "\"", "is a range: use sweep.search = random");
      }
    }
    List<List<String>> out = new ArrayList<>();
    out.add(List.of());
    for (Axis a : axes) {
      List<List<String>> next = new ArrayList<>();
      for (List<String> prefix : out) {
        for (String v : a.values()) {
          List<String> t = new ArrayList<>(prefix);
          t.add(a.key() + "=" + v);
          next.add(List.copyOf(t));
        }
      }
      out = next;
    }
    return out;
  }

  /** {@code trials} seeded random draws (ranges sampled, lists picked uniformly). */
  public List<List<String>> random(int trials, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<List<String>> out = new ArrayList<>();
    for (int t = 0; t < trials; t++) {
      List<String> trial = new ArrayList<>();
      for (Axis a : axes) {
        trial.add(a.key() + "=" + a.sample(r));
      }
      out.add(List.copyOf(trial));
    }
    return out;
  }

  /** The overrides of a trial as a key -> value map for people (leaderboards): strings lose their quotes. */
  static Map<String, String> settings(List<String> overrides) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String o : overrides) {
      int eq = o.indexOf('=');
      String v = o.substring(eq + 1);
      if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
        v = v.substring(1, v.length() - 1);
      }
      m.put(o.substring(0, eq), v);
    }
    return m;
  }
}
