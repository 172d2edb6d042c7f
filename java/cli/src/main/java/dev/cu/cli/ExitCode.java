package dev.cu.cli;

/** The exit codes of the {@code cu} command. */
public final class ExitCode {
  /** The chunk ran to the end. */
  public static final int OK = 0;
  /** The chunk did not compile or raised an error. */
  public static final int LUA_ERROR = 1;
  /** Bad options or arguments, or a file that cannot be read. */
  public static final int USAGE = 2;
  /** A memory or time (or instruction) limit stopped the chunk. */
  public static final int LIMIT = 3;
  /** Reserved for the persistence layer; nothing produces it yet. */
  public static final int STORAGE = 4;

  private ExitCode() {}
}
