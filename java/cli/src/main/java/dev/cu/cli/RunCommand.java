package dev.cu.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
      "Run a Lua file (UTF-8); print its output, then its last value.",
      "A first line starting with # (a shebang) is skipped, as lua does."
    })
public final class RunCommand implements Callable<Integer> {
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
   * The chunk text of a file's bytes: UTF-8, without a leading byte order mark, and with a
   * first line starting with {@code #} emptied (its newline kept, so line numbers still match).
   */
  static String source(byte[] bytes) {
    String s = new String(bytes, StandardCharsets.UTF_8);
    if (s.startsWith("\uFEFF")) {
      s = s.substring(1);
    }
    if (s.startsWith("#")) {
      int eol = s.indexOf('\n');
      s = eol < 0 ? "" : s.substring(eol);
    }
    return s;
  }

  private byte[] readStdin() {
    try {
      return streams.in().readAllBytes();
    } catch (IOException e) {
      throw new CliException(ErrorKind.USAGE, "cannot read standard input: " + e.getMessage(), e);
    }
  }

  private static byte[] readFile(String name) {
    try {
      Path path = Path.of(name);
      if (Files.isDirectory(path)) {
        throw new CliException(ErrorKind.USAGE, "cannot read " + name + ": is a directory");
      }
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new CliException(ErrorKind.USAGE, "cannot read " + name + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new CliException(ErrorKind.USAGE, "cannot read " + name + ": permission denied", e);
    } catch (IOException | InvalidPathException e) {
      throw new CliException(ErrorKind.USAGE, "cannot read " + name + ": " + e.getMessage(), e);
    }
  }
}
