package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuaTableTest {
  record Point(long x, long y) {}

  @TempDir Path dir;

  @Test
  void theGlobalsReadAndWrite() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("x = 7");
      LuaTable g = cu.table("_G");
      assertThat(g.get("x")).isEqualTo(7L);
      g.set("y", "set from Java");
      assertThat(cu.compute("return y")).isEqualTo("set from Java");
      g.set("y", null);
      assertThat(cu.compute("return y")).isNull();
    }
  }

  @Test
  void valuesComeBackLikeResultsNestedTablesAsCopies() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("t = {list = {1, 2}, p = {x = 1, y = 2}, f = print, [2] = 'two'}");
      LuaTable t = cu.table("t");
      assertThat(t.get("list")).isEqualTo(List.of(1L, 2L));
      assertThat(t.get("p", Point.class)).isEqualTo(new Point(1, 2));
      assertThat(t.get(2)).isEqualTo("two");
      assertThat(t.get("2")).isNull();
      assertThat(t.get("f")).isInstanceOf(LuaFunction.class);
    }
  }

  @Test
  void readsAndWritesGoThroughMetamethods() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute(
          "log = {} t = setmetatable({}, {__index = function(_, k) return k .. '!' end,"
              + " __newindex = function(_, k, v) log[#log + 1] = k end,"
              + " __len = function() return 42 end})");
      LuaTable t = cu.table("t");
      assertThat(t.get("a")).isEqualTo("a!");
      t.set("b", 1);
      assertThat(cu.compute("return log[1]")).isEqualTo("b");
      assertThat(t.length()).isEqualTo(42L);
    }
  }

  @Test
  void lengthToListAndToMap() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("s = {'a', 'b', 'c'} m = {x = 1, [1] = 'one'} gap = {1, nil, 3}");
      LuaTable s = cu.table("s");
      assertThat(s.length()).isEqualTo(3L);
      assertThat(s.toList()).containsExactly("a", "b", "c");
      assertThat(s.toMap()).isEqualTo(Map.of(1L, "a", 2L, "b", 3L, "c"));
      LuaTable m = cu.table("m");
      assertThat(m.toMap()).isEqualTo(Map.of("x", 1L, 1L, "one"));
      assertThat(m.toList()).containsExactly("one");
      assertThat(cu.table("gap").toList()).containsExactly(1L);
    }
  }

  @Test
  void aPathThatNamesNoTableIsAClearError() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.table("print"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("'print' is not a table");
      assertThatThrownBy(() -> cu.table("no.such")).hasMessageContaining("is not a table");
    }
  }

  @Test
  void aTablePassedBackIntoLuaIsTheSameTable() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("t = {} function isT(x) return rawequal(x, t) end other = {}");
      LuaTable t = cu.table("t");
      assertThat(cu.call("isT", t)).isEqualTo(true);
      cu.table("other").set("ref", t);
      assertThat(cu.compute("return rawequal(other.ref, t)")).isEqualTo(true);
      cu.setInput(t);
      assertThat(cu.compute("return rawequal(_io.input, t)")).isEqualTo(true);
      cu.table("_G").set(t, "as a key");
      assertThat(cu.compute("return _G[t]")).isEqualTo("as a key");
    }
  }

  @Test
  void homeTablesCommitAndSurviveAReopen() {
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).build()) {
      cu.compute("_home.users = {}");
      LuaTable users = cu.table("_home.users");
      users.set("ann", Map.of("age", 41));
      LuaTable home = cu.table("_home");
      home.set("count", 1);
      assertThat(users.get("ann")).isEqualTo(Map.of("age", 41L));
      assertThat(home.length()).isEqualTo(0L);
      assertThat(home.toMap()).containsEntry("count", 1L).containsKey("users");
      // a table handle stored into _home becomes an external table, as in Lua
      cu.compute("plain = {1, 2}");
      home.set("copied", cu.table("plain"));
    }
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).build()) {
      assertThat(cu.compute("return _home.users.ann.age")).isEqualTo(41L);
      assertThat(cu.compute("return _home.count")).isEqualTo(1L);
      assertThat(cu.table("_home.copied").toList()).containsExactly(1L, 2L);
    }
  }

  @Test
  void aFailedWriteToHomeChangesNothing() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaTable home = cu.table("_home");
      assertThatThrownBy(() -> home.set("f", cu.table("_G")))
          .isInstanceOf(LuaRuntimeException.class);
      assertThat(cu.compute("return _home.f")).isNull();
    }
  }
}
