package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;

/** Smoke test: every method-call workload runs once on both runtimes and computes its result. */
class ObjectBenchmarkTest {
  private final ObjectBenchmark bench = new ObjectBenchmark();

  @BeforeEach
  void setUp() {
    bench.setUp();
  }

  @AfterEach
  void tearDown() {
    bench.tearDown();
  }

  @Test
  void luaCallsAnEmptyMethodAThousandTimes() {
    assertThat(bench.cu_methodCallEmpty()).isNull();
    assertThat(bench.luaj_methodCallEmpty()).isEqualTo(LuaValue.NONE);
    assertThat(bench.luajava_methodCallEmpty()).isZero();
  }

  @Test
  void luaCallsAddAThousandTimes() {
    assertThat(bench.cu_methodCallArgs()).isEqualTo(500_500L);
    assertThat(bench.luaj_methodCallArgs().toint()).isEqualTo(500_500);
    assertThat(bench.luajava_methodCallArgs()).isEqualTo(500_500L);
  }
}
