package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Java functions called from Lua, and Lua functions called from Java with {@code call}. */
class HostFunctionTest {

  record Rect(long w, long h) {}

  record Point(long x, long y) {}

  @Test
  void globalAndModuleFunctions() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function("twice", args -> (Long) args.get(0) * 2)
            .function("m.f", args -> "from m.f")
            .function("string.shout", args -> ((String) args.get(0)).toUpperCase())
            .build()) {
      assertThat(cu.compute("return twice(21)")).isEqualTo(42L);
      assertThat(cu.compute("return m.f()")).isEqualTo("from m.f");
      assertThat(cu.compute("return type(m)")).isEqualTo("table");
      assertThat(cu.compute("return ('abc'):shout(), string.upper('x')")).isEqualTo("X");
      assertThat(cu.compute("return ('abc'):shout()")).isEqualTo("ABC");
    }
  }

  @Test
  void argumentsAreConverted() {
    List<List<Object>> seen = new ArrayList<>();
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "f",
                args -> {
                  seen.add(args);
                  return null;
                })
            .build()) {
      cu.compute("f(1, 2.5, 's', {1, 2}, {a = 1}, nil, true, 3.0)");
      assertThat(seen.get(0))
          .containsExactly(1L, 2.5, "s", List.of(1L, 2L), Map.of("a", 1L), null, true, 3.0);
      cu.compute("f()");
      assertThat(seen.get(1)).isEmpty();
      cu.compute("_home.t = {x = {1}} f(_home.t, print)");
      assertThat(seen.get(2).get(0)).isEqualTo(Map.of("x", List.of(1L)));
      assertThat(seen.get(2).get(1)).isInstanceOf(LuaFunction.class);
    }
  }

  @Test
  void resultsAreConvertedBack() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function("map", args -> Map.of("k", "v", "n", Map.of("deep", 1)))
            .function("list", args -> List.of(10L, 20L, 30L))
            .function("none", args -> null)
            .function("rec", args -> new Point(3, 4))
            .function("bytes", args -> new byte[] {(byte) 0xff, 'x'})
            .function("max", args -> Long.MAX_VALUE)
            .build()) {
      assertThat(cu.execute("local m = map() return m.k, m.n.deep").values())
          .containsExactly("v", 1L);
      assertThat(cu.execute("local l = list() return #l, l[2], l[3]").values())
          .containsExactly(3L, 20L, 30L);
      assertThat(cu.execute("return none() == nil, select('#', none())").values())
          .containsExactly(true, 1L);
      assertThat(cu.compute("local p = rec() return p.x * 10 + p.y")).isEqualTo(34L);
      assertThat(cu.execute("local b = bytes() return #b, b:byte(1)").values())
          .containsExactly(2L, 255L);
      assertThat(cu.compute("return max() == math.maxinteger")).isEqualTo(true);
    }
  }

  @Test
  void javaExceptionIsALuaErrorCatchableByPcall() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "boom",
                args -> {
                  throw new IllegalStateException("kaboom");
                })
            .build()) {
      List<Object> values = cu.execute("return pcall(boom)").values();
      assertThat(values.get(0)).isEqualTo(false);
      assertThat(values.get(1)).isEqualTo("host function 'boom' failed");
      assertThat(cu.compute("local ok, e = pcall(function() boom() end) return e"))
          .isEqualTo("compute:1: host function 'boom' failed");
      assertThat(cu.compute("local ok, e = pcall(boom) return ok")).isEqualTo(false);
      assertThat(cu.compute("return 1")).isEqualTo(1L);
    }
  }

  @Test
  void uncaughtJavaExceptionIsTheCauseOfTheLuaRuntimeException() {
    IllegalStateException original = new IllegalStateException("kaboom");
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "boom",
                args -> {
                  throw original;
                })
            .build()) {
      LuaRuntimeException e =
          catchThrowableOfType(LuaRuntimeException.class, () -> cu.compute("_home.x = 1 boom()"));
      assertThat(e).hasMessage("compute:1: host function 'boom' failed");
      assertThat(e.getCause()).isSameAs(original);
      assertThat(cu.compute("return _home.x")).isNull();
      assertThat(cu.compute("return 2")).isEqualTo(2L);
    }
  }

  @Test
  void exceptionWithoutMessageGivesOnlyTheFunctionName() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "npe",
                args -> {
                  throw new NullPointerException();
                })
            .build()) {
      assertThatThrownBy(() -> cu.compute("npe()"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessage("compute:1: host function 'npe' failed")
          .hasCauseInstanceOf(NullPointerException.class);
    }
  }

  @Test
  void errorAfterCaughtHostFailureHasNoStaleCause() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "boom",
                args -> {
                  throw new IllegalStateException("kaboom");
                })
            .build()) {
      LuaRuntimeException e =
          catchThrowableOfType(
              LuaRuntimeException.class, () -> cu.compute("pcall(boom) error('unrelated')"));
      assertThat(e).hasMessageContaining("unrelated");
      assertThat(e.getCause()).isNull();
    }
  }

  @Test
  void typedFunctionBindsATableToARecord() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function("area", Rect.class, r -> r.w() * r.h())
            .function("inc", Long.class, x -> x + 1)
            .function("names", String[].class, a -> String.join("+", Arrays.asList(a)))
            .build()) {
      assertThat(cu.compute("return area({w = 3, h = 4})")).isEqualTo(12L);
      assertThat(cu.compute("return inc(41)")).isEqualTo(42L);
      assertThat(cu.compute("return names({'a', 'b'})")).isEqualTo("a+b");
    }
  }

  @Test
  void hostFunctionCannotReenterItsUnit() {
    AtomicReference<ComputeUnit> self = new AtomicReference<>();
    try (ComputeUnit cu =
        ComputeUnit.builder().function("reenter", args -> self.get().compute("return 1")).build()) {
      self.set(cu);
      assertThat(cu.execute("return pcall(reenter)").values().get(1))
          .isEqualTo("host function 'reenter' failed");
      assertThatThrownBy(() -> cu.compute("reenter()"))
          .isInstanceOf(LuaRuntimeException.class)
          .cause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("inside its own call");
      assertThat(cu.compute("return 3")).isEqualTo(3L);
    }
  }

  @Test
  void callRunsALuaGlobalAndAHomeFunction() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute(
          "function add(a, b) return a + b end "
              + "function info(t) return t.name .. '/' .. #t.list end "
              + "lib = {twice = function(x) return x * 2 end}");
      assertThat(cu.call("add", 2, 3)).isEqualTo(5L);
      assertThat(cu.call("add", 2.5, 1)).isEqualTo(3.5);
      assertThat(cu.call("info", Map.of("name", "n", "list", List.of(1, 2, 3)))).isEqualTo("n/3");
      assertThat(cu.call("lib.twice", 21)).isEqualTo(42L);
      cu.compute(
          "_home.add = function(a, b) _home.calls = (_home.calls or 0) + 1 return a * b end");
      assertThat(cu.call("_home.add", 6, 7)).isEqualTo(42L);
      assertThat(cu.compute("return _home.calls")).isEqualTo(1L);
    }
  }

  @Test
  void callOfAMissingFunctionNamesIt() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.call("x"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessage("'x' is not a function");
      cu.compute("notfn = 5 t = {}");
      assertThatThrownBy(() -> cu.call("notfn")).hasMessage("'notfn' is not a function");
      assertThatThrownBy(() -> cu.call("t.f")).hasMessage("'t.f' is not a function");
      assertThatThrownBy(() -> cu.call("nope.f")).hasMessage("'nope.f' is not a function");
      assertThat(cu.compute("return 1")).isEqualTo(1L);
    }
  }

  @Test
  void callGivesRightResultsOverManyCalls() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("n = 0 function step(x) n = n + 1 return x * x + n end");
      for (long i = 0; i < 10_000; i++) {
        assertThat(cu.call("step", i)).isEqualTo(i * i + i + 1);
      }
      assertThat(cu.compute("return n")).isEqualTo(10_000L);
    }
  }

  /** Arguments of every size, growing and shrinking, and many paths, reach Lua intact. */
  @Test
  void callArgumentsOfAnySizeAndManyPathsArriveIntact() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("function echo(...) return table.concat({...}, '|') end lib = {}");
      for (int len : new int[] {0, 1, 63, 64, 65, 200, 5_000, 3, 100_000, 10}) {
        String s = "x".repeat(len);
        assertThat(cu.call("echo", s, len)).isEqualTo(s + "|" + len);
      }
      assertThat(cu.call("echo")).isEqualTo("");
      for (int i = 0; i < 600; i++) { // more paths than the unit keeps encoded
        cu.compute("lib.f" + i + " = function() return " + i + " end");
        assertThat(cu.call("lib.f" + i)).isEqualTo((long) i);
      }
      assertThat(cu.call("lib.f3")).isEqualTo(3L);
    }
  }

  /** Results of every size, small and past the unit's reply buffer, reach Lua intact. */
  @Test
  void hostResultsOfAnySizeArriveIntact() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function("rep", args -> "y".repeat(((Long) args.get(0)).intValue()))
            .build()) {
      assertThat(
              cu.compute(
                  "local n = 0 for _, len in ipairs({0, 5, 4090, 4100, 3, 70000, 1}) do "
                      + "local s = rep(len) assert(#s == len and s == string.rep('y', len)) n = n + #s end "
                      + "return n"))
          .isEqualTo(0L + 5 + 4090 + 4100 + 3 + 70000 + 1);
    }
  }

  @Test
  void callOfAHostFunction() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function("m.sum", args -> args.stream().mapToLong(a -> (Long) a).sum())
            .build()) {
      assertThat(cu.call("m.sum", 1, 2, 3)).isEqualTo(6L);
    }
  }

  @Test
  void registeringUnderANonTableIsRefusedAtBuild() {
    assertThatThrownBy(() -> ComputeUnit.builder().function("math.pi.f", a -> 1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("math.pi.f");
    assertThatThrownBy(
            () -> ComputeUnit.builder().function("a", x -> 1).function("a.b", x -> 2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a.b");
    assertThatThrownBy(() -> ComputeUnit.builder().function("_VERSION.f", a -> 1).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void invalidNamesAreRefusedByTheBuilder() {
    for (String name : new String[] {"", ".a", "a."}) {
      assertThatThrownBy(() -> ComputeUnit.builder().function(name, a -> 1))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
