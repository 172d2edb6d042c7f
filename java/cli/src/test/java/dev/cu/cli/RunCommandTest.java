package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
  @TempDir Path dir;

  private Path write(String name, String code) throws IOException {
    return Files.writeString(dir.resolve(name), code);
  }

  @Test
  void runsAFile() throws IOException {
    Path file = write("hello.lua", "print('hello')\nlocal t = {1, 2, 3}\nreturn #t * 2\n");
    Cli.Run r = Cli.run("run", file.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("hello\n6\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void errorsNameTheFileAndLine() throws IOException {
    Path file = write("hello.lua", "local x = 1\nlocal y = 2\nerror('boom')\n");
    Cli.Run r = Cli.run("run", file.toString());
    assertThat(r.exit()).isEqualTo(ExitCode.LUA_ERROR);
    assertThat(r.err()).startsWith("cu: runtime: ").endsWith("hello.lua:3: boom\n");
  }

  @Test
  void syntaxErrorsNameTheFile() throws IOException {
    Path file = write("bad.lua", "local x =\n");
    Cli.Run r = Cli.run("run", file.toString());
    assertThat(r.exit()).isEqualTo(ExitCode.LUA_ERROR);
    assertThat(r.err()).startsWith("cu: syntax: ").contains("bad.lua:");
  }

  @Test
  void runsStandardInputForDash() {
    Cli.Run r = Cli.runWithInput("print('from stdin')\nreturn 6 * 7\n", "run", "-");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("from stdin\n42\n");
  }

  @Test
  void standardInputErrorsNameStdin() {
    Cli.Run r = Cli.runWithInput("\nerror('x')", "run", "-");
    assertThat(r.exit()).isEqualTo(ExitCode.LUA_ERROR);
    assertThat(r.err()).isEqualTo("cu: runtime: stdin:2: x\n");
  }

  @Test
  void optionsApplyToRun() throws IOException {
    Path file = write("loop.lua", "while true do end");
    Cli.Run r = Cli.run("run", "--time-limit", "100ms", file.toString());
    assertThat(r.exit()).isEqualTo(ExitCode.LIMIT);
    assertThat(r.err()).startsWith("cu: timeout: ");

    Path json = write("json.lua", "print('p') return {a = 1}");
    Cli.Run j = Cli.run("run", "--json", json.toString());
    assertThat(j.exit()).isZero();
    assertThat(new ObjectMapper().readTree(j.out()).toString())
        .isEqualTo(
            "{\"value\":{\"a\":1},\"values\":[{\"a\":1}],\"output\":\"p\\n\","
                + "\"io\":{\"output\":null}}");
  }

  @Test
  void missingFileIsAUsageError() {
    String missing = dir.resolve("nope.lua").toString();
    Cli.Run r = Cli.run("run", missing);
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("cu: usage: cannot read " + missing + ": no such file\n");
  }

  @Test
  void directoryIsAUsageError() {
    Cli.Run r = Cli.run("run", dir.toString());
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).startsWith("cu: usage: cannot read ").endsWith(": is a directory\n");
  }

  @Test
  void shebangLineIsSkippedAndLineNumbersKept() throws IOException {
    Path file = write("script.lua", "#!/usr/bin/env cu run\nprint('ok')\nerror('line three')\n");
    Cli.Run r = Cli.run("run", file.toString());
    assertThat(r.exit()).isEqualTo(ExitCode.LUA_ERROR);
    assertThat(r.out()).isEqualTo("ok\n");
    assertThat(r.err()).endsWith("script.lua:3: line three\n");
  }

  @Test
  void runPassesRawBytesInStringLiteralsThroughUnchanged() throws Exception {
    byte[] code = {
      's',
      ' ',
      '=',
      ' ',
      '"',
      (byte) 0xff,
      (byte) 0xfe,
      (byte) 0x80,
      (byte) 0xc3,
      '"',
      ' ',
      'p',
      'r',
      'i',
      'n',
      't',
      '(',
      '#',
      's',
      ')',
      ' ',
      'r',
      'e',
      't',
      'u',
      'r',
      'n',
      ' ',
      's'
    };
    Path file = dir.resolve("raw.lua");
    Files.write(file, code);
    Cli.Run r = Cli.run("run", file.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.outBytes()).containsExactly('4', '\n', 0xff, 0xfe, 0x80, 0xc3, '\n');
    Cli.Run stdin = Cli.runWithBytes(code, "run", "-");
    assertThat(stdin.exit()).as(stdin.err()).isZero();
    assertThat(stdin.outBytes()).containsExactly('4', '\n', 0xff, 0xfe, 0x80, 0xc3, '\n');
  }

  @Test
  void printOfBytesThatAreNotUtf8WritesThemUnchanged() {
    Cli.Run r = Cli.run("eval", "print('a\\xffb', '\\xc3') return 1");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.outBytes()).containsExactly('a', 0xff, 'b', '\t', 0xc3, '\n', '1', '\n');
  }

  @Test
  void runOfFileWithRawBytesKeepsThemAfterShebangAndBom() throws Exception {
    byte[] code = {
      (byte) 0xEF,
      (byte) 0xBB,
      (byte) 0xBF,
      '#',
      '!',
      'x',
      '\n',
      'r',
      'e',
      't',
      'u',
      'r',
      'n',
      ' ',
      '#',
      '"',
      (byte) 0xe9,
      '"'
    };
    Path file = dir.resolve("bom.lua");
    Files.write(file, code);
    Cli.Run r = Cli.run("run", file.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("1\n");
  }

  @Test
  void sourceDropsByteOrderMarkAndShebang() {
    assertThat(source("\uFEFFreturn 1")).isEqualTo("return 1");
    assertThat(source("#!x\nreturn 1")).isEqualTo("\nreturn 1");
    assertThat(source("\uFEFF#!x\nreturn 1")).isEqualTo("\nreturn 1");
    assertThat(source("#only")).isEmpty();
    assertThat(source("return '#'")).isEqualTo("return '#'");
    assertThat(source("")).isEmpty();
  }

  private static String source(String text) {
    return new String(
        RunCommand.source(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }
}
