package dev.cu;

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
    Stops.assertStops(kind,
        "coroutine.wrap(function() xpcall(error, function(m) " + LOOP + " end) end)()");
  }

  @ParameterizedTest
  @EnumSource(value = Stops.Kind.class, names = "CPU_TIME_LIMIT", mode = EnumSource.Mode.EXCLUDE)
  void aLoopingCloseHandlerRunByCoroutineCloseIsStopped(Stops.Kind kind) throws Exception {
    Stops.assertStops(kind, "local co = coroutine.create(function() " + CLOSING
        + "coroutine.yield() end) coroutine.resume(co) coroutine.close(co) return 'escaped'");
  }

  @ParameterizedTest
  @EnumSource(value = Stops.Kind.class, names = "CPU_TIME_LIMIT", mode = EnumSource.Mode.EXCLUDE)
  void aLoopingCloseHandlerOfADeadCoroutineIsStopped(Stops.Kind kind) throws Exception {
    Stops.assertStops(kind, "local co = coroutine.create(function() " + CLOSING
        + "error('x') end) coroutine.resume(co) coroutine.close(co) return 'escaped'");
  }

  @ParameterizedTest
  @EnumSource(value = Stops.Kind.class, names = "CPU_TIME_LIMIT", mode = EnumSource.Mode.EXCLUDE)
  void aLoopingCloseHandlerRunByCoroutineWrapIsStopped(Stops.Kind kind) throws Exception {
    Stops.assertStops(kind, "coroutine.wrap(function() " + CLOSING + "error('x') end)()");
  }

  @ParameterizedTest
  @EnumSource(value = Stops.Kind.class, names = {"TIME_LIMIT", "INSTRUCTION_LIMIT"})
  void aCloseHandlerOfACoroutineStoppedInsideItIsStopped(Stops.Kind kind) throws Exception {
    // the stop is raised inside the coroutine's hook; its __close then runs on a dead thread
    Stops.assertStops(kind, "coroutine.wrap(function() " + CLOSING + "while true do end end)()");
    Stops.assertStops(kind, "local co = coroutine.create(function() " + CLOSING
        + "while true do end end) pcall(coroutine.resume, co) coroutine.close(co)");
  }

  @ParameterizedTest
  @EnumSource(value = Stops.Kind.class, names = "CPU_TIME_LIMIT", mode = EnumSource.Mode.EXCLUDE)
  void aStopCaughtByAResumerStillEndsTheRun(Stops.Kind kind) throws Exception {
    Stops.assertStops(kind, "local co = coroutine.create(function() " + LOOP + " end) "
        + "coroutine.resume(co) return 'escaped'");
  }
}
