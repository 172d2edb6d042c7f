package dev.cu;

/** The chunk does not compile. */
public class LuaSyntaxException extends LuaException {
  private static final long serialVersionUID = 1L;
  private final boolean incomplete;

  public LuaSyntaxException(String message, int line, boolean incomplete) {
    this(message, null, line, incomplete);
  }

  /**
   * A syntax error in {@code chunk} (null when unknown) at {@code line} (-1 when unknown).
   */
  public LuaSyntaxException(String message, String chunk, int line, boolean incomplete) {
    super(message, null, chunk, line);
    this.incomplete = incomplete;
  }

  /** The line Lua reported, or -1 if the message names none. */
  @Override
  public int line() {
    return super.line();
  }

  /**
   * True when the chunk ended too early (Lua reports {@code <eof>}): a REPL should read
   * another line and try again.
   */
  public boolean isIncomplete() {
    return incomplete;
  }
}
