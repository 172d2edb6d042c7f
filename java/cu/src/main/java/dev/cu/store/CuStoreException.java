package dev.cu.store;

/** A table store failed to read or write. */
public class CuStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CuStoreException(String message) {
    super(message);
  }

  public CuStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
