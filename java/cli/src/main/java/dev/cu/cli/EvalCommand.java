package dev.cu.cli;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cu eval [options] CODE}: runs Lua code given as an argument. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    footer = CommonOptions.OUTPUT_HELP,
    description = {
      "Run a chunk of Lua given on the command line; print its output, then the values",
      "it returns. Errors name the chunk 'eval', e.g. eval:1: boom."
    })
public final class EvalCommand implements Callable<Integer> {
  @Mixin CommonOptions options;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "CODE", description = "Lua code, e.g. 'return 2+2'.")
  String code;

  private final Streams streams;

  public EvalCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    return ChunkRunner.run(options, streams, "eval", source());
  }

  /**
   * CODE as bytes: the argument's bytes as the process received them when known (so a string
   * literal keeps bytes the JVM could not decode), else its UTF-8.
   */
  private byte[] source() {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    List<byte[]> raw = streams.rawArgs();
    if (raw.size() == args.size()) {
      for (int i = args.size() - 1; i >= 0; i--) {
        if (args.get(i) == code) { // the very string picocli took CODE from
          return raw.get(i);
        }
      }
    }
    return code.getBytes(StandardCharsets.UTF_8);
  }
}
