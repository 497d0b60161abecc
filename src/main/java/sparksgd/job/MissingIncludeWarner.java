package sparksgd.job;

import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigObject;
import java.util.function.Consumer;

/**
 * HOCON silently ignores an {@code include "file.conf"} that finds nothing; a job whose included
 * settings are missing would then run with defaults. This includer does what HOCON's default does and
 * warns, naming the file, when the include brought in nothing.
 */
final class MissingIncludeWarner implements ConfigIncluder {
  private final String origin;
  private final Consumer<String> warn;
  private final ConfigIncluder fallback;

  MissingIncludeWarner(String origin, Consumer<String> warn) {
    this(origin, warn, null);
  }

  private MissingIncludeWarner(String origin, Consumer<String> warn, ConfigIncluder fallback) {
    this.origin = origin;
    this.warn = warn;
    this.fallback = fallback;
  }

  @Override
  public ConfigIncluder withFallback(ConfigIncluder next) {
    return new MissingIncludeWarner(origin, warn, fallback == null ? next : fallback.withFallback(next));
  }

  @Override
  public ConfigObject include(ConfigIncludeContext context, String what) {
    ConfigObject included = fallback.include(context, what);
    if (included.isEmpty()) {
      warn.accept((origin == null ? "job" : "job file " + origin) + ": include \"" + what
          + "\" found no such file (or an empty one); its settings are not applied");
    }
    return included;
  }
}
