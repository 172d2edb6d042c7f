package dev.cu.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cu run [options] FILE|-}: runs a Lua file, or standard input for {@code -}. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    footer = CommonOptions.OUTPUT_HELP,
    description = {
      "Run a Lua file; print its output, then the values it returns. The source is bytes,",
      "passed to Lua unchanged (string literals may hold any bytes).",
      "A first line starting with # (a shebang) is skipped, as lua does."
    })
public final class RunCommand implements Callable<Integer> {
  /** The UTF-8 byte order mark, U+FEFF encoded. */
  private static final byte[] BOM = "\uFEFF".getBytes(StandardCharsets.UTF_8);

  @Mixin CommonOptions options;

  @Parameters(paramLabel = "FILE", description = "The Lua file, or - for standard input.")
  String file;

  private final Streams streams;

  public RunCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    boolean stdin = file.equals("-");
    byte[] bytes = stdin ? readStdin() : readFile(file);
    String chunkName = stdin ? "=stdin" : "@" + file;
    return ChunkRunner.run(options, streams, chunkName, source(bytes));
  }

  /**
   * The chunk of a file's bytes, unchanged (Lua source is bytes: string literals keep bytes
   * that are not UTF-8), except that a leading UTF-8 byte order mark is dropped and a first line
   * starting with {@code #} is emptied (its newline kept, so line numbers still match), as
   * {@code lua} does.
   */
  static byte[] source(byte[] bytes) {
    int from = 0;
    if (bytes.length >= BOM.length && Arrays.equals(bytes, 0, BOM.length, BOM, 0, BOM.length)) {
      from = BOM.length;
    }
    if (from < bytes.length && bytes[from] == '#') {
      int eol = from;
      while (eol < bytes.length && bytes[eol] != '\n') {
        eol++;
      }
      from = eol;
    }
    return from == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, from, bytes.length);
  }

  private byte[] readStdin() {
    try {
      return streams.in().readAllBytes();
    } catch (IOException e) {
      throw new CliException(ErrorKind.USAGE, "cannot read standard input: " + e.getMessage(), e);
    }
  }

  private static byte[] readFile(String name) {
    return FileBytes.read(name, name);
  }
}
