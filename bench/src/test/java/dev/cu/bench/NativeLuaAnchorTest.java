package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the real standalone interpreter built by CMake on tiny scripts. */
class NativeLuaAnchorTest {
  /** The host's build of the cu-native module: native/target/<os>-<arch>/lua. */
  private static final Path LUA = hostLua();

  private static final NativeLuaAnchor.Settings QUICK =
      new NativeLuaAnchor.Settings(
          2, 1, TimeValue.milliseconds(10), 3, TimeValue.milliseconds(20), TimeUnit.MICROSECONDS);

  private static Path hostLua() {
    String arch =
        System.getProperty("os.arch").replace("amd64", "x86_64").replace("arm64", "aarch64");
    String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
    String name =
        (os.contains("win") ? "windows" : os.contains("mac") ? "macos" : "linux") + "-" + arch;
    return Path.of("../native/target", name, "lua");
  }

  @BeforeEach
  void needsTheInterpreter() {
    assertThat(LUA).as("lua is built by the cu-native module's CMake step").isExecutable();
  }

  @Test
  void writesAJmhShapedEntryWithOneRowPerFork(@TempDir Path dir) throws IOException {
    Path script = dir.resolve("sum.lua");
    Files.writeString(script, "local s = 0 for i = 1, 1000 do s = s + i end return s");
    JsonNode e = new NativeLuaAnchor(LUA, QUICK).measure("sum", script);
    assertThat(e.path("benchmark").asText()).isEqualTo(NativeLuaAnchor.BENCHMARK);
    assertThat(e.path("mode").asText()).isEqualTo("avgt");
    assertThat(e.path("params").path("script").asText()).isEqualTo("sum");
    assertThat(e.path("interpreter").asText()).startsWith("Lua 5.4.7");
    JsonNode m = e.path("primaryMetric");
    assertThat(m.path("scoreUnit").asText()).isEqualTo("us/op");
    JsonNode raw = m.path("rawData");
    assertThat(raw).hasSize(2);
    double sum = 0;
    for (JsonNode fork : raw) {
      assertThat(fork).hasSize(3);
      for (JsonNode v : fork) {
        assertThat(v.asDouble()).isPositive();
        sum += v.asDouble();
      }
    }
    assertThat(m.path("score").asDouble())
        .isCloseTo(sum / 6, org.assertj.core.data.Offset.offset(1e-9 * sum));
    assertThat(m.path("scoreError").isNumber()).isTrue();
    assertThat(e.path("secondaryMetrics").path("·cpu").path("rawData")).hasSize(2);
    // the JSON round-trips through the report's reader
    String json = new ObjectMapper().writeValueAsString(List.of(e));
    Path f = dir.resolve("native.json");
    Files.writeString(f, json);
    var results = dev.cu.bench.report.Results.load(List.of(f)).all();
    assertThat(results)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).isEqualTo("PureLuaBenchmark.lua");
              assertThat(r.cpu()).isPositive();
              assertThat(r.vm()).isEqualTo("Lua 5.4.7 (standalone interpreter)");
              assertThat(r.nanosPerOp())
                  .isCloseTo(
                      m.path("score").asDouble() * 1000, org.assertj.core.data.Offset.offset(1e-6));
            });
  }

  @Test
  void aFactoryIsCalledOnceWithItsArgumentsAndItsFunctionIsTimed(@TempDir Path dir)
      throws IOException {
    Path script = dir.resolve("factory.lua");
    Path marker = dir.resolve("calls");
    // the factory appends a line per call; the function it returns must be what runs
    Files.writeString(
        script,
        "local word, path = ... "
            + "local f = assert(io.open(path, 'a')) f:write(word, '\\n') f:close() "
            + "return function () return word end");
    JsonNode e =
        new NativeLuaAnchor(LUA, QUICK)
            .measure("dev.cu.bench.X.lua_y", Map.of(), script, List.of("hi", marker.toString()));
    assertThat(e.path("benchmark").asText()).isEqualTo("dev.cu.bench.X.lua_y");
    assertThat(e.path("params").size()).isZero();
    assertThat(Files.readAllLines(marker)).containsExactly("hi", "hi");
  }

  @Test
  void aFailingScriptReportsLuasError(@TempDir Path dir) throws IOException {
    Path script = dir.resolve("bad.lua");
    Files.writeString(script, "error('boom from the script')");
    assertThatThrownBy(() -> new NativeLuaAnchor(LUA, QUICK).measure("bad", script))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("boom from the script");
  }

  @Test
  void theBundledScriptsAndDriverAreOnTheClasspath() {
    for (String s : List.of("fib", "binarytrees", "strings")) {
      assertThat(NativeLuaAnchor.class.getResource("/dev/cu/bench/lua/" + s + ".lua")).isNotNull();
    }
    assertThat(NativeLuaAnchor.class.getResource("/dev/cu/bench/anchor/driver.lua")).isNotNull();
  }
}
