package dev.cu;

/**
 * Base of every error a compute unit reports. Unchecked. After any of them the unit that
 * threw it keeps working.
 */
public class LuaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LuaException(String message) {
    super(message);
  }

  public LuaException(String message, Throwable cause) {
    super(message, cause);
  }
}
