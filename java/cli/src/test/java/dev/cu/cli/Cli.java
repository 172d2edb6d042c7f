package dev.cu.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in-process through {@link Main#run} with captured streams. */
final class Cli {
  private Cli() {}

  /** What one run produced. */
  record Run(int exit, String out, String err, byte[] outBytes) {}

  static Run run(String... args) {
    return runWithInput("", args);
  }

  /** {@code cu state --state STATE import OPTIONS -} with {@code doc} on standard input. */
  static Run importStdin(String state, String doc, String... options) {
    String[] args = new String[5 + options.length];
    args[0] = "state";
    args[1] = "--state";
    args[2] = state;
    args[3] = "import";
    System.arraycopy(options, 0, args, 4, options.length);
    args[args.length - 1] = "-";
    return runWithInput(doc, args);
  }

  /** The names in {@code folder}, sorted. */
  static java.util.List<String> names(java.nio.file.Path folder) throws java.io.IOException {
    try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * Runs with standard input {@code stdin}. {@code eval} and {@code run} get {@code
   * --ephemeral} unless the test names a {@code --state}, so tests leave no store behind.
   */
  static Run runWithInput(String stdin, String... args) {
    return runWithBytes(stdin.getBytes(StandardCharsets.UTF_8), args);
  }

  /** Runs with standard input {@code stdin}, as bytes. */
  static Run runWithBytes(byte[] stdin, String... args) {
    return runWithEnv(System.getenv(), stdin, args);
  }

  /** Runs with the environment variables {@code env} and standard input {@code stdin}. */
  static Run runWithEnv(java.util.Map<String, String> env, byte[] stdin, String... args) {
    return runWithStream(env, new ByteArrayInputStream(stdin), args);
  }

  /** Runs with standard input {@code stdin}, a stream the test controls. */
  static Run runWithStream(InputStream stdin, String... args) {
    return runWithStream(System.getenv(), stdin, args);
  }

  private static Run runWithStream(
      java.util.Map<String, String> env, InputStream stdin, String... args) {
    if (args.length > 0
        && (args[0].equals("eval") || args[0].equals("run"))
        && !java.util.Arrays.asList(args).contains("--state")
        && !java.util.Arrays.asList(args).contains("--ephemeral")) {
      String[] with = new String[args.length + 1];
      with[0] = args[0];
      with[1] = "--ephemeral";
      System.arraycopy(args, 1, with, 2, args.length - 1);
      args = with;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = Main.run(new Streams(o, e, stdin).withEnv(env), args);
    }
    return new Run(
        exit,
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8),
        out.toByteArray());
  }
}
