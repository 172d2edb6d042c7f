package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The state commands the import tests run, in-process through {@link Cli}. */
final class StateCli {
  private StateCli() {}

  /** {@code cu state --state STATE export --json}, which must succeed; its stdout. */
  static String export(String state) {
    Cli.Run r = Cli.run("state", "--state", state, "export", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out();
  }

  /** {@code cu state --state STATE import [OPTIONS] FILE}, FILE a new file in {@code dir} holding {@code json}. */
  static Cli.Run importFile(Path dir, String state, String json, String... options)
      throws IOException {
    Path file = Files.createTempFile(dir, "import", ".json");
    Files.writeString(file, json);
    String[] args = new String[4 + options.length + 1];
    args[0] = "state";
    args[1] = "--state";
    args[2] = state;
    args[3] = "import";
    System.arraycopy(options, 0, args, 4, options.length);
    args[args.length - 1] = file.toString();
    return Cli.run(args);
  }

  /** {@code cu eval --state STATE CODE}, which must succeed. */
  static void eval(String state, String code) {
    Cli.Run r = Cli.run("eval", "--state", state, code);
    assertThat(r.exit()).as(r.err()).isZero();
  }
}
