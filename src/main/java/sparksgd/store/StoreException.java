package sparksgd.store;

/**
 * Every failure of the store package: a damaged or crafted file, a refused shape, a lock held by
 * another run, or an I/O error. Unchecked so it passes through lambdas; the message always names the
 * file or folder concerned and what is wrong, so it can be shown to a user as is.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
