package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LuaFunctionTest {
  record Point(long x, long y) {}

  @Test
  void loadCompilesOnceAndEachCallRunsTheChunk() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("n = 0");
      LuaFunction f = cu.load("n = n + 1 local a, b = ... return a + b");
      assertThat(f.call(2L, 3L)).isEqualTo(5L);
      assertThat(f.call(10L, 0.5)).isEqualTo(10.5);
      assertThat(cu.compute("return n")).isEqualTo(2L);
    }
  }

  @Test
  void loadOfBadCodeIsASyntaxErrorNamingTheChunk() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.load("script", "return +"))
          .isInstanceOf(LuaSyntaxException.class)
          .hasMessageStartingWith("script:1:");
    }
  }

  @Test
  void callAllReturnsEveryValueAndCallTheLast() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaFunction f = cu.load("return 1, nil, 'x'");
      assertThat(f.callAll()).isEqualTo(Arrays.asList(1L, null, "x"));
      assertThat(f.call()).isEqualTo("x");
      assertThat(cu.load("return").callAll()).isEmpty();
    }
  }

  @Test
  void callWithATypeBindsTheResultThroughJackson() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaFunction f = cu.load("local x = ... return {x = x, y = x * 2}");
      assertThat(f.call(Point.class, 4)).isEqualTo(new Point(4, 8));
    }
  }

  @Test
  void functionResolvesGlobalsDottedPathsAndHome() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute(
          "mod = {twice = function(x) return x * 2 end} _home.add = function(a, b) return a + b end");
      assertThat(cu.function("mod.twice").call(21)).isEqualTo(42L);
      assertThat(cu.function("string.upper").call("abc")).isEqualTo("ABC");
      assertThat(cu.function("_home.add").call(1, 2)).isEqualTo(3L);
    }
  }

  @Test
  void aPathThatNamesNoFunctionIsAClearError() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("mod = {}");
      assertThatThrownBy(() -> cu.function("nope"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("'nope' is not a function");
      assertThatThrownBy(() -> cu.function("mod")).hasMessageContaining("'mod' is not a function");
      assertThatThrownBy(() -> cu.function("mod.x.y"))
          .hasMessageContaining("'mod.x.y' is not a function");
    }
  }

  @Test
  void functionsInResultsAreCallableHandles() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaFunction inc =
          (LuaFunction) cu.compute("local k = 10 return function(x) return x + k end");
      assertThat(inc.call(1)).isEqualTo(11L);
      assertThat(inc.toString()).startsWith("function: ");
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) cu.compute("return {f = math.max}");
      assertThat(((LuaFunction) m.get("f")).call(3, 9, 4)).isEqualTo(9L);
    }
  }

  @Test
  void aHandlePassedBackIntoLuaIsTheSameFunction() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("function isPrint(f) return f == print end function apply(f, x) return f(x) end");
      LuaFunction print = cu.function("print");
      assertThat(cu.call("isPrint", print)).isEqualTo(true);
      assertThat(cu.function("isPrint").call(print)).isEqualTo(true);
      LuaFunction up = cu.function("string.upper");
      assertThat(cu.call("apply", up, "x")).isEqualTo("X");
      cu.setInput(Map.of("f", up));
      assertThat(cu.compute("return _io.input.f == string.upper")).isEqualTo(true);
    }
  }

  @Test
  void errorsMapLikeCompute() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaFunction f = cu.load("error('boom')");
      assertThatThrownBy(f::call)
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessage("compute:1: boom");
      assertThat(cu.load("return 1").call()).isEqualTo(1L);
    }
  }

  @Test
  void callsRunUnderTheTimeLimit() {
    try (ComputeUnit cu = ComputeUnit.builder().timeLimit(Duration.ofMillis(200)).build()) {
      cu.compute("function spin() while true do end end");
      LuaFunction spin = cu.function("spin");
      assertThatThrownBy(spin::call)
          .isInstanceOfSatisfying(
              LuaTimeoutException.class,
              e -> assertThat(e.reason()).isEqualTo(LuaTimeoutException.Reason.TIME_LIMIT));
      assertThat(cu.compute("return 'alive'")).isEqualTo("alive");
    }
  }

  @Test
  void callsRunUnderTheMemoryAndInstructionLimits() {
    try (ComputeUnit cu =
        ComputeUnit.builder().memoryLimit(8L << 20).instructionLimit(1_000_000).build()) {
      LuaFunction grow = cu.load("local t = {} for i = 1, 1e7 do t[i] = {} end");
      assertThatThrownBy(grow::call).isInstanceOf(LuaException.class);
      LuaFunction spin = cu.load("while true do end");
      assertThatThrownBy(spin::call).isInstanceOf(LuaTimeoutException.class);
      assertThat(cu.load("return 2").call()).isEqualTo(2L);
    }
  }

  @Test
  void callsRunUnderTheCpuTimeLimit() {
    try (ComputeUnit cu = ComputeUnit.builder().cpuTimeLimit(Duration.ofMillis(100)).build()) {
      assertThatThrownBy(cu.load("while true do end")::call)
          .isInstanceOfSatisfying(
              LuaTimeoutException.class,
              e -> assertThat(e.reason()).isEqualTo(LuaTimeoutException.Reason.CPU_TIME_LIMIT));
    }
  }

  @Test
  void aCallIsInterruptedFromAnotherThread() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "started",
                args -> {
                  started.countDown();
                  return null;
                })
            .build()) {
      LuaFunction spin = cu.load("started() while true do end");
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread t =
          new Thread(
              () -> {
                try {
                  spin.call();
                } catch (Throwable e) {
                  failure.set(e);
                }
              });
      t.start();
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      cu.interrupt();
      t.join(10_000);
      assertThat(failure.get())
          .isInstanceOfSatisfying(
              LuaTimeoutException.class,
              e -> assertThat(e.reason()).isEqualTo(LuaTimeoutException.Reason.INTERRUPTED));
    }
  }

  @Test
  void aCallThatChangesHomeCommits() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaFunction put = cu.load("local k, v = ... _home[k] = v");
      put.call("a", 1);
      assertThat(cu.compute("return _home.a")).isEqualTo(1L);
      LuaFunction failing = cu.load("_home.b = 2 error('no')");
      assertThatThrownBy(failing::call).isInstanceOf(LuaRuntimeException.class);
      assertThat(cu.compute("return _home.b")).isNull();
    }
  }
}
