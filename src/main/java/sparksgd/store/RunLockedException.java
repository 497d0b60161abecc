package sparksgd.store;

/** Another live run holds the folder's lock: a known situation the user resolves (exit 2), not a fault. */
public final class RunLockedException extends StoreException {
  private static final long serialVersionUID = 1L;

  public RunLockedException(String message) {
    super(sparksgd.error.ErrorKind.USAGE, message);
  }
}
