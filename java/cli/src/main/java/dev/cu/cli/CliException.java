package dev.cu.cli;

/** A failure of the command itself (not of the Lua code), such as a file that cannot be read. */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorKind kind;

  public CliException(ErrorKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public CliException(ErrorKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** How it is reported and which exit code it gives. */
  public ErrorKind kind() {
    return kind;
  }
}
