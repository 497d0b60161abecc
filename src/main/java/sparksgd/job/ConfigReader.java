package sparksgd.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;

/** Typed, range-checked reads from a resolved job config; every failure names its key. */
final class ConfigReader {
  private final Config config;

  ConfigReader(Config config) {
    this.config = config;
  }

  boolean isNull(String key) {
    return !config.hasPath(key);
  }

  String string(String key) {
    try {
      return config.getString(key);
    } catch (ConfigException.Missing e) {
      throw new JobConfigException(key, "is required");
    } catch (ConfigException.WrongType e) {
      throw new JobConfigException(key, "must be a string");
    }
  }

  String optionalString(String key) {
    return isNull(key) ? null : string(key);
  }

  /** One of the constants of {@code type} by config name (see {@link Choice}). */
  <E extends Enum<E>> E choice(String key, Class<E> type) {
    return Choice.parse(key, string(key), type);
  }

  /** One of {@code allowed} by config name (see {@link Choice}). */
  <T> T choice(String key, List<T> allowed) {
    return Choice.parse(key, string(key), allowed);
  }

  boolean bool(String key) {
    try {
      return config.getBoolean(key);
    } catch (ConfigException.WrongType e) {
      throw new JobConfigException(key, "must be true or false");
    }
  }

  double number(String key) {
    try {
      double v = config.getDouble(key);
      if (!Double.isFinite(v)) {
        throw new JobConfigException(key, "must be a finite number");
      }
      return v;
    } catch (ConfigException.Missing e) {
      throw new JobConfigException(key, "is required");
    } catch (ConfigException.WrongType e) {
      throw new JobConfigException(key, "must be a number (got " + describe(key) + ")");
    }
  }

  long integer(String key) {
    try {
      return config.getLong(key);
    } catch (ConfigException.Missing e) {
      throw new JobConfigException(key, "is required");
    } catch (ConfigException.WrongType e) {
      throw new JobConfigException(key, "must be a whole number (got " + describe(key) + ")");
    }
  }

  int intAtLeast(String key, long min) {
    long v = integer(key);
    if (v < min || v > Integer.MAX_VALUE) {
      throw new JobConfigException(key, "must be a whole number >= " + min + " (got " + v + ")");
    }
    return (int) v;
  }

  double positive(String key) {
    double v = number(key);
    if (!(v > 0)) {
      throw new JobConfigException(key, "must be > 0 (got " + v + ")");
    }
    return v;
  }

  double atLeast(String key, double min) {
    double v = number(key);
    if (v < min) {
      throw new JobConfigException(key, "must be >= " + min + " (got " + v + ")");
    }
    return v;
  }

  /** A number in [lo, hi) (hiInclusive=false) or [lo, hi]. */
  double inRange(String key, double lo, double hi, boolean hiInclusive) {
    double v = number(key);
    boolean ok = v >= lo && (hiInclusive ? v <= hi : v < hi);
    if (!ok) {
      throw new JobConfigException(key, "must be in [" + lo + ", " + hi + (hiInclusive ? "]" : ")") + " (got " + v + ")");
    }
    return v;
  }

  java.time.Duration duration(String key) {
    try {
      java.time.Duration d = config.getDuration(key);
      if (d.isNegative() || d.isZero()) {
        throw new JobConfigException(key, "must be a positive duration, e.g. 120s (got " + describe(key) + ")");
      }
      return d;
    } catch (ConfigException.BadValue | ConfigException.WrongType e) {
      throw new JobConfigException(key, "must be a duration, e.g. 120s or 2m (got " + describe(key) + ")");
    }
  }

  List<String> stringList(String key) {
    if (isNull(key)) {
      return List.of();
    }
    if (config.getValue(key).valueType() == ConfigValueType.STRING) {
      return List.of(config.getString(key));
    }
    try {
      return List.copyOf(config.getStringList(key));
    } catch (ConfigException.WrongType e) {
      throw new JobConfigException(key, "must be a list of strings");
    }
  }

  List<Integer> positiveIntList(String key) {
    List<Integer> out = new ArrayList<>();
    try {
      for (Number n : config.getNumberList(key)) {
        if (n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 1 || n.longValue() > 1_000_000) {
          throw new JobConfigException(key, "must be a list of whole numbers from 1 to 1000000 (got " + n + ")");
        }
        out.add(n.intValue());
      }
    } catch (ConfigException.WrongType e) {
      throw new JobConfigException(key, "must be a list of whole numbers, e.g. [64, 64]");
    }
    return List.copyOf(out);
  }

  private String describe(String key) {
    try {
      return config.getValue(key).render();
    } catch (RuntimeException e) {
      return "?";
    }
  }
}
