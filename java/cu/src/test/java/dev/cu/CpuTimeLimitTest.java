package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The CPU time limit counts the CPU time of the thread running a call (docs/LIMITS.md). */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CpuTimeLimitTest {
  private static ComputeUnit withSleep(ComputeUnit.Builder b) {
    return b.function(
            "sleep",
            args -> {
              Thread.sleep(((Number) args.get(0)).longValue());
              return null;
            })
        .build();
  }

  @Test
  void aCallThatSleepsInAHostFunctionIsNotStoppedByTheCpuLimit() {
    try (ComputeUnit cu = withSleep(ComputeUnit.builder().cpuTimeLimit(Duration.ofMillis(100)))) {
      long t0 = System.nanoTime();
      assertThat(cu.compute("for i = 1, 3 do sleep(150) end return 'done'")).isEqualTo("done");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThan(400);
    }
  }

  @Test
  void theSameSleepingCallIsStoppedByAWallClockLimit() {
    try (ComputeUnit cu = withSleep(ComputeUnit.builder().timeLimit(Duration.ofMillis(100)))) {
      Throwable t =
          catchThrowable(() -> cu.compute("for i = 1, 3 do sleep(150) end return 'done'"));
      assertThat(t)
          .isInstanceOfSatisfying(
              LuaTimeoutException.class,
              e -> assertThat(e.reason()).isEqualTo(LuaTimeoutException.Reason.TIME_LIMIT));
    }
  }

  @Test
  void aBusyLoopIsStoppedByTheCpuLimit() throws Exception {
    Stops.assertStops(Stops.Kind.CPU_TIME_LIMIT, "print('go') while true do end");
  }

  @Test
  void aBusyLoopAfterASleepStopsOnceItsOwnCpuTimeIsUsedUp() {
    try (ComputeUnit cu = withSleep(ComputeUnit.builder().cpuTimeLimit(Duration.ofMillis(100)))) {
      long t0 = System.nanoTime();
      Throwable t = catchThrowable(() -> cu.compute("sleep(300) while true do end"));
      assertThat(t)
          .isInstanceOfSatisfying(
              LuaTimeoutException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(LuaTimeoutException.Reason.CPU_TIME_LIMIT);
                assertThat(e.getMessage()).isEqualTo("cpu time limit exceeded");
              });
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThan(390);
      assertThat(cu.compute("return 1")).isEqualTo(1L);
    }
  }

  @Test
  void theCpuLimitHoldsWithAnInstructionLimitToo() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .cpuTimeLimit(Duration.ofMillis(100))
            .instructionLimit(Long.MAX_VALUE / 2)
            .build()) {
      Throwable t = catchThrowable(() -> cu.compute("while true do end"));
      assertThat(t)
          .isInstanceOfSatisfying(
              LuaTimeoutException.class,
              e -> assertThat(e.reason()).isEqualTo(LuaTimeoutException.Reason.CPU_TIME_LIMIT));
    }
  }

  @Test
  void theCpuLimitFollowsAUnitAcrossThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (ComputeUnit cu = ComputeUnit.builder().cpuTimeLimit(Duration.ofMillis(100)).build()) {
      for (int i = 0; i < 4; i++) {
        Future<Throwable> f =
            pool.submit(() -> catchThrowable(() -> cu.compute("while true do end")));
        assertThat(f.get(10, TimeUnit.SECONDS))
            .isInstanceOfSatisfying(
                LuaTimeoutException.class,
                e -> assertThat(e.reason()).isEqualTo(LuaTimeoutException.Reason.CPU_TIME_LIMIT));
        assertThat(catchThrowable(() -> cu.compute("while true do end")))
            .isInstanceOf(LuaTimeoutException.class);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shortCallsUnderACpuLimitAreNeverStopped() {
    try (ComputeUnit cu = ComputeUnit.builder().cpuTimeLimit(Duration.ofMillis(50)).build()) {
      for (int i = 0; i < 2000; i++) {
        assertThat(cu.compute("local s = 0 for i = 1, 1000 do s = s + i end return s"))
            .isEqualTo(500500L);
      }
    }
  }

  @Test
  void theBuilderRefusesABadCpuLimit() {
    assertThatThrownBy(() -> ComputeUnit.builder().cpuTimeLimit(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                ComputeUnit.builder()
                    .interruptible(false)
                    .cpuTimeLimit(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cpuTimeLimit");
  }
}
