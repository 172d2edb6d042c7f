package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in {@code json} module as scripts reach it: {@code require("json")}. */
class JsonModuleTest {
  @Test
  void requireFindsTheBuiltInJsonModuleWithoutAModuleLoader() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(
              cu.compute(
                  "local json = require('json')\n"
                      + "return json.encode(json.decode('{\"a\":[1,2.5,\"x\",null,[]]}').a)"))
          .isEqualTo("[1,2.5,\"x\",null,[]]");
      assertThat(cu.compute("return require('json') == require('json')")).isEqualTo(true);
    }
  }

  @Test
  void encodingAnExternalTableWritesItsEntries() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.cfg = {name = 'n', list = {1, 2, 3}}");
      assertThat(cu.compute("return require('json').encode(_home.cfg.list)")).isEqualTo("[1,2,3]");
      assertThat(cu.compute("return require('json').encode({c = _home.cfg.list})"))
          .isEqualTo("{\"c\":[1,2,3]}");
      assertThat(cu.compute("return require('json').decode(require('json').encode(_home.cfg))"))
          .isEqualTo(Map.of("name", "n", "list", List.of(1L, 2L, 3L)));
    }
  }

  @Test
  void encodingIoInputWritesTheInput() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(Map.of("xs", List.of(1, 2)));
      assertThat(cu.compute("return require('json').encode(_io.input.xs)")).isEqualTo("[1,2]");
    }
  }

  @Test
  void aBadDocumentIsALuaErrorNamingThePosition() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return select(2, pcall(require('json').decode, '[1,]'))"))
          .isEqualTo("json.decode: unexpected character at position 4");
      assertThatThrownBy(() -> cu.compute("return require('json').encode(print)"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("json.encode: cannot encode a value of type function");
    }
  }

  @Test
  void aCycleThroughAnExternalTableIsRefused() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.a = {} _home.a.self = _home.a");
      assertThatThrownBy(() -> cu.compute("return require('json').encode(_home.a)"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("json.encode: table contains a cycle");
    }
  }
}
