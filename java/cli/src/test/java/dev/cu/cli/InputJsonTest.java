package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --input} takes exactly one strict JSON value; anything else is exit 2, said clearly. */
class InputJsonTest {
  @TempDir Path dir;

  private static Cli.Run eval(String input) {
    return Cli.run("eval", "--input", input, "return _io.input");
  }

  @Test
  void inputWithTrailingContentIsUsageError() {
    Cli.Run r = eval("[1,2,3]trailing");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "cu: usage: --input has content after its JSON value, which"
                + " ends at line 1, column 8 (offset 7)\n");
    assertThat(eval("{} {}").exit()).isEqualTo(ExitCode.USAGE);
    assertThat(eval("1 2").err()).contains("content after its JSON value");
    assertThat(eval("\"a\"\n\n  x").err()).contains("content after its JSON value");
  }

  @Test
  void emptyInputIsUsageError() {
    for (String empty : new String[] {"", "   ", "\n"}) {
      Cli.Run r = eval(empty);
      assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(r.err()).isEqualTo("cu: usage: --input is empty: expected one JSON value\n");
    }
  }

  @Test
  void loneSurrogateInInputIsUsageError() {
    Cli.Run r = eval("[\"ok\", \"bad \\ud800 here\"]");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "cu: usage: --input is not valid JSON at line 1, column 8"
                + " (offset 7): string has an unpaired surrogate U+D800\n");
    assertThat(eval("{\"\\udc00\": 1}").err()).contains("key has an unpaired surrogate U+DC00");
    assertThat(eval("\"\\ud800\\ud800\"").exit()).isEqualTo(ExitCode.USAGE);
    // a proper pair is a character outside the BMP and passes through
    Cli.Run pair = eval("\"\\ud83d\\ude00\"");
    assertThat(pair.exit()).isZero();
    assertThat(pair.out()).isEqualTo("\uD83D\uDE00\n");
  }

  @Test
  void inputNestedTooDeeplyIsUsageError() {
    int max = InputJson.MAX_DEPTH;
    Cli.Run ok = eval("[".repeat(max) + "]".repeat(max));
    assertThat(ok.exit()).as(ok.err()).isZero();
    Cli.Run r = eval("[".repeat(max + 1) + "]".repeat(max + 1));
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err())
        .isEqualTo(
            "cu: usage: --input is not valid JSON at line 1, column "
                + (max + 1)
                + " (offset "
                + max
                + "): nested deeper than "
                + max
                + " levels\n");
    assertThat(eval("{\"a\":".repeat(5000) + "1" + "}".repeat(5000)).exit())
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void malformedInputNamesLineAndColumn() {
    Cli.Run r = eval("{\"a\": 1,\n \"b\": }");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).startsWith("cu: usage: --input is not valid JSON at line 2, column ");
  }

  @Test
  void anIntegerBeyond64BitsArrivesAsABigint() {
    Cli.Run r = Cli.run("eval", "--input", "99999999999999999999", "return _io.input + 1");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("100000000000000000000\n");
  }

  @Test
  void inputFileThatIsNotUtf8IsUsageError() throws Exception {
    Path file = dir.resolve("in.json");
    Files.write(file, new byte[] {'"', (byte) 0xff, '"'});
    Cli.Run r = Cli.run("eval", "--input", "@" + file, "return _io.input");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).isEqualTo("cu: usage: --input file " + file + " is not UTF-8\n");
  }

  @Test
  void inputFileMayStartWithAByteOrderMark() throws Exception {
    Path file = dir.resolve("bom.json");
    Files.writeString(file, "\uFEFF[7]"); // in UTF-8: EF BB BF, then [7]
    Cli.Run r = Cli.run("eval", "--input", "@" + file, "return _io.input[1]");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("7\n");
  }

  @Test
  void inputFileWithTrailingContentIsUsageError() throws Exception {
    Path file = dir.resolve("in.json");
    Files.writeString(file, "{\"a\": 1}\n{\"b\": 2}\n");
    Cli.Run r = Cli.run("eval", "--input", "@" + file, "return _io.input");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("content after its JSON value, which ends at line 1, column 9");
  }

  @Test
  void validInputStillWorks() {
    Cli.Run r = eval("  {\"a\": [1, 2.5, true, \"x\"]}\n");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("{\"a\":[1,2.5,true,\"x\"]}\n");
  }

  @Test
  void unreadableInputFileIsUsageErrorThatSaysWhy() {
    Path missing = dir.resolve("missing.json");
    Cli.Run r = eval("@" + missing);
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err())
        .isEqualTo("cu: usage: cannot read --input file " + missing + ": no such file\n");
    assertThat(eval("@" + dir).err())
        .isEqualTo("cu: usage: cannot read --input file " + dir + ": is a directory\n");
    Cli.Run empty = eval("@");
    assertThat(empty.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(empty.err()).isEqualTo("cu: usage: --input @ needs a file name after the @\n");
  }
}
