package dev.cu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.ComputeResult;
import dev.cu.ComputeUnit;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs one chunk in a fresh unit and prints what it produced. Without {@code --json}, lines
 * that {@code print} writes go to stdout as they are printed, then the result (see {@link
 * ValueFormat}); with it, one JSON line after the chunk ends (see {@link JsonFormat}). Lua
 * errors propagate to {@link Main}, which reports them.
 */
final class ChunkRunner {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ChunkRunner() {}

  /** Runs {@code code} named {@code chunkName} (Lua's rules: "@file", "=name", "name"). */
  static int run(CommonOptions options, Streams streams, String chunkName, String code) {
    PrintStream out = streams.out();
    ComputeUnit.Builder builder = options.builder();
    if (!options.json()) {
      builder.output(out::println);
    }
    try (ComputeUnit unit = builder.build()) {
      if (options.input != null) {
        unit.setInput(readInput(options.input));
      }
      ComputeResult result = unit.execute(chunkName, code);
      if (options.json()) {
        out.println(JsonFormat.result(result, unit.getOutput()));
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

  /** The JSON of {@code --input}: inline text, or a file after {@code @}. */
  private static JsonNode readInput(String input) {
    String text = input;
    if (input.startsWith("@")) {
      try {
        text = Files.readString(Path.of(input.substring(1)));
      } catch (IOException e) {
        throw new CliException(ErrorKind.USAGE, "cannot read --input file " + input.substring(1)
            + ": " + e.getMessage(), e);
      }
    }
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new CliException(ErrorKind.USAGE, "--input is not valid JSON: " + why, e);
    }
  }
}
