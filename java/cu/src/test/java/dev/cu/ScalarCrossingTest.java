package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scalars (nil, booleans, integers, floats, strings) cross between Java and Lua in the state's
 * slots, everything else as CBOR. These tests pin what the two paths must agree on and where
 * one hands over to the other: more values than slots, more text than fits, a table among the
 * scalars, nested crossings from inside a host function.
 */
class ScalarCrossingTest {
  private static final String ECHO = "return function(...) return ... end";

  @Test
  void everyScalarKindComesBackAsItWent() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaFunction echo = (LuaFunction) cu.compute(ECHO);
      List<Object> out =
          echo.callAll(
              null,
              true,
              false,
              0L,
              -1L,
              Long.MIN_VALUE,
              Long.MAX_VALUE,
              7,
              (short) 3,
              (byte) -2,
              0.5,
              -0.0,
              Double.NaN,
              Double.POSITIVE_INFINITY,
              1.5f,
              "",
              "añ€😀");
      assertThat(out)
          .containsExactly(
              null,
              true,
              false,
              0L,
              -1L,
              Long.MIN_VALUE,
              Long.MAX_VALUE,
              7L,
              3L,
              -2L,
              0.5,
              -0.0,
              Double.NaN,
              Double.POSITIVE_INFINITY,
              1.5,
              "",
              "añ€😀");
      assertThat(Double.doubleToRawLongBits((Double) out.get(11)))
          .isEqualTo(Double.doubleToRawLongBits(-0.0));
    }
  }

  @Test
  void integralFloatsStayFloatsAndIntegersStayIntegers() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.call("math.floor", 2.5)).isEqualTo(2L);
      assertThat(cu.compute("return 2.0")).isEqualTo(2.0);
      LuaFunction type = cu.load("return math.type(...)");
      assertThat(type.call(2L)).isEqualTo("integer");
      assertThat(type.call(2.0)).isEqualTo("float");
    }
  }

  @Test
  void aStringThatIsNotUtf8ComesBackAsBytesOnBothPaths() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      byte[] raw = {(byte) 0xff, 0, (byte) 0xc3};
      LuaFunction echo = (LuaFunction) cu.compute(ECHO);
      assertThat((byte[]) echo.call((Object) raw)).containsExactly(raw);
      assertThat(cu.compute("return #string.char(255, 0, 195)")).isEqualTo(3L);
      assertThat((byte[]) cu.compute("return string.char(255, 0, 195)")).containsExactly(raw);
      // with a table beside it the value crosses as CBOR: the same result
      List<Object> both = echo.callAll(raw, Map.of());
      assertThat((byte[]) both.get(0)).containsExactly(raw);
    }
  }

  @Test
  void moreValuesThanSlotsCrossAsCbor() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaFunction echo = (LuaFunction) cu.compute(ECHO);
      for (int n : new int[] {15, 16, 17, 40}) {
        Object[] in = new Object[n];
        for (int i = 0; i < n; i++) {
          in[i] = (long) i * 3;
        }
        assertThat(echo.callAll(in)).containsExactly(in);
        assertThat(cu.load("return select('#', ...)").call(in)).isEqualTo((long) n);
      }
      assertThat(cu.compute("return table.unpack({}, 1, 20)")).isNull();
      assertThat(cu.execute("return table.unpack({}, 1, 20)").values()).hasSize(20);
    }
  }

  @Test
  void textLongerThanTheSlotsHoldCrossesAsCbor() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaFunction echo = (LuaFunction) cu.compute(ECHO);
      for (int len : new int[] {0, 1, 495, 496, 497, 5000}) {
        String s = "x".repeat(len);
        assertThat(echo.call(s)).isEqualTo(s);
        assertThat(cu.compute("return string.rep('y', " + len + ")")).isEqualTo("y".repeat(len));
        List<Object> two = echo.callAll(s, s);
        assertThat(two).containsExactly(s, s);
      }
      String wide = "€".repeat(200); // 600 bytes, 200 chars
      assertThat(echo.call(wide)).isEqualTo(wide);
    }
  }

  @Test
  void aTableAmongScalarsSendsAllAsCbor() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaFunction echo = (LuaFunction) cu.compute(ECHO);
      List<Object> out = echo.callAll(1L, List.of(2L, 3L), "x");
      assertThat(out).containsExactly(1L, List.of(2L, 3L), "x");
      assertThat(cu.compute("return 1, {2}")).isEqualTo(List.of(2L));
    }
  }

  @Test
  void nilArgumentsKeepTheirPositions() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaFunction count = cu.load("return select('#', ...), (select(2, ...))");
      assertThat(count.callAll(null, "b", null)).containsExactly(3L, "b");
      assertThat(count.callAll((Object[]) null)).containsExactly(1L, null);
      assertThat(count.callAll()).containsExactly(0L, null);
    }
  }

  @Test
  void tableKeysAndValuesCrossInTheSlots() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("t = {}");
      LuaTable t = cu.table("t");
      t.set("k", 1L);
      t.set(2L, "two");
      t.set(true, 0.25);
      t.set("gone", null);
      assertThat(t.get("k")).isEqualTo(1L);
      assertThat(t.get(2L)).isEqualTo("two");
      assertThat(t.get(true)).isEqualTo(0.25);
      assertThat(t.get("missing")).isNull();
      assertThat(cu.compute("return t[2] .. tostring(t[true]) .. t.k")).isEqualTo("two0.251");
      assertThatThrownBy(() -> t.set(null, 1L))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("nil");
      assertThatThrownBy(() -> t.set(Double.NaN, 1L))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("NaN");
      assertThat(t.get(null)).isNull();
    }
  }

  @Test
  void hostFunctionsGetAndGiveScalarsOfEveryKind() {
    List<List<Object>> seen = new ArrayList<>();
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "echo",
                args -> {
                  seen.add(new ArrayList<>(args));
                  return Varargs.of(args.toArray());
                })
            .function("none", args -> Varargs.of())
            .function("one", args -> args.isEmpty() ? null : args.get(0))
            .build()) {
      assertThat(cu.execute("return echo(nil, true, 1, 2.5, 'é', nil)").values())
          .containsExactly(null, true, 1L, 2.5, "é", null);
      assertThat(seen.get(0)).containsExactly(null, true, 1L, 2.5, "é", null);
      assertThat(cu.compute("return select('#', none())")).isEqualTo(0L);
      assertThat(cu.compute("return select('#', one())")).isEqualTo(1L);
      assertThat(cu.compute("return one(string.char(255)) == string.char(255)")).isEqualTo(true);
      String big = "z".repeat(3000);
      assertThat(cu.compute("return one(string.rep('z', 3000))")).isEqualTo(big);
      assertThat(cu.compute("return select('#', echo(table.unpack({}, 1, 30)))")).isEqualTo(30L);
    }
  }

  @Test
  void aHostFunctionThatCallsBackIntoLuaKeepsItsOwnArgumentsAndResults() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "around",
                args -> {
                  LuaFunction f = (LuaFunction) args.get(0);
                  long a = (Long) args.get(1);
                  Object inner = f.call(a * 10, "inner");
                  // the slots were used by the nested call: our arguments are still ours
                  return Varargs.of(args.get(1), inner, args.get(2));
                })
            .function("add", args -> (Long) args.get(0) + (Long) args.get(1))
            .build()) {
      assertThat(
              cu.execute("return around(function(x, s) return add(x, #s) end, 4, 'tail')").values())
          .containsExactly(4L, 45L, "tail");
      LuaFunction outer = cu.load("local a, b = ... return add(a, add(b, add(1, 2)))");
      assertThat(outer.call(10L, 20L)).isEqualTo(33L);
    }
  }

  @Test
  void callByNameUsesTheSlotsAndResolvesThePathAfterTheArguments() {
    try (ComputeUnit cu =
        ComputeUnit.builder().function("side", args -> Varargs.of("a", "b", "c")).build()) {
      cu.compute(
          "lazy = setmetatable({}, {__index = function(_, k) side() return function(...)"
              + " return k, ... end end})");
      assertThat(cu.call("lazy.f", 1L, "two")).isEqualTo("two");
      assertThat(cu.compute("return select('#', lazy.g(1, 2))")).isEqualTo(3L);
      assertThatThrownBy(() -> cu.call("nope", 1L))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("'nope' is not a function");
    }
  }

  @Test
  void errorsAndLimitsStillComeBackAsExceptions() {
    try (ComputeUnit cu = ComputeUnit.builder().instructionLimit(100_000).build()) {
      LuaFunction boom = cu.load("error('boom: ' .. tostring(...))");
      assertThatThrownBy(() -> boom.call(7L))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("boom: 7");
      LuaFunction spin = cu.load("while true do end");
      assertThatThrownBy(() -> spin.call(1L)).isInstanceOf(LuaTimeoutException.class);
      assertThat(cu.load("return ... + 1").call(1L)).isEqualTo(2L);
    }
  }

  @Test
  void resultsOfComputeAndCallStayUnchangedForTablesAndFunctions() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return {1, 2}")).isEqualTo(List.of(1L, 2L));
      assertThat(cu.compute("return {a = 'b'}")).isEqualTo(Map.of("a", "b"));
      assertThat(cu.compute("return print")).isInstanceOf(LuaFunction.class);
      assertThat(cu.compute("return require('json').null")).isNull();
      assertThat(cu.compute("return")).isNull();
      assertThat(cu.compute("return nil, 1")).isEqualTo(1L);
    }
  }
}
