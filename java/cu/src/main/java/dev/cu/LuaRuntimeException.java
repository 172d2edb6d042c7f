package dev.cu;

/**
 * A Lua error raised while running ({@code error(...)}, a failed operation, stack overflow),
 * or a result that cannot be converted. The message carries the chunk name and line.
 */
public class LuaRuntimeException extends LuaException {
  private static final long serialVersionUID = 1L;
  private final String traceback;
  private final transient Object value;

  public LuaRuntimeException(String message, String traceback, Object value, Throwable cause) {
    this(message, traceback, value, cause, null, -1);
  }

  /**
   * A runtime error raised in {@code chunk} (null when unknown) at {@code line} (-1 when
   * unknown): see {@link LuaException#chunk()}.
   */
  public LuaRuntimeException(
      String message, String traceback, Object value, Throwable cause, String chunk, int line) {
    super(message, cause, chunk, line);
    this.traceback = traceback;
    this.value = value;
  }

  /** Lua's stack traceback at the error, or null when none was taken. */
  public String traceback() {
    return traceback;
  }

  /**
   * The Lua error value, converted like a result: a String for {@code error("x")}, a Map for
   * {@code error({code = 7})}; null when it was nil or cannot be converted.
   */
  public Object value() {
    return value;
  }
}
