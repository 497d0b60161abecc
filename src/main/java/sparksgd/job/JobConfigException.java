package sparksgd.job;

/** A job configuration problem, naming the offending key and what is allowed. Exit code 2. */
public final class JobConfigException extends sparksgd.error.KnownError {
  private final String key;

  public JobConfigException(String key, String message) {
    super(sparksgd.error.ErrorKind.USAGE, key == null ? message : "config key '" + key + "': " + message);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
