package dev.cu.cli;

import dev.cu.ComputeResult;
import dev.cu.ComputeUnit;
import java.io.PrintStream;

/**
 * Runs one chunk in a fresh unit and prints what it produced. Without {@code --json}, lines
 * that {@code print} writes go to stdout as they are printed, then the result (see {@link
 * ValueFormat}); with it, one JSON line after the chunk ends (see {@link JsonFormat}). Lua
 * errors propagate to {@link Main}, which reports them.
 */
final class ChunkRunner {
  private ChunkRunner() {}

  /** Runs {@code code} named {@code chunkName} (Lua's rules: "@file", "=name", "name"). */
  static int run(CommonOptions options, Streams streams, String chunkName, String code) {
    PrintStream out = streams.out();
    ComputeUnit.Builder builder = options.builder();
    if (!options.json()) {
      builder.output(out::println);
    }
    try (ComputeUnit unit = builder.build()) {
      ComputeResult result = unit.execute(chunkName, code);
      if (options.json()) {
        out.println(JsonFormat.result(result));
      } else {
        ValueFormat.print(out, result.value());
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
