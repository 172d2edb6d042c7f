package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --state}, {@code --ephemeral} and {@code cu state ...} on a temporary folder. */
class StateCommandTest {
  @TempDir Path dir;

  private String state() {
    return dir.resolve("state").toString();
  }

  @Test
  void counterExampleCountsAcrossRuns() throws Exception {
    Path counter = dir.resolve("counter.lua");
    Files.writeString(counter, "_home.count = (_home.count or 0) + 1\nreturn _home.count\n");
    assertThat(Cli.run("run", "--state", state(), counter.toString()).out()).isEqualTo("1\n");
    assertThat(Cli.run("run", "--state", state(), counter.toString()).out()).isEqualTo("2\n");
    // --ephemeral neither reads nor writes the state
    assertThat(Cli.run("run", "--ephemeral", counter.toString()).out()).isEqualTo("1\n");
    assertThat(Cli.run("run", "--state", state(), counter.toString()).out()).isEqualTo("3\n");
  }

  @Test
  void namedStatesThroughTheStateCommand() throws Exception {
    Cli.run("eval", "--state", state(), "_home.v = 'first'");
    assertThat(Cli.run("state", "--state", state(), "save", "one").exit()).isZero();
    Cli.run("eval", "--state", state(), "_home.v = 'second'");
    assertThat(Cli.run("state", "--state", state(), "list").out()).isEqualTo("one\n");
    assertThat(Cli.run("state", "--state", state(), "load", "one").exit()).isZero();
    assertThat(Cli.run("eval", "--state", state(), "return _home.v").out()).isEqualTo("first\n");
    Cli.Run export = Cli.run("state", "--state", state(), "export", "--json");
    assertThat(new ObjectMapper().readTree(export.out()).get("v").asText()).isEqualTo("first");
    assertThat(Cli.run("state", "--state", state(), "delete", "one").exit()).isZero();
    Cli.Run again = Cli.run("state", "--state", state(), "delete", "one");
    assertThat(again.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(again.err()).startsWith("cu: usage: no state named one");
  }

  @Test
  void loadingAMissingStateIsAStorageError() {
    Cli.Run r = Cli.run("state", "--state", state(), "load", "nope");
    assertThat(r.exit()).isEqualTo(ExitCode.STORAGE);
    assertThat(r.err()).startsWith("cu: storage: ");
  }

  @Test
  void aStateFolderThatCannotBeCreatedIsAStorageError() throws Exception {
    Path file = dir.resolve("plain-file");
    Files.writeString(file, "not a folder");
    Cli.Run r = Cli.run("eval", "--state", file.toString(), "return 1");
    assertThat(r.exit()).isEqualTo(ExitCode.STORAGE);
    assertThat(r.err()).startsWith("cu: storage: ");
  }
}
