package sparksgd.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one lookup of a config name among a fixed set of values (enum constants whose {@code toString()}
 * is their config name): trimmed, case-insensitive. {@code sparksgd.job.Choice} words the failure for a
 * job key; {@link #parse} words it for a programmatic caller.
 */
public final class ConfigNames {
  private ConfigNames() {}

  /** {@code MLP} -> {@code mlp}, {@code GLOROT_UNIFORM} -> {@code glorot-uniform}: an enum constant's config name. */
  public static String of(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The value whose config name is {@code name}, or null. */
  public static <T> T find(List<T> allowed, String name) {
    if (name == null) {
      return null;
    }
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (T v : allowed) {
      if (v.toString().equals(n)) {
        return v;
      }
    }
    return null;
  }

  /** The config names of {@code allowed}, joined by {@code separator}. */
  public static String list(List<?> allowed, String separator) {
    return allowed.stream().map(Object::toString).collect(Collectors.joining(separator));
  }

  /** As {@link #find}; throws "unknown {@code what} 'name'; allowed: a, b, c" when there is none. */
  public static <E extends Enum<E>> E parse(Class<E> type, String what, String name) {
    List<E> all = Arrays.asList(type.getEnumConstants());
    E v = find(all, name);
    if (v == null) {
      throw new IllegalArgumentException("unknown " + what + " '" + name + "'; allowed: " + list(all, ", "));
    }
    return v;
  }
}
