package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The conformance cases H1-H17 and H23-H25 ("_home"). The cases across a restart (H5, H6, H11,
 * H18-H22) are in {@link FunctionPersistenceTest}, {@link MetatablePersistenceTest},
 * {@link StorageTest} and {@link NewJvmRestartTest}; of H11 only the same-unit part is here.
 * Semantics beyond the table (write-through, atomicity, reclaiming) are in
 * {@link HomeSemanticsTest}.
 */
class HomeConformanceTest {

  private static Object fresh(String code) {
    try (ComputeUnit cu = ComputeUnit.create()) {
      return cu.compute(code);
    }
  }

  @Test
  @DisplayName("H1: a value written in one compute is read in the next")
  void h1_valueSurvivesBetweenComputes() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("_home.myValue = 123")).isNull();
      assertThat(cu.compute("return _home.myValue + 1000")).isEqualTo(1123L);
    }
  }

  @Test
  @DisplayName("H2: a counter incremented by two computes")
  void h2_counter() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.counter = 0");
      cu.compute("_home.counter = _home.counter + 1");
      cu.compute("_home.counter = _home.counter + 1");
      assertThat(cu.compute("return _home.counter")).isEqualTo(2L);
    }
  }

  @Test
  @DisplayName("H3: a function stored in _home is callable later")
  void h3_functionInHome() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.add = function(a,b) return a+b end");
      assertThat(cu.compute("return _home.add(10,32)")).isEqualTo(42L);
      assertThat(cu.compute("return type(_home.add)")).isEqualTo("function");
    }
  }

  @Test
  @DisplayName("H4: a recursive function defined as a field of _home")
  void h4_recursiveFunctionInHome() {
    assertThat(
            fresh(
                "function _home.fib(n) if n<=1 then return n end "
                    + "return _home.fib(n-1)+_home.fib(n-2) end return _home.fib(20)"))
        .isEqualTo(6765L);
  }

  @Test
  @DisplayName("H7: a sequence in _home: indexing and #")
  void h7_sequence() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.numbers = {10,20,30,40,50}");
      assertThat(cu.compute("return _home.numbers[3]")).isEqualTo(30L);
      assertThat(cu.compute("return #_home.numbers")).isEqualTo(5L);
    }
  }

  @Test
  @DisplayName("H8: nested writes go through, also through a local alias")
  void h8_writeThrough() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.t = {x=1, y={z=2}}");
      cu.compute("_home.t.y.z = 99");
      cu.compute("local d = _home.t; d.x = 5");
      assertThat(cu.compute("return _home.t.x * 1000 + _home.t.y.z")).isEqualTo(5099L);
    }
  }

  @Test
  @DisplayName("H9: assigning a table copies it; later changes to the local do not show")
  void h9_copyOnAssign() {
    assertThat(fresh("local t={1,2,3}; _home.arr=t; t[4]=4; return #_home.arr")).isEqualTo(3L);
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("t = {1,2,3}; _home.arr = t");
      cu.compute("t[4] = 4; t[1] = 100");
      assertThat(cu.execute("return #_home.arr, _home.arr[1], rawequal(t, _home.arr)").values())
          .containsExactly(3L, 1L, false);
    }
  }

  @Test
  @DisplayName("H10: sharing inside one assigned value is preserved")
  void h10_sharingPreserved() {
    assertThat(fresh("local s={v=1}; _home.sh={a=s,b=s}; _home.sh.a.v=2; return _home.sh.b.v"))
        .isEqualTo(2L);
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("local s={v=1}; _home.sh={a=s,b=s}");
      cu.compute("_home.sh.a.v = 3");
      assertThat(cu.execute("return _home.sh.b.v, rawequal(_home.sh.a, _home.sh.b)").values())
          .containsExactly(3L, true);
    }
  }

  @Test
  @DisplayName("H11 (same unit): a cycle assigned into _home stays a cycle")
  void h11_cycleOnTheSameUnit() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("local t={name=\"loop\"}; t.self=t; _home.c=t");
      assertThat(cu.compute("return _home.c.self.self.name")).isEqualTo("loop");
      assertThat(cu.compute("return rawequal(_home.c, _home.c.self)")).isEqualTo(true);
    }
  }

  @Test
  @DisplayName("H12: pairs over _home visits every entry")
  void h12_pairs() {
    assertThat(
            fresh(
                "_home.a=1; _home.b=2; local n=0; for k,v in pairs(_home) do n=n+1 end; "
                    + "return n"))
        .isEqualTo(2L);
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.a = 1; _home.b = 2");
      assertThat(
              cu.compute(
                  "local s = {} for k, v in pairs(_home) do s[#s + 1] = k .. '=' .. v "
                      + "end table.sort(s) return table.concat(s, ',')"))
          .isEqualTo("a=1,b=2");
    }
  }

  @Test
  @DisplayName("H13: assigning nil deletes")
  void h13_nilDeletes() {
    assertThat(fresh("_home.a = 1; _home.a = nil; return _home.a == nil and next(_home) == nil"))
        .isEqualTo(true);
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.a = 1; _home.b = 2");
      cu.compute("_home.a = nil");
      assertThat(cu.execute("return _home.a, next(_home)").values()).containsExactly(null, "b", 2L);
      assertThat(cu.compute("return _home")).isEqualTo(Map.of("b", 2L));
    }
  }

  @Test
  @DisplayName("H14: 1 and \"1\" are different keys")
  void h14_luaKeySemantics() {
    assertThat(fresh("_home[1] = \"one\"; _home[\"1\"] = \"str\"; return _home[1] .. _home[\"1\"]"))
        .isEqualTo("onestr");
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home[1] = 'one'; _home['1'] = 'str'; _home[2.0] = 'two'; _home[true] = 'b'");
      assertThat(
              cu.execute("return _home[1], _home['1'], _home[2], _home[true], _home[1.0]").values())
          .containsExactly("one", "str", "two", "b", "one");
    }
  }

  @Test
  @DisplayName("H15: table.insert and table.concat on a _home list; ipairs visits 1..4")
  void h15_tableLibrary() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(
              cu.compute(
                  "_home.list = {\"a\",\"b\",\"c\"}; table.insert(_home.list, \"d\"); "
                      + "return table.concat(_home.list, \",\")"))
          .isEqualTo("a,b,c,d");
      assertThat(
              cu.compute(
                  "local s = '' for i, v in ipairs(_home.list) do s = s .. i .. v end "
                      + "return s"))
          .isEqualTo("1a2b3c4d");
      assertThat(cu.compute("return #_home.list")).isEqualTo(4L);
    }
  }

  @Test
  @DisplayName("H16: the same external table is the same Lua value every time")
  void h16_identityStable() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.t = {x=1, y={z=2}}");
      assertThat(cu.compute("return _home.t == _home.t")).isEqualTo(true);
      cu.compute("saved = _home.t");
      assertThat(cu.compute("return rawequal(saved, _home.t) and saved.y == _home.t.y"))
          .isEqualTo(true);
    }
  }

  @Test
  @DisplayName("H17: a thread cannot be stored; the value before stays")
  void h17_threadRefused() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.x = 1");
      assertThatThrownBy(() -> cu.compute("_home.x = coroutine.create(function() end)"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("cannot store a thread");
      assertThat(cu.compute("return _home.x")).isEqualTo(1L);
    }
  }

  @Test
  @DisplayName("H23: Memory is an alias of _home by default")
  void h23_memoryAlias() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return rawequal(Memory, _home)")).isEqualTo(true);
      assertThat(cu.compute("_home.v = 5; return Memory.v")).isEqualTo(5L);
      cu.compute("Memory.w = 6");
      assertThat(cu.compute("return _home.w")).isEqualTo(6L);
    }
  }

  @Test
  @DisplayName("H24: a 1 MB string in _home (no 16 KB value limit)")
  void h24_largeValue() {
    assertThat(fresh("_home.s = string.rep(\"a\", 1000000); return #_home.s")).isEqualTo(1000000L);
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.s = string.rep('ab', 500000)");
      assertThat(cu.compute("return #_home.s, _home.s:sub(-3)")).isEqualTo("bab");
      assertThat(cu.compute("return #_home.s")).isEqualTo(1000000L);
    }
  }

  @Test
  @DisplayName("H25: an error after a write in the same chunk leaves _home unchanged")
  void h25_failedComputeChangesNothing() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute("_home.k = 1 error('after the write')"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("after the write");
      assertThat(cu.compute("return _home.k")).isNull();
      cu.compute("_home.k = 0; _home.t = {n = 1}");
      assertThatThrownBy(
              () ->
                  cu.compute(
                      "_home.k = 1; _home.t.n = 2; _home.t.m = {}; "
                          + "_home.new = {1}; error('boom')"))
          .isInstanceOf(LuaRuntimeException.class);
      assertThat(cu.compute("return _home")).isEqualTo(Map.of("k", 0L, "t", Map.of("n", 1L)));
    }
  }

  @Test
  void resultsConvertExternalTablesToTheirContent() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.t = {x = 1, list = {'a', 'b'}, inner = {deep = {ok = true}}}");
      assertThat(cu.compute("return _home.t"))
          .isEqualTo(
              Map.of(
                  "x", 1L, "list", List.of("a", "b"), "inner", Map.of("deep", Map.of("ok", true))));
      assertThat(cu.compute("return _home.t.list")).isEqualTo(List.of("a", "b"));
      assertThat(cu.compute("return _home")).isEqualTo(Map.of("t", cu.compute("return _home.t")));
    }
  }

  @Test
  void homeCanBeTurnedOff() {
    try (ComputeUnit cu = ComputeUnit.builder().home(false).build()) {
      assertThat(cu.compute("return _home == nil and Memory == nil")).isEqualTo(true);
      assertThatThrownBy(() -> cu.compute("_home.x = 1"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("_home");
    }
  }

  @Test
  void memoryAliasCanBeTurnedOff() {
    try (ComputeUnit cu = ComputeUnit.builder().memoryAlias(false).build()) {
      assertThat(cu.compute("return Memory == nil")).isEqualTo(true);
      cu.compute("_home.v = 7");
      assertThat(cu.compute("return _home.v")).isEqualTo(7L);
    }
  }
}
