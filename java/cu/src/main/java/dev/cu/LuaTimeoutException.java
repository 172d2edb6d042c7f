package dev.cu;

/**
 * The run was stopped: its time, CPU time or instruction limit was reached, or {@link
 * ComputeUnit#interrupt()} was called. Lua code cannot catch this with {@code pcall}.
 */
public class LuaTimeoutException extends LuaException {
  private static final long serialVersionUID = 1L;

  /** Why the run stopped. */
  public enum Reason {
    /** The wall-clock {@code timeLimit}; message {@code time limit exceeded}. */
    TIME_LIMIT,
    /** The {@code instructionLimit}; message {@code instruction limit exceeded}. */
    INSTRUCTION_LIMIT,
    /** {@link ComputeUnit#interrupt()} or {@code close()}; message {@code interrupted}. */
    INTERRUPTED,
    /** The {@code cpuTimeLimit}; message {@code cpu time limit exceeded}. */
    CPU_TIME_LIMIT
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
