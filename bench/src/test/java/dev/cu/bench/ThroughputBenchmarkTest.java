package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Smoke test: both throughput workloads compute their results. */
class ThroughputBenchmarkTest {
  @Test
  void workloadsComputeTheirResults() {
    ThroughputBenchmark bench = new ThroughputBenchmark();
    bench.setUp();
    try {
      assertThat(bench.trivial_t1()).isEqualTo(4L);
      assertThat(bench.trivial_t2()).isEqualTo(4L);
      assertThat(bench.work1ms_t1()).isEqualTo(1_998_000L);
      assertThat(bench.work1ms_t2()).isEqualTo(1_998_000L);
    } finally {
      bench.tearDown();
    }
  }
}
