package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;

/** Smoke test: every call workload runs once on every runtime and computes what it should. */
class CallBenchmarkTest {
  private final CallBenchmark bench = new CallBenchmark();

  @BeforeEach
  void setUp() {
    bench.setUp();
  }

  @AfterEach
  void tearDown() {
    bench.tearDown();
  }

  @Test
  void javaCallsAnEmptyLuaFunction() {
    assertThat(bench.cu_javaCallsLua()).isNull();
    assertThat(bench.luajava_javaCallsLua()).isZero();
    assertThat(bench.luaj_javaCallsLua().isnil()).isTrue();
  }

  @Test
  void luaCallsTheEmptyHostFunction() {
    assertThat(bench.cu_hostCallEmpty()).isNull();
    assertThat(bench.luajava_hostCallEmpty()).isZero();
    assertThat(bench.luaj_hostCallEmpty()).isEqualTo(LuaValue.NONE);
  }

  @Test
  void luaCallsAddAThousandTimes() {
    assertThat(bench.cu_hostCallArgs()).isEqualTo(500_500L);
    assertThat(bench.luajava_hostCallArgs()).isEqualTo(500_500L);
    assertThat(bench.luaj_hostCallArgs().tolong()).isEqualTo(500_500L);
  }

  @Test
  void luaCallsAddThreeAThousandTimes() {
    assertThat(bench.cu_hostCallArgs3()).isEqualTo(501_500L);
    assertThat(bench.luajava_hostCallArgs3()).isEqualTo(501_500L);
    assertThat(bench.luaj_hostCallArgs3().tolong()).isEqualTo(501_500L);
  }
}
