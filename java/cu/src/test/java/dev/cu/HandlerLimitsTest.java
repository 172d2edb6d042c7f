package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Code that runs in handlers (xpcall message handlers, __close handlers run by coroutine.close
 * or coroutine.wrap, in the main thread or a coroutine) is stopped like any other code.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HandlerLimitsTest {
  private static final String LOOP = "print('go') while true do end";
  private static final String CLOSING =
      "local x <close> = setmetatable({}, {__close = function() " + LOOP + " end}) ";

  @ParameterizedTest
  @EnumSource(value = Stops.Kind.class, names = "CPU_TIME_LIMIT", mode = EnumSource.Mode.EXCLUDE)
  void aLoopingXpcallHandlerIsStopped(Stops.Kind kind) throws Exception {
    Stops.assertStops(kind, "xpcall(error, function(m) " + LOOP + " end)");
  }

  @ParameterizedTest
  @EnumSource(value = Stops.Kind.class, names = "CPU_TIME_LIMIT", mode = EnumSource.Mode.EXCLUDE)
  void aLoopingXpcallHandlerInACoroutineIsStopped(Stops.Kind kind) throws Exception {
    Stops.assertStops(
        kind, "coroutine.wrap(function() xpcall(error, function(m) " + LOOP + " end) end)()");
  }

  @ParameterizedTest
  @EnumSource(value = Stops.Kind.class, names = "CPU_TIME_LIMIT", mode = EnumSource.Mode.EXCLUDE)
  void aLoopingCloseHandlerRunByCoroutineCloseIsStopped(Stops.Kind kind) throws Exception {
    Stops.assertStops(
        kind,
        "local co = coroutine.create(function() "
            + CLOSING
            + "coroutine.yield() end) coroutine.resume(co) coroutine.close(co) return 'escaped'");
  }

  @ParameterizedTest
  @EnumSource(value = Stops.Kind.class, names = "CPU_TIME_LIMIT", mode = EnumSource.Mode.EXCLUDE)
  void aLoopingCloseHandlerOfADeadCoroutineIsStopped(Stops.Kind kind) throws Exception {
    Stops.assertStops(
        kind,
        "local co = coroutine.create(function() "
            + CLOSING
            + "error('x') end) coroutine.resume(co) coroutine.close(co) return 'escaped'");
  }

  @ParameterizedTest
  @EnumSource(value = Stops.Kind.class, names = "CPU_TIME_LIMIT", mode = EnumSource.Mode.EXCLUDE)
  void aLoopingCloseHandlerRunByCoroutineWrapIsStopped(Stops.Kind kind) throws Exception {
    Stops.assertStops(kind, "coroutine.wrap(function() " + CLOSING + "error('x') end)()");
  }

  @ParameterizedTest
  @EnumSource(
      value = Stops.Kind.class,
      names = {"TIME_LIMIT", "INSTRUCTION_LIMIT"})
  void aCloseHandlerOfACoroutineStoppedInsideItIsStopped(Stops.Kind kind) throws Exception {
    // the stop is raised inside the coroutine's hook; its __close then runs on a dead thread
    Stops.assertStops(kind, "coroutine.wrap(function() " + CLOSING + "while true do end end)()");
    Stops.assertStops(
        kind,
        "local co = coroutine.create(function() "
            + CLOSING
            + "while true do end end) pcall(coroutine.resume, co) coroutine.close(co)");
  }

  @Test
  void coroutineCloseKeepsLuasResultsErrorsAndPositions() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(
              cu.compute(
                  "return select(2, pcall(function() "
                      + "coroutine.close(coroutine.running()) end))"))
          .isEqualTo("compute:1: cannot close a running coroutine");
      assertThat(
              cu.compute(
                  "local co co = coroutine.create(function() "
                      + "local inner = coroutine.create(function() "
                      + "return select(2, pcall(function() coroutine.close(co) end)) end) "
                      + "return select(2, coroutine.resume(inner)) end) "
                      + "return select(2, coroutine.resume(co))"))
          .isEqualTo("compute:1: cannot close a normal coroutine");
      assertThat(cu.compute("return select(2, pcall(function() coroutine.close(1) end))"))
          .isEqualTo("compute:1: bad argument #1 to 'close' (thread expected, got number)");
      assertThat(
              cu.execute(
                      "local co = coroutine.create(function() "
                          + "local x <close> = setmetatable({}, {__close = function() error('in close') end}) "
                          + "coroutine.yield() end) coroutine.resume(co) "
                          + "local ok, err = coroutine.close(co) return ok, err, coroutine.status(co)")
                  .values())
          .containsExactly(false, "compute:1: in close", "dead");
      assertThat(
              cu.execute(
                      "local co = coroutine.create(print) "
                          + "return coroutine.close(co), coroutine.status(co)")
                  .values())
          .containsExactly(true, "dead");
    }
  }

  @ParameterizedTest
  @EnumSource(value = Stops.Kind.class, names = "CPU_TIME_LIMIT", mode = EnumSource.Mode.EXCLUDE)
  void aStopCaughtByAResumerStillEndsTheRun(Stops.Kind kind) throws Exception {
    Stops.assertStops(
        kind,
        "local co = coroutine.create(function() "
            + LOOP
            + " end) "
            + "coroutine.resume(co) return 'escaped'");
  }
}
