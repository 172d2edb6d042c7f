package dev.cu.codec;

/** Input that is not a valid value in cu's CBOR format. */
public class CborException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CborException(String message) {
    super(message);
  }
}
