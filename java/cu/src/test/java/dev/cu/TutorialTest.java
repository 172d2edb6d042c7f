package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The usage example of README.md: the code between the tutorial markers is pasted there. */
class TutorialTest {

  @Test
  void tutorial() {
    // tutorial:begin
    // A compute unit is a sandboxed Lua state; close it when done.
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .memoryLimit(64L << 20) // bytes the Lua heap may use
            .timeLimit(Duration.ofSeconds(1)) // wall-clock time per call
            .build()) {

      // compute() runs a chunk and returns its last value, converted to Java.
      Object four = cu.compute("return 2 + 2");
      assertThat(four).isEqualTo(4L); // Lua integers come back as Long

      // Globals persist between calls on the same unit.
      cu.compute("function greet(name) return 'Hello, ' .. name end");
      assertThat(cu.compute("return greet('World')")).isEqualTo("Hello, World");

      // execute() also reports what print() wrote.
      ComputeResult r = cu.execute("print('working...') return 6 * 7");
      assertThat(r.output()).isEqualTo("working...\n");
      assertThat(r.value()).isEqualTo(42L);

      // Lua errors become exceptions; the unit stays usable afterwards.
      try {
        cu.compute("error('something went wrong')");
        fail("expected a LuaRuntimeException");
      } catch (LuaRuntimeException e) {
        assertThat(e.getMessage()).isEqualTo("compute:1: something went wrong");
      }
      assertThat(cu.compute("return greet('again')")).isEqualTo("Hello, again");
    }
    // tutorial:end
  }

  @Test
  void modules() {
    // modules:begin
    // require() finds Lua source through the unit's ModuleLoader: here first a map, then the
    // resources under "lua/" on the class path (lua/util/str.lua for "util.str").
    ModuleLoader modules =
        ModuleLoader.of(Map.of("greeting", "return { text = 'Hello' }"))
            .orElse(ModuleLoader.classpath("lua"));
    try (ComputeUnit cu = ComputeUnit.builder().modules(modules).build()) {
      assertThat(cu.compute("return require('greeting').text")).isEqualTo("Hello");

      // A module runs once per unit; require returns the cached value afterwards.
      assertThat(cu.compute("return require('greeting') == require('greeting')")).isEqualTo(true);

      // A missing module is a Lua error listing the places tried.
      try {
        cu.compute("require('nope')");
        fail("expected a LuaRuntimeException");
      } catch (LuaRuntimeException e) {
        assertThat(e.getMessage())
            .contains("module 'nope' not found")
            .contains("no resource 'lua/nope.lua' on the class path");
      }
    }
    // modules:end
  }
}
