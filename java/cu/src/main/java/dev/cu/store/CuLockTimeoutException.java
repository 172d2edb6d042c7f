package dev.cu.store;

/**
 * A namespace stayed held by another store, of this process or another, for longer than the
 * lock timeout ({@link LmdbOptions#withLockTimeout}). The message names the holder (process id,
 * host and start time) as it recorded itself in the lock file.
 */
public class CuLockTimeoutException extends CuStoreException {
  private static final long serialVersionUID = 1L;

  private final String holder;

  /**
   * An exception with {@code message}, naming {@code holder} (its line from the lock file, or
   * an empty string).
   */
  public CuLockTimeoutException(String message, String holder) {
    super(message);
    this.holder = holder;
  }

  /**
   * The holder as it described itself ({@code pid=... host=... started=... namespace=...}), or
   * an empty string when it had not written its line yet.
   */
  public String holder() {
    return holder;
  }
}
