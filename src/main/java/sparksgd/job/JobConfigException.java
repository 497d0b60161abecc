package sparksgd.job;

/** A job configuration problem, naming the offending key and what is allowed. Exit code 2. */
public final class JobConfigException extends RuntimeException {
  private final String key;

  public JobConfigException(String key, String message) {
    super(key == null ? message : "config key '" + key + "': " + message);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
