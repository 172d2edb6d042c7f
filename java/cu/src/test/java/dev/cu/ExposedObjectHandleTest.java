package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exported methods that take live Lua values: {@link LuaFunction} and {@link LuaTable}. */
class ExposedObjectHandleTest {
  /** Takes callbacks and tables by reference. */
  public static final class Registry {
    final List<LuaFunction> kept = new ArrayList<>();
    LuaTable keptTable;
    LuaTable lastTable;

    @LuaExport
    public long each(List<Long> items, LuaFunction fn) {
      long n = 0;
      for (Long x : items) {
        fn.call(x);
        n++;
      }
      return n;
    }

    @LuaExport
    public void keep(LuaFunction fn) {
      kept.add(fn.retain());
    }

    @LuaExport
    public long fill(LuaTable t, String key, long value) {
      t.set(key, value);
      lastTable = t;
      return t.length();
    }

    @LuaExport
    public void keepTable(LuaTable t) {
      keptTable = t.retain();
    }

    @LuaExport
    public Object copy(Map<String, Object> m) {
      return m.get("k");
    }
  }

  /** Overloads that disagree on a LuaTable parameter. */
  public static final class Ambiguous {
    @LuaExport
    public void put(LuaTable t) {}

    @LuaExport
    public void put(Map<String, Object> m, long n) {}
  }

  @Test
  void aLuaFunctionArgumentIsCallableDuringTheMethod() {
    Registry r = new Registry();
    try (ComputeUnit cu = ComputeUnit.builder().expose("reg", r).build()) {
      cu.compute("sum = 0");
      assertThat(cu.compute("return reg:each({1, 2, 3}, function(x) sum = sum + x end)"))
          .isEqualTo(3L);
      assertThat(cu.compute("return sum")).isEqualTo(6L);
    }
  }

  @Test
  void aRetainedFunctionOutlivesTheMethod() {
    Registry r = new Registry();
    try (ComputeUnit cu = ComputeUnit.builder().expose("reg", r).build()) {
      cu.compute("reg:keep(function(a) return a * 10 end)");
      assertThat(r.kept.get(0).call(4L)).isEqualTo(40L);
    }
  }

  @Test
  void aLuaTableParameterIsTheTableItselfNotACopy() {
    Registry r = new Registry();
    try (ComputeUnit cu = ComputeUnit.builder().expose("reg", r).build()) {
      assertThat(cu.compute("local t = {1, 2} local n = reg:fill(t, 'x', 7) return t.x + n"))
          .isEqualTo(9L);
      // not retained: released when the method returned
      assertThatThrownBy(() -> r.lastTable.get("x"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("retain()");
      cu.compute("config = {} reg:keepTable(config)");
      r.keptTable.set("mode", "fast");
      assertThat(cu.compute("return config.mode")).isEqualTo("fast");
      // a Map parameter still gets a copy
      assertThat(cu.compute("return reg:copy({k = 'v'})")).isEqualTo("v");
    }
  }

  @Test
  void aLuaTableParameterRefusesOtherValues() {
    Registry r = new Registry();
    try (ComputeUnit cu = ComputeUnit.builder().expose("reg", r).build()) {
      assertThatThrownBy(() -> cu.compute("reg:fill('nope', 'x', 1)"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("bad argument #1 to 'fill'")
          .hasMessageContaining("table expected");
    }
  }

  @Test
  void overloadsMustAgreeOnLuaTableParameters() {
    assertThatThrownBy(() -> ComputeUnit.builder().expose("a", new Ambiguous()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("differ in which parameters are LuaTable");
  }
}
