package sparksgd.cli;

/** A failure whose message is complete for the user, with its exit code. */
public class UserFacingException extends RuntimeException {
  private final int exitCode;

  public UserFacingException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
