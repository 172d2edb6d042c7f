package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How {@code _home} behaves beyond the conformance table: write-through, copy and sharing, the
 * table library, refused keys and values, per-compute atomicity and the reclaiming of tables
 * no longer reachable.
 */
class HomeSemanticsTest {

  @Test
  void nestedWritesAreVisibleInLaterComputesAndInResults() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.t = {y = {z = 2}, list = {1, 2}}");
      cu.compute("_home.t.y.z = 99");
      cu.compute("local l = _home.t.list l[3] = 3 l[1] = 10");
      cu.compute("local y = _home.t.y y.w = 'new'");
      assertThat(cu.compute("return _home.t.y.z")).isEqualTo(99L);
      assertThat(cu.compute("return _home.t"))
          .isEqualTo(Map.of("y", Map.of("z", 99L, "w", "new"), "list", List.of(10L, 2L, 3L)));
    }
  }

  @Test
  void assigningAnExternalTableSharesItInsteadOfCopying() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.a = {v = 1}");
      cu.compute("_home.b = _home.a");
      cu.compute("_home.b.v = 2");
      assertThat(cu.execute("return _home.a.v, rawequal(_home.a, _home.b)").values())
          .containsExactly(2L, true);
    }
  }

  @Test
  void copiesAreDeepAndIndependentOfTheSource() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("src = {inner = {n = 1}}; _home.c = src");
      cu.compute("src.inner.n = 2; src.extra = true");
      assertThat(cu.compute("return _home.c")).isEqualTo(Map.of("inner", Map.of("n", 1L)));
      assertThat(cu.compute("return rawequal(src.inner, _home.c.inner)")).isEqualTo(false);
    }
  }

  @Test
  void tableLibraryAndIteratorsWorkOnExternalTables() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.l = {5, 3, 9, 1}");
      cu.compute("table.sort(_home.l)");
      assertThat(cu.compute("return table.concat(_home.l, ',')")).isEqualTo("1,3,5,9");
      cu.compute("table.insert(_home.l, 1, 0); table.insert(_home.l, 10)");
      assertThat(cu.compute("return _home.l")).isEqualTo(List.of(0L, 1L, 3L, 5L, 9L, 10L));
      assertThat(cu.compute("return table.remove(_home.l)")).isEqualTo(10L);
      assertThat(cu.execute("return #_home.l, table.unpack(_home.l)").values())
          .containsExactly(5L, 0L, 1L, 3L, 5L, 9L);
      assertThat(
              cu.compute(
                  "local s = 0 for i, v in ipairs(_home.l) do s = s + i * v end " + "return s"))
          .isEqualTo(0L * 1 + 1 * 2 + 3 * 3 + 5 * 4 + 9 * 5);
      cu.compute("_home.m = {a = 1, b = 2, c = 3}");
      assertThat(
              cu.compute(
                  "local n, s = 0, 0 local k, v = next(_home.m) while k do "
                      + "n = n + 1 s = s + v k, v = next(_home.m, k) end return n * 100 + s"))
          .isEqualTo(306L);
      assertThat(cu.compute("local s = 0 for k, v in pairs(_home.m) do s = s + v end return s"))
          .isEqualTo(6L);
      assertThat(cu.compute("return #_home.m, next(_home.m) ~= nil")).isEqualTo(true);
    }
  }

  @Test
  void nilDeletesNestedEntries() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.t = {a = 1, b = 2, l = {1, 2, 3}}");
      cu.compute("_home.t.a = nil; _home.t.l[3] = nil");
      assertThat(cu.compute("return _home.t")).isEqualTo(Map.of("b", 2L, "l", List.of(1L, 2L)));
      assertThat(cu.compute("return #_home.t.l")).isEqualTo(2L);
    }
  }

  @Test
  void integerAndStringKeysStayApart() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.k = {}; _home.k[1] = 'int'; _home.k['1'] = 'str'");
      assertThat(cu.execute("return _home.k[1], _home.k['1'], 1 ~= '1'").values())
          .containsExactly("int", "str", true);
      assertThat(cu.compute("return _home.k")).isEqualTo(Map.of(1L, "int", "1", "str"));
    }
  }

  @Test
  void rawsetOnExternalTablesIsRefused() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute("rawset(_home, 'a', 1)"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("rawset is not allowed on external tables");
      cu.compute("_home.t = {}");
      assertThatThrownBy(() -> cu.compute("rawset(_home.t, 'a', 1)"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("rawset");
      assertThat(cu.compute("return _home.a == nil and next(_home.t) == nil")).isEqualTo(true);
      assertThat(cu.compute("local t = {} rawset(t, 'x', 1) return t.x")).isEqualTo(1L);
    }
  }

  @Test
  void tableKeysAreRefusedWithAClearError() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute("_home[{}] = 1"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("external tables take string, number and boolean keys, not table");
      assertThatThrownBy(() -> cu.compute("_home.t = {[{}] = 1}"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("not table");
      assertThatThrownBy(() -> cu.compute("_home[0/0] = 1"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("NaN");
      assertThat(cu.compute("return next(_home)")).isNull();
    }
  }

  @Test
  void ioAndUserdataLikeValuesCannotBeStored() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute("_home.io = _io"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("cannot store _io");
      assertThatThrownBy(() -> cu.compute("_home.t = {co = coroutine.create(print)}"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("cannot store a thread");
      assertThat(cu.compute("return next(_home)")).isNull();
    }
  }

  @Test
  void caughtErrorKeepsTheEarlierWritesOfASuccessfulCompute() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(
              cu.execute(
                      "_home.x = 1 local ok, err = "
                          + "pcall(function() _home.y = coroutine.create(print) end) return ok, err")
                  .values())
          .satisfies(
              v -> {
                assertThat(v.get(0)).isEqualTo(false);
                assertThat((String) v.get(1)).contains("cannot store a thread");
              });
      assertThat(cu.execute("return _home.x, _home.y").values()).containsExactly(1L, null);
    }
  }

  @Test
  void unconvertibleResultMakesTheComputeFailAndChangesNothing() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute("_home.z = 1 local t = {} t.t = t return t"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("cycle");
      assertThat(cu.compute("return _home.z")).isNull();
    }
  }

  @Test
  void callCommitsOnSuccessAndChangesNothingOnFailure() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute(
          "function put(k, v) _home[k] = v end function putAndFail(k) _home[k] = 1 "
              + "error('no') end");
      cu.call("put", "a", 1L);
      assertThatThrownBy(() -> cu.call("putAndFail", "b")).isInstanceOf(LuaRuntimeException.class);
      assertThat(cu.compute("return _home")).isEqualTo(Map.of("a", 1L));
    }
  }

  @Test
  void theMetatableOfAnExternalTableIsProtected() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return getmetatable(_home)")).isEqualTo("external table");
      assertThatThrownBy(() -> cu.compute("setmetatable(_home, {})"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("protected metatable");
    }
  }

  @Test
  void unreachableTablesAreReclaimed() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      int before = cu.getTableInfo().tableCount();
      cu.compute("_home.big = {{}, {}, {}}");
      assertThat(cu.getTableInfo().tableCount()).isGreaterThan(before);
      cu.compute("_home.big = nil");
      assertThat(cu.getTableInfo().tableCount()).isEqualTo(before);

      cu.compute("_home.big = {{1}, {2}, {x = {y = {3}}}}");
      assertThat(cu.getTableInfo().tableCount()).isEqualTo(before + 6);
      cu.compute("_home.big[3].x = nil");
      assertThat(cu.getTableInfo().tableCount()).isEqualTo(before + 3);
      cu.compute("_home.big = nil");
      assertThat(cu.getTableInfo().tableCount()).isEqualTo(before);
      assertThat(cu.getTableInfo().tableIds())
          .containsExactlyInAnyOrder(cu.getTableInfo().homeTableId(), cu.getIoTableId());
    }
  }

  @Test
  void tablesStillReachableThroughAnotherKeyAreKept() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.a = {v = {1}}; _home.b = _home.a.v");
      int count = cu.getTableInfo().tableCount();
      cu.compute("_home.a = nil");
      assertThat(cu.getTableInfo().tableCount()).isEqualTo(count - 1);
      assertThat(cu.compute("return _home.b")).isEqualTo(List.of(1L));
    }
  }

  @Test
  void tablesCreatedAndDroppedInOneComputeAreNotKept() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      int before = cu.getTableInfo().tableCount();
      cu.compute("_home.tmp = {{1}, {2}}; _home.tmp = nil");
      assertThat(cu.compute("return next(_home)")).isNull();
      assertThat(cu.getTableInfo().tableCount()).isEqualTo(before);
    }
  }

  @Test
  void refusedAssignmentCaughtByPcallLeavesNoTablesBehind() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      int before = cu.getTableInfo().tableCount();
      cu.compute("pcall(function() _home.t = {{x = 1}, {y = 2}, coroutine.create(print)} end)");
      assertThat(cu.compute("return next(_home)")).isNull();
      assertThat(cu.getTableInfo().tableCount()).isEqualTo(before);
    }
  }
}
