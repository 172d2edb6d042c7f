package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Smoke test: the benchmark runs under JMH and measures something. Not a timing assertion;
 * figures come from {@code bench/run}-style JMH runs, see docs/BENCHMARKS.md.
 */
class RoundTripBenchmarkTest {
  @Test
  void benchmarkRunsInProcess() throws Exception {
    Options opts = new OptionsBuilder()
        .include(RoundTripBenchmark.class.getName())
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(200))
        .shouldFailOnError(true)
        .build();
    Collection<RunResult> results = new Runner(opts).run();
    assertThat(results).hasSize(2);
    for (RunResult r : results) {
      assertThat(r.getPrimaryResult().getScore()).isPositive();
    }
  }
}
