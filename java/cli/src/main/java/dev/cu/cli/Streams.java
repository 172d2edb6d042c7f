package dev.cu.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * The standard streams a command uses, and the arguments as the process got them; tests pass
 * in-memory ones.
 *
 * @param out results and print output
 * @param err error messages
 * @param in the chunk for {@code cu run -}
 * @param rawArgs the bytes of each argument as the process received them (see {@link
 *     RawArgs}), or an empty list when unknown
 */
public record Streams(PrintStream out, PrintStream err, InputStream in, List<byte[]> rawArgs) {
  /** Streams whose arguments are known only as Java strings. */
  public Streams(PrintStream out, PrintStream err, InputStream in) {
    this(out, err, in, List.of());
  }
}
