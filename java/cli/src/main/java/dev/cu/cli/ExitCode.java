package dev.cu.cli;

/** The exit codes of the {@code cu} command. */
public final class ExitCode {
  /** The chunk ran to the end. */
  public static final int OK = 0;

  /** The chunk did not compile or raised an error. */
  public static final int LUA_ERROR = 1;

  /**
   * Bad input: options or arguments, {@code --input} that is not one strict JSON value, a file
   * that cannot be read, a state name that is malformed or names no state, a {@code --state}
   * folder that does not exist for a {@code cu state} command that reads.
   */
  public static final int USAGE = 2;

  /**
   * A memory, time or instruction limit stopped the chunk, output passed its limit, or the file
   * of {@code cu state import} passed {@code --input-limit}.
   */
  public static final int LIMIT = 3;

  /**
   * The {@code --state} store cannot be opened, read or written, a {@code cu state} command
   * that reads finds no store in the folder, or {@code cu state import} cannot put its new store
   * into a folder where another process made one meanwhile.
   */
  public static final int STORAGE = 4;

  private ExitCode() {}
}
