package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Smoke test: cu's bigint computes what BigInteger computes on the benchmark's operands. */
class BigintBenchmarkTest {
  @Test
  void cuAndBigIntegerAgree() {
    BigintBenchmark bench = new BigintBenchmark();
    bench.setUp();
    try {
      assertThat(bench.cu_mul1024()).isEqualTo(bench.product());
      assertThat(bench.java_mul1024().toString()).isEqualTo(bench.product());
      assertThat(bench.cu_powmod2048()).isEqualTo(bench.power());
      assertThat(bench.java_powmod2048().toString()).isEqualTo(bench.power());
    } finally {
      bench.tearDown();
    }
  }
}
