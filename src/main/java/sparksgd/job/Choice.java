package sparksgd.job;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import sparksgd.model.ConfigNames;

/**
 * A job key whose value is one of a fixed set: the allowed values are the enum's constants (their
 * {@code toString()} is the config name), listed nowhere else. The error names the key and every allowed
 * value: {@code config key 'model.type': must be one of linear | mlp (got 'mpl')}.
 */
public final class Choice {
  private Choice() {}

  /** One of every constant of {@code type}. */
  public static <E extends Enum<E>> E parse(String key, String value, Class<E> type) {
    return parse(key, value, Arrays.asList(type.getEnumConstants()));
  }

  /** One of {@code allowed} (a subset of an enum's constants, in the order the error lists them). */
  public static <T> T parse(String key, String value, List<T> allowed) {
    T v = ConfigNames.find(allowed, value);
    if (v == null) {
      throw new JobConfigException(key, "must be one of " + ConfigNames.list(allowed, " | ") + " (got '"
          + String.valueOf(value).toLowerCase(Locale.ROOT) + "')");
    }
    return v;
  }
}
