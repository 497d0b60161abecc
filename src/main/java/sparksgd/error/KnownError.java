package sparksgd.error;

/**
 * A failure whose message is complete for the user as it stands, with its {@link ErrorKind}. The
 * exceptions of the lower packages (job, data, store, train) extend it, so a failure is a value the CLI
 * reads instead of a class it has to know.
 */
public class KnownError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorKind kind;

  public KnownError(ErrorKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public KnownError(ErrorKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public ErrorKind kind() {
    return kind;
  }
}
