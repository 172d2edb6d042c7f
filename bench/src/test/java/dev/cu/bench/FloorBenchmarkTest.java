package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The floors do the Lua work they stand for: each crossing happens once per call. */
class FloorBenchmarkTest {
  private final FloorBenchmark bench = new FloorBenchmark();

  @BeforeEach
  void setUp() {
    bench.counting = true;
    bench.setUp();
  }

  @AfterEach
  void tearDown() {
    bench.tearDown();
  }

  @Test
  void emptyCallRunsTheFunctionOncePerCall() {
    for (int i = 0; i < 5; i++) {
      assertThat(bench.floor_functionCallEmpty()).isZero();
    }
    assertThat(bench.calls()).isEqualTo(5);
  }

  @Test
  void callWithArgumentsReturnsTheSum() {
    assertThat(bench.floor_functionCallArgs()).isEqualTo(6);
  }

  @Test
  void setWritesWhatGetReads() {
    assertThat(bench.floor_tableGet()).isEqualTo(1);
    assertThat(bench.floor_tableSet()).isZero();
    assertThat(bench.floor_tableGet()).isZero();
    assertThat(bench.floor_tableSet()).isZero();
    assertThat(bench.floor_tableGet()).isEqualTo(1);
  }

  @Test
  void hostCallLoopMakesOneJniUpcallPerCall() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "JNI upcalls: Linux builds");
    assertThat(bench.floor_hostCallEmpty()).isZero();
    assertThat(bench.floor_hostCallEmpty()).isZero();
    assertThat(bench.target.upcalls).isEqualTo(2L * FloorBenchmark.HOST_CALLS);
  }
}
