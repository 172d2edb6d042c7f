package dev.cu.cli;

import dev.cu.ComputeResult;
import dev.cu.ComputeUnit;
import java.io.PrintStream;

/**
 * Runs one chunk in a fresh unit and prints what it produced. Without {@code --json}, lines
 * that {@code print} writes go to stdout as they are printed, then the result (see {@link
 * ValueFormat}); with it, one JSON line after the chunk ends (see {@link JsonFormat}). All of
 * it is charged to {@code --output-limit}. Lua errors propagate to {@link Main}, which reports
 * them.
 */
final class ChunkRunner {
  private ChunkRunner() {}

  /**
   * Runs {@code code}, Lua source bytes passed to Lua unchanged, named {@code chunkName} (Lua's
   * rules: "@file", "=name", "name").
   */
  static int run(CommonOptions options, Streams streams, String chunkName, byte[] code) {
    PrintStream out = streams.out();
    OutputLimit limit = options.outputLimit();
    ComputeUnit.Builder builder = options.builder();
    if (!options.json()) {
      builder.outputStream(limit.charging(out)); // Lua's bytes, as lua prints them
    }
    // read --input before anything runs: a bad one is a usage error with nothing printed
    Object input;
    try (Progress p = Progress.on(streams.err(), "--input", "MiB", Progress.MIN_BYTES)) {
      input = options.input == null ? null : InputJson.read(options.input, p);
    }
    try (ComputeUnit unit = builder.build()) {
      if (options.input != null) {
        try {
          unit.setInput(input);
        } catch (IllegalArgumentException e) {
          throw new CliException(ErrorKind.USAGE, "--input " + e.getMessage(), e);
        }
      }
      ComputeResult result = unit.execute(chunkName, code);
      limit.check();
      if (options.json()) {
        limit.println(out, JsonFormat.result(result, unit.getOutput(), limit));
      } else {
        ValueFormat.printAll(out, result.values(), limit);
      }
    } catch (LinkageError e) {
      // no libcu for this platform: picocli reports only Exceptions, so convert it
      throw new CliException(ErrorKind.RUNTIME, e.getMessage(), e);
    } finally {
      out.flush();
    }
    return ExitCode.OK;
  }
}
