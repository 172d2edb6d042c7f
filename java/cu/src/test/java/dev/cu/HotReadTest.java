package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An external table read many times in a row gets a metatable of its own whose {@code __index}
 * is its cache (docs/ARCHITECTURE.md, "External tables"). These tests read a table well past
 * that point and check that it still behaves exactly like one that was never hot.
 */
class HotReadTest {
  /** Far more reads than the threshold (64), so every table read here is hot. */
  private static final String HEAT = "local s = 0 for i = 1, 1000 do s = s + (_home.t.n or 0) end";

  @TempDir Path dir;

  @Test
  void hotTableSeesLaterWritesDeletesAndKeepsItsHooks() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.t = {n = 1, 10, 20}");
      cu.compute(HEAT);
      cu.compute(HEAT + " _home.t.n = 2 _home.t.extra = 'x' _home.t[3] = 30");
      assertThat(
              cu.execute("return _home.t.n, _home.t.extra, #_home.t, getmetatable(_home.t)")
                  .values())
          .containsExactly(2L, "x", 3L, "external table");
      cu.compute("local t = _home.t " + HEAT + " t.extra = nil");
      assertThat(
              cu.compute(
                  "local t = _home.t local keys = {} for k in pairs(t) do "
                      + "keys[#keys + 1] = tostring(k) end table.sort(keys) return table.concat(keys, ',')"))
          .isEqualTo("1,2,3,n");
      assertThat(cu.compute("return tostring(_home.t):match('^external table') ~= nil"))
          .isEqualTo(true);
      assertThat(cu.compute("return _home.t"))
          .isEqualTo(Map.of(1L, 10L, 2L, 20L, 3L, 30L, "n", 2L));
      assertThatThrownBy(() -> cu.compute("setmetatable(_home.t, {})"))
          .isInstanceOf(LuaRuntimeException.class);
      assertThatThrownBy(() -> cu.compute("rawset(_home.t, 'a', 1)"))
          .isInstanceOf(LuaRuntimeException.class);
    }
  }

  @Test
  void failedComputeOnAHotTableChangesNothing() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.t = {n = 1}");
      assertThatThrownBy(() -> cu.compute(HEAT + " _home.t.n = 99 error('boom')"))
          .isInstanceOf(LuaRuntimeException.class);
      assertThat(cu.compute("return _home.t.n")).isEqualTo(1L);
      cu.compute("local t = _home.t " + HEAT + " t.n = 5");
      assertThatThrownBy(() -> cu.compute("local t = _home.t t.n = 6 " + HEAT + " error('x')"))
          .isInstanceOf(LuaRuntimeException.class);
      assertThat(cu.compute("return _home.t.n")).isEqualTo(5L);
    }
  }

  @Test
  void hotTableHeldAcrossLoadStateBecomesStale() {
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).build()) {
      cu.compute("_home.t = {n = 1}");
      cu.saveState();
      cu.compute("g = _home.t " + HEAT);
      cu.loadState();
      assertThatThrownBy(() -> cu.compute("return g.n"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("stale");
      assertThat(cu.compute(HEAT + " return _home.t.n")).isEqualTo(1L);
    }
  }

  @Test
  void hotTableRemovedByTheStoreIsWrittenAgainWhenReattached() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.t = {n = 7, list = {1, 2}}");
      cu.compute("keep = _home.t " + HEAT + " _home.t = nil");
      cu.compute("local s = 0 for i = 1, 1000 do s = s + keep.n end _home.back = keep");
      assertThat(cu.compute("return _home.back"))
          .isEqualTo(Map.of("n", 7L, "list", List.of(1L, 2L)));
    }
  }

  @Test
  void manyHotTablesAtOnceStayIndependent() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("for i = 1, 50 do _home[i] = {v = i} end");
      cu.compute("for r = 1, 200 do for i = 1, 50 do local x = _home[i].v end end");
      cu.compute("for i = 1, 50 do _home[i].v = _home[i].v * 2 end");
      assertThat(
              cu.compute(
                  "local s = 0 for r = 1, 100 do for i = 1, 50 do s = s + _home[i].v "
                      + "end end return s"))
          .isEqualTo(100L * 2 * (50 * 51 / 2));
    }
  }
}
