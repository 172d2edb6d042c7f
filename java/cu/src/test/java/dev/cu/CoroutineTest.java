package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * coroutine.resume and coroutine.wrap are the shim's own (native/src/cu_limits.c); on dead,
 * running and normal coroutines they must answer like Lua's, not crash the JVM. Each case runs
 * on a unit without limits and on one with a time limit, whose coroutines run hooked.
 */
class CoroutineTest {

  private static ComputeUnit unit(boolean limited) {
    return limited
        ? ComputeUnit.builder().timeLimit(Duration.ofSeconds(5)).instructionLimit(1L << 40).build()
        : ComputeUnit.create();
  }

  @ParameterizedTest(name = "limited: {0}")
  @ValueSource(booleans = {false, true})
  void wrapOfFinishedCoroutineRaisesDeadCoroutine(boolean limited) {
    try (ComputeUnit cu = unit(limited)) {
      assertThatThrownBy(
              () -> cu.execute("co", "local f = coroutine.wrap(function() return 1 end)\nf()\nf()"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessage("co:3: cannot resume dead coroutine");
      assertThat(cu.compute("return 1 + 1")).isEqualTo(2L);
    }
  }

  @ParameterizedTest(name = "limited: {0}")
  @ValueSource(booleans = {false, true})
  void wrapOfCoroutineDeadByErrorRaisesDeadCoroutine(boolean limited) {
    try (ComputeUnit cu = unit(limited)) {
      Object msg =
          cu.compute(
              "local f = coroutine.wrap(function() error('x') end)\n"
                  + "pcall(f)\nlocal ok, m = pcall(f)\nreturn m");
      assertThat(msg).isEqualTo("cannot resume dead coroutine");
    }
  }

  @ParameterizedTest(name = "limited: {0}")
  @ValueSource(booleans = {false, true})
  void wrapThatCallsItselfRaisesNonSuspended(boolean limited) {
    try (ComputeUnit cu = unit(limited)) {
      assertThatThrownBy(
              () ->
                  cu.execute(
                      "co",
                      "local f\nf = coroutine.wrap(function()\n  return f()\nend)\nreturn f()"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessage("co:5: co:3: cannot resume non-suspended coroutine");
      // the inner call's error carries its own position, the wrap's call adds the outer one;
      // caught inside, the coroutine goes on running
      assertThat(
              cu.compute(
                  "local f\nf = coroutine.wrap(function() local ok, m = pcall(f) "
                      + "return m end)\nreturn f()"))
          .isEqualTo("cannot resume non-suspended coroutine");
    }
  }

  @ParameterizedTest(name = "limited: {0}")
  @ValueSource(booleans = {false, true})
  void resumeOfRunningCoroutineReturnsFalseThenTheMessage(boolean limited) {
    try (ComputeUnit cu = unit(limited)) {
      ComputeResult r = cu.execute("return coroutine.resume(coroutine.running())");
      assertThat(r.values()).containsExactly(false, "cannot resume non-suspended coroutine");
      ComputeResult inner =
          cu.execute(
              "local co = coroutine.create(function() "
                  + "return coroutine.resume(coroutine.running()) end)\nreturn coroutine.resume(co)");
      assertThat(inner.values())
          .containsExactly(true, false, "cannot resume non-suspended coroutine");
    }
  }
}
