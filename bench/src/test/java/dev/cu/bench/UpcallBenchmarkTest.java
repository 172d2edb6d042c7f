package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bare mechanisms: qsort of one element calls no closure, of two exactly one. */
class UpcallBenchmarkTest {
  @Test
  void oneElementMakesNoUpcallAndTwoMakeExactlyOne() {
    UpcallBenchmark bench = new UpcallBenchmark();
    bench.setUp();
    for (int i = 0; i < 3; i++) {
      bench.jnr_downcall();
    }
    assertThat(bench.upcalls).isZero();
    for (int i = 0; i < 3; i++) {
      bench.jnr_downcallUpcall();
    }
    assertThat(bench.upcalls).isEqualTo(3);
  }
}
