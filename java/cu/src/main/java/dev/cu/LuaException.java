package dev.cu;

/**
 * Base of every error a compute unit reports. Unchecked. After any of them the unit that
 * threw it keeps working.
 *
 * <p>An error of the script says where it happened: {@link #chunk()} and {@link #line()}, and
 * for a runtime error the Lua frames at the top of {@link #getStackTrace()} (declaring class
 * {@code lua}, method the Lua function's name, file the chunk name, line the Lua line),
 * followed by the Java frames.
 */
public class LuaException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String chunk;
  private final int line;

  public LuaException(String message) {
    this(message, null, null, -1);
  }

  public LuaException(String message, Throwable cause) {
    this(message, cause, null, -1);
  }

  /**
   * An error at a place of the script.
   *
   * @param chunk the chunk name as Lua's messages show it, or null when unknown
   * @param line the line in that chunk, or -1 when unknown
   */
  public LuaException(String message, Throwable cause, String chunk, int line) {
    super(message, cause);
    this.chunk = chunk;
    this.line = line;
  }

  /**
   * The chunk where the error happened, named as Lua's messages name it ({@code compute}, a
   * name given to {@code execute}, a file name), or null when unknown: for a runtime error
   * the chunk of the innermost Lua function running when it was raised, for a syntax error
   * the chunk that does not compile.
   */
  public String chunk() {
    return chunk;
  }

  /** The line in {@link #chunk()} where the error happened, or -1 when unknown. */
  public int line() {
    return line;
  }
}
