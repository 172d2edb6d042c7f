package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LuaCoroutineTest {
  @Test
  void resumeReturnsYieldedThenReturnedValues() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute(
          "function gen(a) local b = coroutine.yield(a + 1, 'first')"
              + " local c = coroutine.yield(b * 2) return 'done', c end");
      LuaCoroutine co = cu.function("gen").coroutine();
      assertThat(co.status()).isEqualTo("suspended");
      assertThat(co.resume(1)).isEqualTo(List.of(2L, "first"));
      assertThat(co.status()).isEqualTo("suspended");
      assertThat(co.resume(5)).isEqualTo(List.of(10L));
      assertThat(co.resume("end")).isEqualTo(List.of("done", "end"));
      assertThat(co.status()).isEqualTo("dead");
      assertThatThrownBy(co::resume)
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("cannot resume dead coroutine");
    }
  }

  @Test
  void anErrorInsideKillsTheCoroutine() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaCoroutine co = cu.load("coroutine.yield(1) error('inside')").coroutine();
      assertThat(co.resume()).isEqualTo(List.of(1L));
      assertThatThrownBy(co::resume)
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("inside");
      assertThat(co.status()).isEqualTo("dead");
    }
  }

  @Test
  void aCoroutineSeesItselfRunningFromACallback() {
    List<Object> seen = new java.util.ArrayList<>();
    LuaCoroutine[] self = new LuaCoroutine[1];
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "probe",
                args -> {
                  seen.add(self[0].status());
                  return null;
                })
            .build()) {
      self[0] = cu.load("probe() coroutine.yield() probe()").coroutine();
      self[0].resume();
      self[0].resume();
      assertThat(seen).containsExactly("running", "running");
      assertThat(self[0].status()).isEqualTo("dead");
    }
  }

  @Test
  void resumesRunUnderTheTimeLimit() {
    try (ComputeUnit cu = ComputeUnit.builder().timeLimit(Duration.ofMillis(200)).build()) {
      LuaCoroutine co = cu.load("coroutine.yield('once') while true do end").coroutine();
      assertThat(co.resume()).containsExactly("once");
      assertThatThrownBy(co::resume).isInstanceOf(LuaTimeoutException.class);
      assertThat(cu.compute("return 1")).isEqualTo(1L);
    }
  }

  @Test
  void closeRunsPendingToBeClosedVariablesLikeCoroutineClose() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute(
          "closed = 0 function tbc() local x <close> = setmetatable({},"
              + " {__close = function() closed = closed + 1 end}) coroutine.yield(1) end"
              + " function bad() local x <close> = setmetatable({},"
              + " {__close = function() error('in close') end}) coroutine.yield() end");
      LuaCoroutine co = cu.function("tbc").coroutine();
      assertThat(co.resume()).containsExactly(1L);
      co.close();
      assertThat(cu.compute("return closed")).isEqualTo(1L);
      LuaCoroutine failing = cu.function("bad").coroutine();
      failing.resume();
      assertThatThrownBy(failing::close)
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("in close");
      assertThatThrownBy(failing::status).hasMessage("LuaCoroutine is closed");
    }
  }

  @Test
  void closeIsIdempotentAndEndsTheHandle() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaCoroutine co = cu.load("coroutine.yield()").coroutine();
      co.resume();
      co.close();
      co.close();
      assertThatThrownBy(co::status)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("LuaCoroutine is closed");
    }
  }
}
