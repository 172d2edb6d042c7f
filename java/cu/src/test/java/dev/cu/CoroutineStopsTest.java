package dev.cu;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A stop raised inside a coroutine ends the call with the stop's own message and reason,
 * however the coroutine was run (resume, wrap, close, nested, under pcall or xpcall) and
 * whatever the script does with what the resumer returned (docs/LIMITS.md).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CoroutineStopsTest {
  private static final String LOOP = "function() print('go') while true do end end";
  private static final String CLOSING =
      "local co = coroutine.create(function() "
          + "local x <close> = setmetatable({}, {__close = "
          + LOOP
          + "}) coroutine.yield() end) "
          + "coroutine.resume(co) ";

  /** Each script runs a loop inside a coroutine that only a stop ends. */
  static final List<String> SCRIPTS =
      List.of(
          "return coroutine.resume(coroutine.create(" + LOOP + "))",
          "local ok, e = coroutine.resume(coroutine.create(" + LOOP + ")) return ok, e",
          "return select(2, coroutine.resume(coroutine.create(" + LOOP + ")))",
          "local co = coroutine.create("
              + LOOP
              + ") coroutine.resume(co) return coroutine.status(co)",
          "return coroutine.wrap(" + LOOP + ")()",
          "return pcall(coroutine.wrap(" + LOOP + "))",
          "return pcall(coroutine.resume, coroutine.create(" + LOOP + "))",
          "return xpcall(coroutine.wrap(" + LOOP + "), function(m) return 'handled: ' .. m end)",
          "return xpcall(coroutine.resume, print, coroutine.create(" + LOOP + "))",
          "return coroutine.resume(coroutine.create(function() "
              + "return coroutine.resume(coroutine.create("
              + LOOP
              + ")) end))",
          "return coroutine.wrap(function() return coroutine.wrap(" + LOOP + ")() end)()",
          "return coroutine.resume(coroutine.create(function() "
              + "return pcall(coroutine.wrap("
              + LOOP
              + ")) end))",
          "return coroutine.wrap(function() "
              + "return coroutine.resume(coroutine.create("
              + LOOP
              + ")) end)()",
          CLOSING + "return coroutine.close(co)",
          CLOSING + "return pcall(coroutine.close, co)",
          CLOSING
              + "return coroutine.resume(coroutine.create(function() "
              + "return coroutine.close(co) end))",
          "local co = coroutine.wrap(function() while true do coroutine.yield() end end) "
              + "print('go') while true do co() end");

  static List<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Stops.Kind kind : Stops.Kind.values()) {
      if (kind != Stops.Kind.CLOSE) {
        for (String s : SCRIPTS) {
          out.add(Arguments.of(kind, s));
        }
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  void aStopInsideACoroutineReportsItsOwnMessageAndReason(Stops.Kind kind, String code)
      throws Exception {
    Stops.assertStops(kind, code);
  }
}
