package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Smoke test: each round trip computes 2 + 2, and JMH runs the class. No timing asserted. */
class RoundTripBenchmarkTest {
  private final RoundTripBenchmark bench = new RoundTripBenchmark();

  @BeforeEach
  void setUp() {
    bench.setUp();
  }

  @AfterEach
  void tearDown() {
    bench.tearDown();
  }

  @Test
  void everyRuntimeReturnsFourAsLong() {
    assertThat(bench.cu_cached()).isEqualTo(4L);
    assertThat(bench.luajava_eval()).isEqualTo(4L);
    assertThat(bench.luaj_eval()).isEqualTo(4L);
  }

  @Test
  void freshChunkCompilesNewSourceEachCall() {
    assertThat(bench.cu_freshChunk()).isEqualTo(2L);
    assertThat(bench.cu_freshChunk()).isEqualTo(3L);
    assertThat(bench.cu_freshChunk()).isEqualTo(4L);
  }

  /**
   * Nothing is timed here, so the pom sets {@code jmh.ignoreLock} for tests: JMH's lock file in
   * {@code java.io.tmpdir} would otherwise fail this run while another JMH runs on the machine.
   */
  @Test
  void benchmarkRunsUnderJmhInProcess() throws Exception {
    Options opts =
        new OptionsBuilder()
            .include(RoundTripBenchmark.class.getName() + ".cu_")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(100))
            .shouldFailOnError(true)
            .build();
    Collection<RunResult> results = new Runner(opts).run();
    assertThat(results).hasSize(2);
    for (RunResult r : results) {
      assertThat(r.getPrimaryResult().getScore()).isPositive();
    }
  }
}
