package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openjdk.jmh.annotations.Param;

/** Smoke test: each script gives its known result on cu, cu without hook, LuaJava and LuaJ. */
class PureLuaBenchmarkTest {
  @ParameterizedTest
  @CsvSource({"fib, 2178309", "binarytrees, 3222190", "strings, 1088895"})
  void everyRuntimeComputesTheScriptsResult(String script, long expected) {
    PureLuaBenchmark bench = new PureLuaBenchmark();
    bench.script = script;
    bench.setUp();
    try {
      assertThat(bench.cu()).isEqualTo(expected);
      assertThat(bench.cuNoHook()).isEqualTo(expected);
      assertThat(bench.luajava()).isEqualTo(expected);
      assertThat(bench.luaj()).isEqualTo(expected);
    } finally {
      bench.tearDown();
    }
  }

  @Test
  void theParamValuesAreTheScripts() throws Exception {
    Param param = PureLuaBenchmark.class.getField("script").getAnnotation(Param.class);
    assertThat(param.value()).containsExactly(Scripts.NAMES);
  }

  @Test
  void anUnknownScriptIsRefused() {
    assertThatThrownBy(() -> Scripts.source("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lua/nope.lua");
  }
}
