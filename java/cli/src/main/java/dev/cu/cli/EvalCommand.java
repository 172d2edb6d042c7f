package dev.cu.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cu eval [options] CODE}: runs Lua code given as an argument. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    footer = CommonOptions.OUTPUT_HELP,
    description = {
      "Run a chunk of Lua given on the command line; print its output, then its last value.",
      "Errors name the chunk 'eval', e.g. eval:1: boom."
    })
public final class EvalCommand implements Callable<Integer> {
  @Mixin CommonOptions options;

  @Parameters(paramLabel = "CODE", description = "Lua code, e.g. 'return 2+2'.")
  String code;

  private final Streams streams;

  public EvalCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    return ChunkRunner.run(options, streams, "eval", code);
  }
}
