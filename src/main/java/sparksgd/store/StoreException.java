package sparksgd.store;

/**
 * Every failure of the store package: a damaged or crafted file, a refused shape, a lock held by
 * another run, or an I/O error. Unchecked so it passes through lambdas; the message always names the
 * file or folder concerned and what is wrong, so it can be shown to a user as is.
 */
public class StoreException extends sparksgd.error.KnownError {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(sparksgd.error.ErrorKind.OTHER, message);
  }

  public StoreException(String message, Throwable cause) {
    super(sparksgd.error.ErrorKind.OTHER, message, cause);
  }

  protected StoreException(sparksgd.error.ErrorKind kind, String message) {
    super(kind, message);
  }
}
