package dev.cu.store;

/**
 * Stored state failed an integrity check: a row or meta record whose CRC32C or HMAC does not
 * match, or whose bytes cannot be decoded. The message names the record (namespace, table id and
 * key in hex for a row). Nothing is returned for such a record; other records stay readable.
 */
public class CuStateException extends CuStoreException {
  private static final long serialVersionUID = 1L;

  public CuStateException(String message) {
    super(message);
  }

  public CuStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
