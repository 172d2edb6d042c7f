package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Smoke test: every handle workload runs on both runtimes and computes what it should. */
class HandleBenchmarkTest {
  private final HandleBenchmark bench = new HandleBenchmark();

  @BeforeEach
  void setUp() {
    bench.setUp();
  }

  @AfterEach
  void tearDown() {
    bench.tearDown();
  }

  @Test
  void bothCallTheHeldFunctions() {
    assertThat(bench.cu_functionCallEmpty()).isNull();
    assertThat(bench.luajava_functionCallEmpty()).isZero();
    assertThat(bench.luajava_functionCallEmpty_ref()).isZero();
    assertThat(bench.cu_functionCallArgs()).isEqualTo(6L);
    assertThat(bench.luajava_functionCallArgs()).isEqualTo(6L);
  }

  @Test
  void bothReadAndWriteTheHeldTable() {
    assertThat(bench.cu_tableGet()).isEqualTo(1L);
    assertThat(bench.luajava_tableGet()).isEqualTo(1L);
    bench.cu_tableSet();
    bench.luajava_tableSet();
    assertThat(bench.cu_tableGet()).isEqualTo(0L);
    assertThat(bench.luajava_tableGet()).isEqualTo(1L);
  }

  @Test
  void theCallbackSumsTheListAndHandlesComeAndGo() {
    assertThat(bench.cu_callback()).isEqualTo(5050L);
    bench.cu_handleCreateClose();
  }
}
