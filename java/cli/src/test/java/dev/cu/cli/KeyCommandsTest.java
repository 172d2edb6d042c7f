package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.pool.UnitPool;
import dev.cu.store.LmdbOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --key}, {@code cu state keys} and {@code cu state delete-key}. */
class KeyCommandsTest {
  @TempDir Path dir;

  private String state() {
    return dir.resolve("state").toString();
  }

  private static final String COUNT = "_home.n = (_home.n or 0) + 1 return _home.n";

  @Test
  void eachKeyHasItsOwnHome() {
    assertThat(Cli.run("eval", "--state", state(), "--key", "alice@example.com", COUNT).out())
        .isEqualTo("1\n");
    assertThat(Cli.run("eval", "--state", state(), "--key", "alice@example.com", COUNT).out())
        .isEqualTo("2\n");
    assertThat(Cli.run("eval", "--state", state(), "--key", "bob/ü", COUNT).out()).isEqualTo("1\n");
    assertThat(Cli.run("eval", "--state", state(), COUNT).out()).isEqualTo("1\n"); // the folder's
    assertThat(Cli.run("state", "--state", state(), "keys").out())
        .isEqualTo("alice@example.com\nbob/ü\n");
  }

  @Test
  void optionsMayComeBeforeTheCommandName() {
    assertThat(Cli.run("--state", state(), "--key", "alice@example.com", "eval", COUNT).out())
        .isEqualTo("1\n");
    assertThat(
            Cli.runWithInput(COUNT, "--key=alice@example.com", "--state", state(), "run", "-")
                .out())
        .isEqualTo("2\n");
    assertThat(Cli.run("eval", "--state", state(), "--key", "alice@example.com", COUNT).out())
        .isEqualTo("3\n");
    // a value that is a command name stays a value
    assertThat(Cli.run("--state", state(), "--key", "eval", "eval", COUNT).out()).isEqualTo("1\n");
    assertThat(Cli.run("--state", state(), "state", "keys").out())
        .isEqualTo("alice@example.com\neval\n");
    // what is not an option of the command is refused as before
    Cli.Run bad = Cli.run("--no-such-option", "eval", COUNT);
    assertThat(bad.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(bad.err()).contains("--no-such-option");
  }

  @Test
  void theCliAndAPoolShareKeys() throws Exception {
    String longKey = "tenant:" + "x".repeat(300);
    Cli.run("eval", "--state", state(), "--key", longKey, "_home.v = 'from the cli'");
    try (UnitPool pool =
        UnitPool.builder()
            .storage(Path.of(state()))
            .storageOptions(LmdbOptions.defaults())
            .build()) {
      assertThat(pool.compute(longKey, "return _home.v")).isEqualTo("from the cli");
      pool.compute("pooled", "_home.v = 'from the pool'");
    }
    assertThat(Cli.run("eval", "--state", state(), "--key", "pooled", "return _home.v").out())
        .isEqualTo("from the pool\n");
    Cli.Run keys = Cli.run("state", "--state", state(), "keys", "--json");
    assertThat(new ObjectMapper().readValue(keys.out(), List.class))
        .containsExactly("pooled", longKey);
  }

  @Test
  void deleteKeyRemovesOneKeysStateAndItsNamedStates() {
    Cli.run("eval", "--state", state(), "--key", "a", "_home.v = 1");
    Cli.run("eval", "--state", state(), "--key", "b", "_home.v = 2");
    assertThat(Cli.run("state", "--state", state(), "--key", "a", "save", "s1").exit()).isZero();
    assertThat(Cli.run("state", "--state", state(), "--key", "a", "list").out()).isEqualTo("s1\n");
    assertThat(Cli.run("state", "--state", state(), "list").out()).isEmpty();
    assertThat(Cli.run("state", "--state", state(), "delete-key", "a").exit()).isZero();
    Cli.Run again = Cli.run("state", "--state", state(), "delete-key", "a");
    assertThat(again.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(again.err()).startsWith("cu: usage: no key a has state");
    assertThat(Cli.run("state", "--state", state(), "keys").out()).isEqualTo("b\n");
    assertThat(Cli.run("state", "--state", state(), "--key", "a", "list").out()).isEmpty();
    assertThat(Cli.run("eval", "--state", state(), "--key", "b", "return _home.v").out())
        .isEqualTo("2\n");
  }

  @Test
  void badKeysAndCombinationsAreUsageErrors() {
    Cli.Run empty = Cli.run("eval", "--state", state(), "--key", "", "return 1");
    assertThat(empty.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(empty.err()).startsWith("cu: usage: bad --key: ");
    Cli.Run ephemeral = Cli.run("eval", "--ephemeral", "--key", "a", "return 1");
    assertThat(ephemeral.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(ephemeral.err()).contains("--ephemeral and --key");
    assertThat(Cli.run("state", "--state", state(), "delete-key", "").exit())
        .isEqualTo(ExitCode.USAGE);
    assertThat(Cli.run("state", "--state", dir.resolve("none").toString(), "keys").out()).isEmpty();
  }
}
