package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Library calls that loop in C without allocating and without running a VM instruction are
 * stopped by every kind of stop (docs/LIMITS.md, "Library loops").
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CLoopLimitsTest {
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  /** Each call would run for minutes, hours or forever unless stopped. */
  static Stream<Arguments> calls() {
    return Stream.of(
        call("string.rep('', math.maxinteger)", 256 * MIB),
        call("string.rep('', math.maxinteger, '')", 256 * MIB),
        call("string.rep('x', 1 << 30)", 2 * GIB),
        call("table.move({}, 1, 1 << 50, 2)", 256 * MIB),
        call(
            "table.insert(setmetatable({}, {__len = function() return 1 << 50 end}), 1, 1)",
            256 * MIB),
        call(
            "table.remove(setmetatable({}, {__len = function() return 1 << 50 end}), 1)",
            256 * MIB),
        call("table.concat(setmetatable({}, {__index = tostring}), '', 1, 1 << 50)", 256 * MIB),
        call(
            "table.sort(setmetatable({}, {__len = function() return (1 << 31) - 2 end, "
                + "__index = tostring}))",
            256 * MIB),
        call("string.find(string.rep('a', 1e5), '.-.-.-.-b')", 256 * MIB),
        call("string.match(string.rep('a', 1e5), '.-.-.-.-b')", 256 * MIB),
        call("string.gmatch(string.rep('a', 1e5), '.-.-.-.-b')()", 256 * MIB),
        call("string.gsub(string.rep('a', 1e5), '.-.-.-.-b', '')", 256 * MIB),
        call("string.find(string.rep('a', 1e5), string.rep('a*', 100) .. 'b')", 256 * MIB),
        call("string.find(string.rep('a', 5e7), string.rep('a', 1e4) .. 'b', 1, true)", 256 * MIB),
        call("string.gsub(string.rep('a', 1e6), '', string.rep('%0', 1e6))", 256 * MIB),
        call("os.date(string.rep('%c', 1e7))", GIB),
        // an endless source read in small pieces: the lexer's step is all that can stop it
        call("local s = string.rep('x = 1 ', 1e4) load(function() return s end)", 256 * MIB));
  }

  private static Arguments call(String code, long memoryLimit) {
    return Arguments.of(code, memoryLimit);
  }

  @ParameterizedTest(name = "time limit stops {0}")
  @MethodSource("calls")
  void theTimeLimitStopsALibraryLoop(String code, long memoryLimit) throws Exception {
    Stops.assertStops(Stops.Kind.TIME_LIMIT, memoryLimit, "print('go') " + code);
  }

  @ParameterizedTest(name = "instruction limit stops {0}")
  @MethodSource("calls")
  void theInstructionLimitStopsALibraryLoop(String code, long memoryLimit) throws Exception {
    Stops.assertStops(Stops.Kind.INSTRUCTION_LIMIT, memoryLimit, "print('go') " + code);
  }

  @ParameterizedTest(name = "interrupt stops {0}")
  @MethodSource("calls")
  void interruptStopsALibraryLoop(String code, long memoryLimit) throws Exception {
    Stops.assertStops(Stops.Kind.INTERRUPT, memoryLimit, "print('go') " + code);
  }

  @ParameterizedTest(name = "close() from another thread stops {0}")
  @ValueSource(
      strings = {
        "string.rep('', math.maxinteger)",
        "table.move({}, 1, 1 << 50, 2)",
        "string.find(string.rep('a', 1e5), '.-.-.-.-b')"
      })
  void closeFromAnotherThreadStopsALibraryLoopAndReturns(String code) throws Exception {
    Stops.assertStops(Stops.Kind.CLOSE, "print('go') " + code);
  }

  @Test
  void encodingALargeResultIsStoppedByTheTimeLimit() throws Exception {
    // The table is built until 10 ms before the deadline, by the wall clock (os.clock() would
    // count every thread of the JVM); encoding it takes far longer than that.
    Stops.assertStops(
        Stops.Kind.TIME_LIMIT,
        "local t, n = {}, 0 "
            + "repeat for _ = 1, 1000 do n = n + 1 t[n] = {n} end until elapsed() > 90 "
            + "return t");
  }

  /**
   * A table whose __call is itself: Lua resolves the chain in C, one more argument slot per
   * link, until the stack limit. The deep variant starts with 900,000 arguments, so that each
   * link moves them all and the check has the most work between two steps.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Stops.Kind.class, names = "CLOSE", mode = EnumSource.Mode.EXCLUDE)
  void everyStopEndsAChainOfCallMetamethods(Stops.Kind kind) throws Exception {
    String chain = "local t = setmetatable({}, {}) getmetatable(t).__call = t ";
    Stops.assertStops(kind, "print('go') " + chain + "return t()");
    Stops.assertStops(
        kind,
        1L << 30,
        "local a = {} for i = 1, 9e5 do a[i] = i end "
            + chain
            + "print('go') return t(table.unpack(a))");
  }

  @ParameterizedTest(name = "cpu time limit stops {0}")
  @MethodSource("calls")
  void theCpuTimeLimitStopsALibraryLoop(String code, long memoryLimit) throws Exception {
    Stops.assertStops(Stops.Kind.CPU_TIME_LIMIT, memoryLimit, "print('go') " + code);
  }

  /**
   * Each step of this match compares a character against a bracket class of a million
   * characters (about a millisecond): a stop must land at the next step, not after the
   * thousand steps between two regular checks. Not under an instruction limit, which counts
   * steps, not their cost.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = Stops.Kind.class,
      names = {"TIME_LIMIT", "CPU_TIME_LIMIT", "INTERRUPT", "CLOSE"})
  void aStopLandsAtTheNextStepOfAMatchAgainstAHugeClass(Stops.Kind kind) throws Exception {
    Stops.assertStops(
        kind,
        "local p = '[' .. string.rep('a', 1e6) .. 'b]*c' "
            + "local s = string.rep('b', 2e4) print('go') return string.find(s, p)");
  }

  /** The same match with an instruction limit set too: the time limit still uses its timer. */
  @Test
  void aTimeLimitAlongsideAnInstructionLimitStopsAMatchAgainstAHugeClass() throws Exception {
    ComputeUnit cu =
        ComputeUnit.builder()
            .timeLimit(Duration.ofMillis(100))
            .instructionLimit(Long.MAX_VALUE)
            .build();
    try (cu) {
      long start = System.nanoTime();
      Throwable t =
          catchThrowable(
              () ->
                  cu.compute(
                      "local p = '[' .. string.rep('a', 1e6) .. 'b]*c' "
                          + "return string.find(string.rep('b', 2e4), p)"));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(t).isInstanceOf(LuaTimeoutException.class).hasMessage("time limit exceeded");
      assertThat(ms).isLessThan(100 + Stops.LATE_MS);
    }
  }
}
