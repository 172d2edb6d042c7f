package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Smoke test: the Lua rule and the Java rule of workload 14 raise the same alerts. */
class FlinkBenchmarkTest {
  @Test
  void theLuaAndTheJavaRuleRaiseTheSameAlerts() throws Exception {
    FlinkBenchmark.CuOperator cu = new FlinkBenchmark.CuOperator();
    FlinkBenchmark.PlainOperator plain = new FlinkBenchmark.PlainOperator();
    cu.setUp();
    plain.setUp();
    try {
      for (int batch = 0; batch < 3; batch++) {
        var expected = plain.alerts();
        assertThat(expected).isNotEmpty();
        assertThat(cu.alerts()).isEqualTo(expected);
      }
      assertThat(cu.run()).isEqualTo(plain.run()).isPositive();
    } finally {
      cu.tearDown();
      plain.tearDown();
    }
  }
}
