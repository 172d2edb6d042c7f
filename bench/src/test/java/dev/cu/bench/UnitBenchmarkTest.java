package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.ComputeUnit;
import dev.cu.bench.report.Result;
import dev.cu.bench.report.Results;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import party.iroiro.luajava.Lua;

/** The unit life-cycle workloads, and the memory harness on a few hundred units. */
class UnitBenchmarkTest {
  @Test
  void bothRuntimesOpenAndCloseAUnit() {
    UnitBenchmark bench = new UnitBenchmark();
    ComputeUnit unit = bench.cu_createClose();
    assertThatThrownBy(() -> unit.compute("return 1")).isInstanceOf(IllegalStateException.class);
    Lua lua = bench.luajava_createClose();
    assertThat(lua).isNotNull();
  }

  @Test
  void memoryRuntimesRunTheirTrivialChunk() {
    for (String name : List.of("cu", "luajava")) {
      UnitMemory.Runtime r = UnitMemory.runtime(name);
      Object unit = r.open();
      r.close(unit);
    }
    assertThatThrownBy(() -> UnitMemory.runtime("luaj"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void memoryPerUnitIsWrittenAsBytesPerOpForBothRuntimes(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("memory.json");
    UnitMemory.main(
        new String[] {"--out", out.toString(), "--forks", "2", "--units", "500", "--heap", "256m"});
    JsonNode root = new ObjectMapper().readTree(out.toFile());
    assertThat(root).hasSize(2);
    for (JsonNode e : root) {
      assertThat(e.path("primaryMetric").path("rawData")).hasSize(2);
    }
    List<Result> rs = Results.load(List.of(out)).all();
    assertThat(rs)
        .extracting(Result::key)
        .containsExactly("UnitBenchmark.cu_idleUnitMemory", "UnitBenchmark.luajava_idleUnitMemory");
    // a Lua state with its libraries is kilobytes: far above the noise of 500 units
    assertThat(rs)
        .allSatisfy(
            r -> {
              assertThat(r.unit()).isEqualTo("B/op");
              assertThat(r.perOp()).isGreaterThan(1024);
            });
    assertThat(Files.readString(out)).contains("\"measurementTime\" : \"500 live units\"");
  }
}
