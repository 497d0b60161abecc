package sparksgd.ml;

import org.apache.spark.ml.util.Identifiable$;

/**
 * Spark ML's Scala traits create their Params in the superclass constructor, and every Param asks its
 * owner's {@code uid()} right then, before a Java subclass's fields are set. So our classes set their
 * uid lazily on that first call, from the value a constructor stashed here before calling super.
 */
final class Uids {
  private static final ThreadLocal<String> NEXT = new ThreadLocal<>();

  private Uids() {}

  /** Stashes the uid for the constructor about to run; returns a marker to pass along. */
  static Marker stash(String uid) {
    NEXT.set(uid);
    return Marker.INSTANCE;
  }

  /** The stashed uid (cleared), or a fresh one with {@code prefix}. */
  static String take(String prefix) {
    String u = NEXT.get();
    NEXT.remove();
    return u != null ? u : Identifiable$.MODULE$.randomUID(prefix);
  }

  /** Tells a private constructor that {@link #stash} ran. */
  enum Marker { INSTANCE }
}
