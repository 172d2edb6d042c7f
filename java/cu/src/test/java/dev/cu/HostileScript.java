package dev.cu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * One hostile script of {@code src/test/resources/hostile/}: its code and the outcome its first
 * line states. The header is one of
 *
 * <pre>
 * -- expect: value TEXT                       String.valueOf(compute(code)) equals TEXT
 * -- expect: LuaRuntimeException: FRAGMENT    that exact exception class, message contains FRAGMENT
 * -- expect: LuaTimeoutException[TIME_LIMIT]: MESSAGE    that class and reason, message equals
 *                                                     MESSAGE (a stop's message is bare)
 * </pre>
 *
 * (any {@code Lua*Exception} class). {@link #outcome} runs a script on the unit the suite uses and
 * describes what happened in the same form, so a new script can be run in a child JVM first
 * ({@link HostileScriptChild}) and its header written from what it did, once that is right.
 */
record HostileScript(String name, String code, String expectation) {
  static final long MEMORY_LIMIT = 16L << 20;
  static final Duration TIME_LIMIT = Duration.ofMillis(500);

  /**
   * The wall-clock limit of a script that is not meant to end by time: far above {@link
   * #TIME_LIMIT}, a guard against a hang, so that a loaded machine cannot turn its outcome into
   * a timeout.
   */
  static final Duration HANG_LIMIT = Duration.ofSeconds(20);

  private static final String HEADER = "-- expect: ";

  static HostileScript read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int eol = text.indexOf('\n');
      String first = eol < 0 ? text : text.substring(0, eol);
      if (!first.startsWith(HEADER)) {
        throw new IllegalArgumentException(file + ": the first line must be '" + HEADER + "...'");
      }
      String name = file.getFileName().toString().replaceFirst("\\.lua$", "");
      return new HostileScript(name, text, first.substring(HEADER.length()).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every script of the hostile folder on the test class path, by name. */
  static List<HostileScript> all() {
    try (Stream<Path> files =
        Files.list(Path.of(HostileScript.class.getResource("/hostile").toURI()))) {
      return files
          .filter(f -> f.toString().endsWith(".lua"))
          .sorted()
          .map(HostileScript::read)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The unit this script runs on: 16 MiB and a fixed random seed. A script whose header expects
   * the time limit has 500 ms of wall-clock time; any other has 500 ms of CPU time (which other
   * processes cannot use up) within {@link #HANG_LIMIT} of wall-clock time.
   */
  ComputeUnit unit() {
    ComputeUnit.Builder b = ComputeUnit.builder().memoryLimit(MEMORY_LIMIT).randomSeed(7);
    if (expectation.startsWith("LuaTimeoutException[TIME_LIMIT]")) {
      return b.timeLimit(TIME_LIMIT).build();
    }
    return b.cpuTimeLimit(TIME_LIMIT).timeLimit(HANG_LIMIT).build();
  }

  /** Runs the code on the unit: "value TEXT" or "ExceptionClass: message". */
  static String outcome(ComputeUnit cu, String code) {
    try {
      return "value " + cu.compute(code);
    } catch (LuaTimeoutException e) {
      return "LuaTimeoutException[" + e.reason() + "]: " + e.getMessage();
    } catch (LuaException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  @Override
  public String toString() {
    return name;
  }

  /** Whether an outcome of {@link #outcome} meets this script's expectation. */
  boolean isMetBy(String outcome) {
    if (expectation.startsWith("value ")) {
      return outcome.equals(expectation);
    }
    int colon = expectation.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(name + ": expected 'value ...' or 'Class: fragment'");
    }
    String cls = expectation.substring(0, colon) + ": ";
    if (cls.startsWith("LuaTimeoutException[")) {
      return outcome.equals(cls + expectation.substring(colon + 1).strip());
    }
    return outcome.startsWith(cls)
        && outcome.substring(cls.length()).contains(expectation.substring(colon + 1).strip());
  }
}
