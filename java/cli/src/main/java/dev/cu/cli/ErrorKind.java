package dev.cu.cli;

import dev.cu.LuaMemoryException;
import dev.cu.LuaRuntimeException;
import dev.cu.LuaSyntaxException;
import dev.cu.LuaTimeoutException;
import dev.cu.store.CuStoreException;

/**
 * The kinds of error {@code cu} reports, each with its exit code. On stderr an error reads
 * {@code cu: <kind>: <message>}.
 */
public enum ErrorKind {
  SYNTAX(ExitCode.LUA_ERROR),
  RUNTIME(ExitCode.LUA_ERROR),
  MEMORY(ExitCode.LIMIT),
  TIMEOUT(ExitCode.LIMIT),
  /** The command's output would pass {@code --output-limit}. */
  OUTPUT(ExitCode.LIMIT),
  /** The command's input (the file of {@code cu state import}) passes {@code --input-limit}. */
  INPUT(ExitCode.LIMIT),
  USAGE(ExitCode.USAGE),
  STORAGE(ExitCode.STORAGE);

  private final int exitCode;

  ErrorKind(int exitCode) {
    this.exitCode = exitCode;
  }

  /** The process exit code for this kind. */
  public int exitCode() {
    return exitCode;
  }

  /** The name shown on stderr, e.g. {@code syntax}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The kind of a failure: the Lua exceptions map to their kinds, a {@link CliException} carries
   * its own (also as the cause of a Lua error, e.g. from the print consumer), a store failure (a
   * {@link CuStoreException}, also as the cause of a Lua error) is a storage error, anything else
   * (a result that cannot be converted, a failing output stream) is a runtime error.
   */
  public static ErrorKind of(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CuStoreException) {
        return STORAGE;
      }
    }
    CliException cli = cliCause(t);
    if (cli != null) {
      return cli.kind();
    } else if (t instanceof LuaSyntaxException) {
      return SYNTAX;
    } else if (t instanceof LuaMemoryException) {
      return MEMORY;
    } else if (t instanceof LuaTimeoutException) {
      return TIMEOUT;
    }
    return RUNTIME;
  }

  /**
   * The stderr line for {@code t}: {@code cu: <kind>: <message>}. A table raised with {@code
   * error({...})} is appended as JSON (sharing shown as in {@link JsonFormat}), unless that
   * would pass {@link #MAX_ERROR_VALUE} bytes.
   */
  public static String describe(Throwable t) {
    CliException cli = cliCause(t);
    if (cli != null && of(t) == cli.kind()) {
      t = cli; // the command's own failure, e.g. output past the limit during print
    }
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      message = t.getClass().getSimpleName();
    } else if (message.startsWith("cu: ")) {
      message = message.substring(4); // the library's own prefix, e.g. on a missing libcu
    }
    if (t instanceof LuaRuntimeException e
        && (e.value() instanceof java.util.Map<?, ?> || e.value() instanceof java.util.List<?>)) {
      message += " " + errorValue(e.value());
    }
    return "cu: " + of(t).label() + ": " + message;
  }

  /** Most bytes of JSON an error value may add to the stderr line. */
  static final int MAX_ERROR_VALUE = 64 * 1024;

  /** The JSON of an error value, or a note saying it is too large to show. */
  private static String errorValue(Object value) {
    try {
      return new String(
          JsonFormat.encode(value, false, new OutputLimit(MAX_ERROR_VALUE)),
          java.nio.charset.StandardCharsets.UTF_8);
    } catch (CliException tooLarge) {
      return "(error value not shown: its JSON is longer than " + MAX_ERROR_VALUE + " bytes)";
    }
  }

  /** {@code t} or its first cause that is a {@link CliException}, or null. */
  private static CliException cliCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CliException e) {
        return e;
      }
    }
    return null;
  }
}
