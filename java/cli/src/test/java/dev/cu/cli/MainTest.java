package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void evalOfTwoPlusTwoPrintsFour() {
    Cli.Run r = Cli.run("eval", "return 2+2");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("4\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void helpListsTheCommandsAndExitCodes() {
    Cli.Run r = Cli.run("--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains(
            "Usage: cu",
            "eval",
            "run",
            "Exit codes:",
            "resource limit (memory, timeout, --output-limit)");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void subcommandHelpDocumentsJsonAndBase64() {
    Cli.Run r = Cli.run("eval", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--json", "--memory-limit=SIZE", "--time-limit=TIME", "base64");
  }

  @Test
  void helpCommandShowsSubcommandHelp() {
    Cli.Run r = Cli.run("help", "run");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Usage: cu run", "FILE");
  }

  @Test
  void versionNamesCuAndLua() {
    Cli.Run r = Cli.run("--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).matches("cu \\S+ \\(Lua 5\\.4\\.7\\)\\n").doesNotContain("${");
  }

  @Test
  void unknownOptionIsAUsageError() {
    Cli.Run r = Cli.run("eval", "--bogus", "return 1");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("cu: usage: Unknown option: '--bogus'");
  }

  @Test
  void badOptionValuesAreUsageErrors() {
    Cli.Run size = Cli.run("eval", "--memory-limit", "12x", "return 1");
    assertThat(size.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(size.err()).startsWith("cu: usage: ").contains("invalid size '12x'");

    Cli.Run time = Cli.run("run", "--time-limit", "soon", "-");
    assertThat(time.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(time.err()).startsWith("cu: usage: ").contains("invalid duration 'soon'");

    Cli.Run count = Cli.run("eval", "--instruction-limit", "many", "return 1");
    assertThat(count.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(count.err()).startsWith("cu: usage: ");
  }

  @Test
  void missingCommandOrArgumentIsAUsageError() {
    Cli.Run none = Cli.run();
    assertThat(none.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(none.err()).startsWith("cu: usage: missing command");

    Cli.Run noCode = Cli.run("eval");
    assertThat(noCode.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(noCode.err()).startsWith("cu: usage: Missing required parameter: 'CODE'");

    Cli.Run typo = Cli.run("evl", "return 1");
    assertThat(typo.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(typo.err()).startsWith("cu: usage: ").contains("Did you mean: cu eval?");
  }

  @Test
  void negativeInstructionLimitIsAUsageError() {
    Cli.Run r = Cli.run("eval", "--instruction-limit=-5", "return 1");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).isEqualTo("cu: usage: --instruction-limit must be 0 or more\n");
  }

  @Test
  void exitCodesAreDistinctAndStable() {
    assertThat(
            new int[] {
              ExitCode.OK, ExitCode.LUA_ERROR, ExitCode.USAGE, ExitCode.LIMIT, ExitCode.STORAGE
            })
        .containsExactly(0, 1, 2, 3, 4);
  }
}
