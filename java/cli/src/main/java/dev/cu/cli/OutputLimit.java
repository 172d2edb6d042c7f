package dev.cu.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The bytes a command may still write to stdout ({@code --output-limit}). Every write is
 * charged first; the write that would pass the limit fails with an {@code output} error (exit
 * 3) instead. Not thread-safe: one command, one thread.
 */
final class OutputLimit {
  /** No limit. */
  static final long NONE = 0;

  private final long limit;
  private long used;
  private boolean exceeded;

  /** A budget of {@code limit} bytes; 0 means none. */
  OutputLimit(long limit) {
    if (limit < 0) {
      throw new CliException(ErrorKind.USAGE, "--output-limit must be 0 or more");
    }
    this.limit = limit;
  }

  /** An unlimited budget. */
  static OutputLimit unlimited() {
    return new OutputLimit(NONE);
  }

  /**
   * Charges {@code bytes} more.
   *
   * @throws CliException (output, exit 3) when they would pass the limit
   */
  void charge(long bytes) {
    if (limit != NONE && bytes > limit - used) {
      exceeded = true;
    }
    if (exceeded) {
      throw error(); // a new one each time: a close after the failure adds it as suppressed
    }
    used += bytes;
  }

  /**
   * A stream that charges every byte written to it here, then writes it to {@code out}. Flushing
   * and closing it do nothing: {@code out} stays the caller's.
   */
  OutputStream charging(OutputStream out) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        charge(len);
        out.write(b, off, len);
      }
    };
  }

  /**
   * Writes {@code charged} (bytes charged already) and a newline, charging the newline first.
   *
   * @throws CliException (output) when the newline would pass the limit; nothing is written then
   */
  void println(PrintStream out, byte[] charged) {
    charge(1);
    out.write(charged, 0, charged.length);
    out.println();
  }

  /**
   * Fails again if any charge failed, even one whose error the script caught (a {@code print}
   * inside {@code pcall}): output was lost, so the run cannot end well.
   *
   * @throws CliException (output) when the limit was passed
   */
  void check() {
    if (exceeded) {
      throw error();
    }
  }

  private CliException error() {
    return new CliException(
        ErrorKind.OUTPUT, "output exceeds --output-limit of " + limit + " bytes");
  }
}
