package dev.cu.cli;

import dev.cu.ComputeUnit;
import dev.cu.ModuleLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options {@code eval} and {@code run} share: output format, resource limits, state and
 * module folders.
 */
public final class CommonOptions {
  /** The help footer of {@code eval} and {@code run}: how results are printed. */
  static final String OUTPUT_HELP =
      "%nOutput:%n"
          + "  Lines print() writes go to stdout as they are printed; then the values%n"
          + "  the chunk returned, on one line separated by tabs as Lua's print%n"
          + "  separates them: nothing for none or a lone nil, else nil as nil;%n"
          + "  numbers, booleans and strings as Lua's print shows them (4, 3.0, 0.1,%n"
          + "  nan, inf, true); functions as function: 0x...; tables as JSON.%n"
          + "  With --json, stdout is one JSON line (nil is null):%n"
          + "    {\"value\": ..., \"values\": [...], \"output\": \"...\",%n"
          + "     \"io\": {\"output\": _io.output}}%n"
          + "  In JSON, table keys that are not strings become their string form%n"
          + "  (1, 1.5, true); strings that are not UTF-8 become base64 (Jackson's%n"
          + "  default for bytes); NaN and the infinities become the strings \"NaN\",%n"
          + "  \"Infinity\" and \"-Infinity\". On an error --json writes nothing to stdout.%n"
          + "  A table met more than once (shared, or containing itself) is written once,%n"
          + "  marked with an id: a map as {\"$id\": 1, ...}, an array as%n"
          + "  {\"$id\": 1, \"$values\": [...]}; later occurrences as {\"$ref\": 1}. Keys $id,%n"
          + "  $ref, $values (and those with more leading $) get one more $.%n";

  @Option(
      names = "--json",
      description = {
        "Print one line of JSON: {\"value\": last value, \"values\": [all values],"
            + " \"output\": \"what print wrote\"}. Non-UTF-8 strings become base64;"
            + " see Output below."
      })
  boolean json;

  @Option(
      names = "--memory-limit",
      paramLabel = "SIZE",
      converter = SizeParser.class,
      defaultValue = "256m",
      description =
          "Lua heap limit: bytes or k/m/g (binary, 64m = 64 MiB); 0 = none."
              + " Default: ${DEFAULT-VALUE}.")
  long memoryLimit;

  @Option(
      names = "--time-limit",
      paramLabel = "TIME",
      converter = DurationParser.class,
      defaultValue = "0",
      description = "Wall-clock limit, e.g. 500ms, 2s, 1m; 0 = none. Default: none.")
  Duration timeLimit;

  @Option(
      names = "--cpu-limit",
      paramLabel = "TIME",
      converter = DurationParser.class,
      defaultValue = "0",
      description =
          "CPU time limit of the thread running the chunk, same syntax as"
              + " --time-limit; time spent waiting does not count; 0 = none. Default: none.")
  Duration cpuLimit;

  @Option(
      names = "--instruction-limit",
      paramLabel = "N",
      defaultValue = "0",
      description = "Lua VM instruction limit (checked every 1,000); 0 = none. Default: none.")
  long instructionLimit;

  @Option(
      names = "--input",
      paramLabel = "JSON|@FILE",
      description =
          "Set _io.input from JSON text, or from a JSON file with @FILE: exactly one"
              + " strict JSON value (nothing after it, no unpaired surrogates, at most "
              + InputJson.MAX_DEPTH
              + " levels deep).")
  String input;

  @Option(
      names = "--output-limit",
      paramLabel = "SIZE",
      converter = SizeParser.class,
      defaultValue = "256m",
      description =
          "Most bytes to write to stdout (print lines and the result), k/m/g as"
              + " for --memory-limit; past it the run fails with exit 3. 0 = none."
              + " Default: ${DEFAULT-VALUE}.")
  long outputLimit;

  @Option(
      names = "--state",
      paramLabel = "DIR",
      description =
          "Keep _home in this folder: restored on start, committed after each"
              + " successful run. Default: .cu.")
  String state;

  @Option(
      names = "--module-path",
      paramLabel = "DIR",
      description =
          "Let require load Lua modules from this folder: require('a.b') reads"
              + " DIR/a/b.lua. Repeatable; folders are searched in the order given.")
  List<Path> modulePath = new ArrayList<>();

  @Mixin StoreOptions store;

  @Option(
      names = "--ephemeral",
      description =
          "Keep no state: _home starts empty and is forgotten at the end."
              + " Cannot be combined with --state.")
  boolean ephemeral;

  /** Whether {@code --json} was given. */
  public boolean json() {
    return json;
  }

  /** A fresh budget of {@code --output-limit} bytes. */
  OutputLimit outputLimit() {
    return new OutputLimit(outputLimit);
  }

  /**
   * A unit builder with these limits.
   *
   * @throws CliException (usage) for a negative instruction limit, or {@code --ephemeral} given
   *     with {@code --state}
   */
  public ComputeUnit.Builder builder() {
    if (instructionLimit < 0) {
      throw new CliException(ErrorKind.USAGE, "--instruction-limit must be 0 or more");
    }
    if (ephemeral && state != null) {
      throw new CliException(
          ErrorKind.USAGE, "--ephemeral and --state cannot be used together: choose one");
    }
    ComputeUnit.Builder b =
        ComputeUnit.builder()
            .memoryLimit(memoryLimit)
            .timeLimit(timeLimit)
            .cpuTimeLimit(cpuLimit)
            .instructionLimit(instructionLimit);
    if (!modulePath.isEmpty()) {
      b.modules(
          ModuleLoader.first(
              modulePath.stream().map(ModuleLoader::directory).toArray(ModuleLoader[]::new)));
    }
    if (ephemeral && store.key() != null) {
      throw new CliException(
          ErrorKind.USAGE, "--ephemeral and --key cannot be used together: a key names state");
    }
    return ephemeral ? b : store.apply(b, java.nio.file.Path.of(state == null ? ".cu" : state));
  }
}
