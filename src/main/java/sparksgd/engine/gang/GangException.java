package sparksgd.engine.gang;

/** The gang engine cannot go on: a timeout, a failed Spark job, or a task that keeps failing. */
public final class GangException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GangException(String message) {
    super(message);
  }

  public GangException(String message, Throwable cause) {
    super(message, cause);
  }
}
