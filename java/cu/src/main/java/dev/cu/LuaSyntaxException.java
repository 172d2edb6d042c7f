package dev.cu;

/** The chunk does not compile. */
public class LuaSyntaxException extends LuaException {
  private static final long serialVersionUID = 1L;
  private final int line;
  private final boolean incomplete;

  public LuaSyntaxException(String message, int line, boolean incomplete) {
    super(message);
    this.line = line;
    this.incomplete = incomplete;
  }

  /** The line Lua reported, or -1 if the message names none. */
  public int line() {
    return line;
  }

  /**
   * True when the chunk ended too early (Lua reports {@code <eof>}): a REPL should read
   * another line and try again.
   */
  public boolean isIncomplete() {
    return incomplete;
  }
}
