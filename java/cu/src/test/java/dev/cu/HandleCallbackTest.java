package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lua functions passed to host functions: callbacks, retain, release after the host call. */
class HandleCallbackTest {
  /** each(list, fn): calls fn(x) for each element, returns how many calls it made. */
  private static Object each(List<Object> args) {
    List<?> list = (List<?>) args.get(0);
    LuaFunction fn = (LuaFunction) args.get(1);
    for (Object x : list) {
      fn.call(x);
    }
    return list.size();
  }

  @Test
  void aHostFunctionCallsItsLuaCallbackDuringTheCall() {
    try (ComputeUnit cu =
        ComputeUnit.builder().function("each", HandleCallbackTest::each).build()) {
      Object r =
          cu.compute(
              "local s = 0 local n = each({1, 2, 3}, function(x) s = s + x end) return s * 10 + n");
      assertThat(r).isEqualTo(63L);
      // nested: a callback that calls the host function again
      Object nested =
          cu.compute(
              "local out = {} each({1, 2}, function(x) each({x, x}, function(y) out[#out + 1] = y end) end)"
                  + " return table.concat(out, ',')");
      assertThat(nested).isEqualTo("1,1,2,2");
    }
  }

  @Test
  void callbacksSeeAndChangeHomeWhichTheOuterCallCommits() {
    try (ComputeUnit cu =
        ComputeUnit.builder().function("each", HandleCallbackTest::each).build()) {
      cu.compute(
          "_home.seen = {} each({'a', 'b'}, function(x) _home.seen[#_home.seen + 1] = x end)");
      assertThat(cu.compute("return table.concat(_home.seen, '')")).isEqualTo("ab");
      assertThatThrownBy(
              () -> cu.compute("each({'c'}, function(x) _home.seen[3] = x end) error('undo')"))
          .isInstanceOf(LuaRuntimeException.class);
      assertThat(cu.compute("return #_home.seen")).isEqualTo(2L);
    }
  }

  @Test
  void aCallbackWithoutRetainIsReleasedWhenTheHostCallReturns() {
    List<LuaFunction> kept = new ArrayList<>();
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "keep",
                args -> {
                  kept.add((LuaFunction) args.get(0));
                  return null;
                })
            .build()) {
      long before = cu.handleCount();
      cu.compute("keep(function() return 1 end)");
      assertThatThrownBy(() -> kept.get(0).call())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("released when the host function it was passed to returned")
          .hasMessageContaining("retain()");
      assertThat(cu.handleCount()).isEqualTo(before);
    }
  }

  @Test
  void aRetainedCallbackLivesUntilClosed() {
    List<LuaFunction> kept = new ArrayList<>();
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "keep",
                args -> {
                  kept.add(((LuaFunction) args.get(0)).retain());
                  return null;
                })
            .build()) {
      cu.compute("local n = 0 keep(function(k) n = n + k return n end)");
      LuaFunction counter = kept.get(0);
      assertThat(counter.call(5)).isEqualTo(5L);
      assertThat(counter.call(2)).isEqualTo(7L);
      counter.close();
      assertThatThrownBy(counter::call).hasMessage("LuaFunction is closed");
    }
  }

  @Test
  void aCallbackReturnedByTheHostFunctionIsTheSameFunction() {
    try (ComputeUnit cu = ComputeUnit.builder().function("id", args -> args.get(0)).build()) {
      assertThat(cu.compute("local f = function() end return id(f) == f")).isEqualTo(true);
    }
  }

  @Test
  void callbackErrorsReachTheHostFunctionAsExceptions() {
    List<Throwable> caught = new ArrayList<>();
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "try",
                args -> {
                  try {
                    ((LuaFunction) args.get(0)).call();
                  } catch (LuaRuntimeException e) {
                    caught.add(e);
                  }
                  return "survived";
                })
            .build()) {
      assertThat(cu.compute("return try(function() error('inner') end)")).isEqualTo("survived");
      assertThat(caught)
          .singleElement()
          .satisfies(e -> assertThat(e).hasMessageContaining("inner"));
    }
  }

  @Test
  void aCallbackThatLoopsForeverIsStoppedByTheTimeLimit() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .timeLimit(Duration.ofMillis(200))
            .function("each", HandleCallbackTest::each)
            .build()) {
      assertThatThrownBy(() -> cu.compute("each({1}, function() while true do end end)"))
          .isInstanceOf(LuaTimeoutException.class);
      assertThat(cu.compute("return 1")).isEqualTo(1L);
    }
  }
}
