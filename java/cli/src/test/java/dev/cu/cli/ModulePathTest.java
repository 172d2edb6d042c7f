package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --module-path}: folders require loads Lua modules from, in order. */
class ModulePathTest {
  @TempDir Path dir;

  private Path folder(String name) throws IOException {
    return Files.createDirectories(dir.resolve(name));
  }

  @Test
  void evalRequiresAModuleFromTheModulePath() throws IOException {
    Path mods = folder("mods");
    Files.createDirectories(mods.resolve("util"));
    Files.writeString(mods.resolve("util/str.lua"), "return {shout = string.upper}");
    Cli.Run r =
        Cli.run("eval", "--module-path", mods.toString(), "return require('util.str').shout('hi')");
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("HI\n");
  }

  @Test
  void runSearchesTheFoldersInTheOrderGiven() throws IOException {
    Path first = folder("first");
    Path second = folder("second");
    Files.writeString(first.resolve("a.lua"), "return 'first a'");
    Files.writeString(second.resolve("a.lua"), "return 'second a'");
    Files.writeString(second.resolve("b.lua"), "return 'second b'");
    Path main =
        Files.writeString(dir.resolve("main.lua"), "return require('a') .. ', ' .. require('b')");
    Cli.Run r =
        Cli.run(
            "run",
            "--module-path",
            first.toString(),
            "--module-path",
            second.toString(),
            main.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo("first a, second b\n");
  }

  @Test
  void aMissingModuleNamesEveryFolderTried() throws IOException {
    Path first = folder("first");
    Path second = folder("second");
    Cli.Run r =
        Cli.run(
            "eval",
            "--module-path",
            first.toString(),
            "--module-path",
            second.toString(),
            "require('x.y')");
    assertThat(r.exit()).isEqualTo(ExitCode.LUA_ERROR);
    assertThat(r.err())
        .contains("module 'x.y' not found")
        .contains("no file '" + first.resolve("x/y.lua") + "'")
        .contains("no file '" + second.resolve("x/y.lua") + "'");
  }

  @Test
  void withoutAModulePathRequireFindsNoFiles() throws IOException {
    Files.writeString(dir.resolve("m.lua"), "return 1");
    Cli.Run r = Cli.run("eval", "return require('m')");
    assertThat(r.exit()).isEqualTo(ExitCode.LUA_ERROR);
    assertThat(r.err()).contains("module 'm' not found").contains("no module loader is set");
  }
}
