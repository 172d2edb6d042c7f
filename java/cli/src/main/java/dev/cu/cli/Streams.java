package dev.cu.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The standard streams a command uses; tests pass in-memory ones.
 *
 * @param out results and print output
 * @param err error messages
 * @param in the chunk for {@code cu run -}
 */
public record Streams(PrintStream out, PrintStream err, InputStream in) {}
