package dev.cu.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The floors section: each crossing against the bare mechanism measured in the same run. */
class FloorsTest {
  private static String markdown(Results r) {
    Report.Run run =
        new Report.Run("stable", "", "-f 10", 42, Instant.parse("2026-12-03T01:00:00Z"));
    return new Report(r, run).markdown("", "", Map.of(), "c.svg");
  }

  @Test
  void eachCrossingIsSetOverItsFloorWithTheSumOfTheErrors() {
    Results r =
        new Jmh()
            .avgt("FloorBenchmark.floor_functionCallEmpty", 40, 0.4, "ns/op")
            .avgt("HandleBenchmark.cu_functionCallEmpty", 80, 1.6, "ns/op")
            .avgt("HandleBenchmark.luajava_functionCallEmpty", 100, 3, "ns/op")
            .avgt("FloorBenchmark.floor_hostCallEmpty", 0.2, 0.002, "us/op")
            .avgt("CallBenchmark.cu_hostCallEmpty", 220, 2.2, "ns/op")
            .avgt("HomeBenchmark.plain_write1k", 500, 10, "us/op")
            .avgt("HomeBenchmark.cu_write1k", 1500, 15, "us/op")
            .results();
    String md = markdown(r);
    assertThat(md.indexOf("## Floors")).isBetween(md.indexOf("## Targets"), md.indexOf("## Chart"));
    assertThat(md)
        .contains(
            "| `LuaFunction.call()` of an empty function | 40 ns ± 1% | 80 ns ± 2% | 100 ns ± 3%"
                + " | 2x ± 3% | 2.5x ± 4% |",
            "| empty host function called from Lua | 200 ns ± 1% | 220 ns ± 1% | not measured"
                + " | 1.1x ± 2% | n/a |",
            "| `LuaTable.get(\"k\")` | not measured | not measured | not measured | n/a | n/a |",
            "| `_home`: 1,000 small writes + commit | 500 µs ± 2% | 1.5 ms ± 1% | none"
                + " | 3x ± 3% | n/a |");
  }
}
