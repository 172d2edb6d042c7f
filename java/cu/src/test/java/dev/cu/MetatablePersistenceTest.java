package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metatables of tables stored in _home persist (H22), with Lua-function metamethods. */
class MetatablePersistenceTest {
  @TempDir Path dir;

  private ComputeUnit open() {
    return ComputeUnit.builder().storage(dir).build();
  }

  @Test
  void indexFunctionSurvivesARestart() { // H22
    try (ComputeUnit cu = open()) {
      cu.compute("_home.acc = setmetatable({}, {__index = function(t, k) return k .. '!' end})");
      assertThat(cu.compute("return _home.acc.hi")).isEqualTo("hi!");
      cu.saveState();
    }
    try (ComputeUnit cu = open()) {
      assertThat(cu.compute("return _home.acc.hi")).isEqualTo("hi!");
    }
  }

  @Test
  void classesWithMethodsAndOperatorsSurviveARestart() {
    try (ComputeUnit cu = open()) {
      cu.compute(
          "local V = {} V.__index = V "
              + "function V.len(self) return math.sqrt(self.x ^ 2 + self.y ^ 2) end "
              + "V.__add = function(a, b) return a.x + b.x end "
              + "V.__call = function(self, n) return self.x * n end "
              + "V.__tostring = function(self) return 'V(' .. self.x .. ')' end "
              + "_home.V = V _home.v = setmetatable({x = 3, y = 4}, V)");
      cu.saveState();
    }
    try (ComputeUnit cu = open()) {
      // an operator first: the table's content and metatable load on demand
      assertThat(cu.compute("return _home.v + _home.v")).isEqualTo(6L);
      assertThat(cu.compute("return _home.v:len()")).isEqualTo(5.0);
      assertThat(cu.compute("return _home.v(7)")).isEqualTo(21L);
      assertThat(cu.compute("return tostring(_home.v)")).isEqualTo("V(3)");
      // the stored metatable is the stored class: one table
      assertThat(cu.compute("return rawequal(_home.V.len, _home.v.len)")).isEqualTo(true);
      // raw content is unchanged by the metatable
      assertThat(cu.compute("local n = 0 for k in pairs(_home.v) do n = n + 1 end return n"))
          .isEqualTo(2L);
    }
  }

  @Test
  void newindexHandlerSeesNewKeysOnly() {
    try (ComputeUnit cu = open()) {
      cu.compute(
          "_home.log = {} _home.t = setmetatable({a = 1}, {__newindex = "
              + "function(t, k, v) table.insert(_home.log, k) end})");
      cu.compute("_home.t.a = 2 _home.t.b = 3");
      assertThat(cu.compute("return _home.t.a")).isEqualTo(2L);
      assertThat(cu.compute("return _home.t.b")).isNull();
      assertThat(cu.compute("return table.concat(_home.log, ',')")).isEqualTo("b");
    }
  }

  @Test
  void metatablesOfExternalTablesStayProtected() {
    try (ComputeUnit cu = open()) {
      cu.compute("_home.p = setmetatable({}, {__index = {x = 1}})");
      assertThat(cu.compute("return getmetatable(_home.p)")).isEqualTo("external table");
      assertThatThrownBy(() -> cu.compute("setmetatable(_home.p, nil)"))
          .isInstanceOf(LuaRuntimeException.class);
      assertThat(cu.compute("return _home.p.x")).isEqualTo(1L);
    }
  }
}
