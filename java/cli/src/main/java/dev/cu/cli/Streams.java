package dev.cu.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The standard streams a command uses, the arguments as the process got them, and its
 * environment; tests pass in-memory ones.
 *
 * @param out results and print output
 * @param err error messages
 * @param in the chunk for {@code cu run -}, the value for {@code cu vault put}
 * @param rawArgs the bytes of each argument as the process received them (see {@link
 *     RawArgs}), or an empty list when unknown
 * @param env the environment variables, such as {@code CU_VAULT_KEY}
 */
public record Streams(
    PrintStream out,
    PrintStream err,
    InputStream in,
    List<byte[]> rawArgs,
    Map<String, String> env) {
  /** Streams of a process whose arguments are known only as Java strings. */
  public Streams(PrintStream out, PrintStream err, InputStream in) {
    this(out, err, in, List.of());
  }

  /** Streams of a process: its environment is {@link System#getenv()}. */
  public Streams(PrintStream out, PrintStream err, InputStream in, List<byte[]> rawArgs) {
    this(out, err, in, rawArgs, System.getenv());
  }

  /** These streams with the environment {@code env}. */
  public Streams withEnv(Map<String, String> env) {
    return new Streams(out, err, in, rawArgs, Map.copyOf(env));
  }
}
