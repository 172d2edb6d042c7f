package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Smoke test: the pool workloads compute their results on their own keys. */
class PoolBenchmarkTest {
  @Test
  void independentKeysSumTheirWorkAndCount() throws Exception {
    for (int threads : new int[] {1, 2}) {
      PoolBenchmark bench = new PoolBenchmark();
      bench.threads = threads;
      bench.setUp();
      try {
        assertThat(bench.independentKeys()).isEqualTo(PoolBenchmark.KEYS * PoolBenchmark.WORK_SUM);
      } finally {
        bench.tearDown();
      }
    }
  }

  @Test
  void roundRobinVisitsEveryKeyInTurn() throws Exception {
    PoolRoundRobinBenchmark bench = new PoolRoundRobinBenchmark();
    bench.setUp();
    try {
      assertThat(bench.pool().keys()).hasSize(PoolRoundRobinBenchmark.KEYS);
      assertThat(bench.roundRobin()).isEqualTo(2L); // key 0, requested once by the set-up
      assertThat(bench.roundRobin()).isEqualTo(2L); // key 1
      assertThat(bench.pool().liveUnits()).isLessThanOrEqualTo(PoolRoundRobinBenchmark.LIVE);
    } finally {
      bench.tearDown();
    }
  }
}
