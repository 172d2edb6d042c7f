package dev.cu;

/**
 * The run was stopped: its time or instruction limit was reached, or {@link
 * ComputeUnit#interrupt()} was called. Lua code cannot catch this with {@code pcall}.
 */
public class LuaTimeoutException extends LuaException {
  private static final long serialVersionUID = 1L;

  /** Why the run stopped. */
  public enum Reason {
    TIME_LIMIT,
    INSTRUCTION_LIMIT,
    INTERRUPTED
  }

  private final Reason reason;

  public LuaTimeoutException(String message, Reason reason) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
