package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.store.LmdbOptions;
import dev.cu.store.StoreVerifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arrays keep their kind and nulls their position across the boundary (docs/FORMAT.md, "Arrays
 * and null"): an empty List, JSON {@code []} or {@code json.array({})} is an empty List in Java
 * and {@code []} in {@code json.encode}; a null in a list is {@code json.null} in Lua and null
 * again in Java; a null Map value and a null at the top are nil, as before. Through every door:
 * setInput/getOutput, compute results, call arguments, host functions, {@code _home} with a
 * reopen.
 */
class ArraysAndNullsTest {
  @TempDir Path dir;

  private static ComputeUnit unit() {
    ComputeUnit cu = ComputeUnit.create();
    cu.compute("json = require('json')");
    return cu;
  }

  private static List<Object> listOf(Object... xs) {
    return new ArrayList<>(Arrays.asList(xs));
  }

  @Test
  void emptyListInputComesBackAsAnEmptyList() {
    try (ComputeUnit cu = unit()) {
      cu.setInput(List.of());
      assertThat(cu.compute("return json.encode(_io.input)")).isEqualTo("[]");
      assertThat(cu.compute("return _io.input")).isEqualTo(List.of());
      cu.compute("_io.output = _io.input");
      assertThat(cu.getOutput()).isEqualTo(List.of());
    }
  }

  @Test
  void emptyListInputFieldStaysAnArray() {
    try (ComputeUnit cu = unit()) {
      cu.setInputField("xs", List.of());
      assertThat(cu.compute("return json.encode(_io.input)")).isEqualTo("{\"xs\":[]}");
      cu.compute("_io.output = {xs = _io.input.xs, m = {}}");
      assertThat(cu.getOutputField("xs")).isEqualTo(List.of());
      assertThat(cu.getOutputField("m")).isEqualTo(Map.of());
    }
  }

  @Test
  void jacksonTreeInputKeepsEmptyArraysAndNullPositions() throws Exception {
    try (ComputeUnit cu = unit()) {
      cu.setInput(new ObjectMapper().readTree("{\"xs\": [], \"ys\": [1, null], \"z\": null}"));
      assertThat(cu.compute("return json.encode(_io.input.xs) .. json.encode(_io.input.ys)"))
          .isEqualTo("[][1,null]");
      assertThat(cu.compute("return _io.input.z == nil")).isEqualTo(true);
    }
  }

  @Test
  void luaArraysMarkedOrDecodedReturnAsLists() {
    try (ComputeUnit cu = unit()) {
      assertThat(cu.compute("return json.array({})")).isEqualTo(List.of());
      assertThat(cu.compute("return json.decode('[]')")).isEqualTo(List.of());
      assertThat(cu.compute("return json.decode('{\"a\":[[]]}')"))
          .isEqualTo(Map.of("a", List.of(List.of())));
      cu.compute("_io.output = {xs = json.array({})}");
      assertThat(cu.getOutput()).isEqualTo(Map.of("xs", List.of()));
    }
  }

  @Test
  void plainEmptyTableStaysAMap() {
    try (ComputeUnit cu = unit()) {
      assertThat(cu.compute("return {}")).isEqualTo(Map.of());
      assertThat(cu.compute("return json.encode({})")).isEqualTo("{}");
    }
  }

  @Test
  void arrayEmptiedByTheScriptIsStillAnArray() {
    try (ComputeUnit cu = unit()) {
      cu.setInput(List.of(1L, 2L));
      assertThat(cu.compute("table.remove(_io.input) table.remove(_io.input) return _io.input"))
          .isEqualTo(List.of());
    }
  }

  @Test
  void nullInAListKeepsItsPosition() {
    try (ComputeUnit cu = unit()) {
      cu.setInput(listOf(1L, null, 3L));
      assertThat(cu.execute("return #_io.input, _io.input[2] == json.null").values())
          .containsExactly(3L, true);
      assertThat(cu.compute("return json.encode(_io.input)")).isEqualTo("[1,null,3]");
      assertThat(cu.compute("return _io.input")).isEqualTo(listOf(1L, null, 3L));
      cu.setInput(listOf(null, null));
      assertThat(cu.compute("return _io.input")).isEqualTo(listOf(null, null));
    }
  }

  @Test
  void jsonNullReturnsAsNullInPlace() {
    try (ComputeUnit cu = unit()) {
      assertThat(cu.compute("return {1, json.null, 3}")).isEqualTo(listOf(1L, null, 3L));
      assertThat(cu.compute("return json.decode('[1,null]')")).isEqualTo(listOf(1L, null));
      assertThat(cu.compute("return json.null")).isNull();
      Map<String, Object> withNull = new LinkedHashMap<>();
      withNull.put("a", null);
      assertThat(cu.compute("return {a = json.null}")).isEqualTo(withNull);
    }
  }

  @Test
  void nullMapValueAndTopLevelNullAreNil() {
    try (ComputeUnit cu = unit()) {
      Map<String, Object> in = new LinkedHashMap<>();
      in.put("a", null);
      in.put("b", 1L);
      cu.setInput(in);
      assertThat(cu.execute("return _io.input.a == nil, _io.input.b").values())
          .containsExactly(true, 1L);
      cu.setInput(null);
      assertThat(cu.compute("return _io.input == nil")).isEqualTo(true);
      cu.setInputField("x", null);
      assertThat(cu.compute("return _io.input.x == nil")).isEqualTo(true);
    }
  }

  @Test
  void callArgumentsKeepArraysAndNulls() {
    try (ComputeUnit cu = unit()) {
      cu.compute("function show(...) return json.encode({...}) end");
      assertThat(cu.call("show", List.of(), listOf(1L, null), Map.of()))
          .isEqualTo("[[],[1,null],{}]");
      cu.compute("function same(x) return x end");
      assertThat(cu.call("same", List.of())).isEqualTo(List.of());
      assertThat(cu.call("same", listOf(null, 2L))).isEqualTo(listOf(null, 2L));
      assertThat(cu.call("same", (Object) null)).isNull();
    }
  }

  @Test
  void callByNameWithoutArgumentsPassesNoneAndANullArrayPassesOneNil() {
    try (ComputeUnit cu = unit()) {
      cu.compute("function count(...) return select('#', ...) end");
      assertThat(cu.call("count")).isEqualTo(0L);
      assertThat(cu.call("count", new Object[0])).isEqualTo(0L);
      assertThat(cu.call("count", (Object[]) null)).isEqualTo(1L);
      assertThat(cu.call("count", 1L, "two")).isEqualTo(2L);
    }
  }

  @Test
  void hostFunctionsSeeAndReturnArraysAndNulls() {
    List<Object> seen = new ArrayList<>();
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function("empty", args -> List.of())
            .function("holes", args -> listOf(null, 2L, null))
            .function(
                "see",
                args -> {
                  seen.addAll(args);
                  return null;
                })
            .build()) {
      cu.compute("json = require('json')");
      assertThat(cu.compute("return json.encode(empty())")).isEqualTo("[]");
      assertThat(cu.compute("local h = holes() return #h .. json.encode(h)"))
          .isEqualTo("3[null,2,null]");
      assertThat(cu.compute("return empty()")).isEqualTo(List.of());
      cu.compute("see(json.array({}), {1, json.null}, json.null)");
      assertThat(seen).containsExactly(List.of(), listOf(1L, null), null);
    }
  }

  @Test
  void homeKeepsEmptyArraysAndNullsAcrossAReopen() {
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).build()) {
      cu.compute(
          "local json = require('json')\n"
              + "_home.xs = json.array({})\n"
              + "_home.ys = {1, json.null, 3}\n"
              + "_home.zs = json.decode('{\"a\":[],\"b\":[null]}')\n"
              + "_home.plain = {}");
      cu.setInput(listOf(List.of(), null));
      cu.compute("_home.input = _io.input");
    }
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).build()) {
      cu.compute("json = require('json')");
      assertThat(cu.compute("return _home.xs")).isEqualTo(List.of());
      assertThat(cu.compute("return json.encode(_home.xs)")).isEqualTo("[]");
      assertThat(cu.compute("return _home.ys")).isEqualTo(listOf(1L, null, 3L));
      assertThat(cu.execute("return #_home.ys, _home.ys[2] == json.null").values())
          .containsExactly(3L, true);
      assertThat(cu.compute("return json.encode(_home.zs.a) .. json.encode(_home.zs.b)"))
          .isEqualTo("[][null]");
      assertThat(cu.compute("return _home.plain")).isEqualTo(Map.of());
      assertThat(cu.compute("return _home.input")).isEqualTo(listOf(List.of(), null));
      // an array from Java, emptied and committed, stays an array after the next reopen; a
      // plain Lua sequence emptied is an empty table, a Map, as always
      cu.compute("_home.input[2] = nil _home.input[1] = nil");
      cu.compute("_home.ys[3] = nil _home.ys[2] = nil _home.ys[1] = nil");
    }
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).build()) {
      assertThat(cu.compute("return _home.input")).isEqualTo(List.of());
      assertThat(cu.compute("return _home.ys")).isEqualTo(Map.of());
    }
    // the store's own check accepts the array rows and json.null values
    assertThat(StoreVerifier.verify(dir, LmdbOptions.defaults()).findings()).isEmpty();
  }

  @Test
  void jsonArrayOnAStoredTableIsStoredWithTheRun() {
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).build()) {
      cu.compute("_home.t = {} _home.u = {}");
      cu.compute("require('json').array(_home.t)");
      assertThatThrownBy(() -> cu.compute("require('json').array(_home.u) error('no')"))
          .isInstanceOf(LuaRuntimeException.class);
      assertThat(cu.compute("return _home.u")).isEqualTo(Map.of());
    }
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).build()) {
      assertThat(cu.compute("return _home.t")).isEqualTo(List.of());
      assertThat(cu.compute("return require('json').encode(_home.t)")).isEqualTo("[]");
      assertThat(cu.compute("return _home.u")).isEqualTo(Map.of());
    }
  }
}
