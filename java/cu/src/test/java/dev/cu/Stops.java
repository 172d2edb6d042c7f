package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a script under one kind of stop and checks how the call ends: a {@link
 * LuaTimeoutException} with the right reason and message, soon enough after the stop was due,
 * and a unit that still works (docs/LIMITS.md). Scripts print {@code go} just before the part
 * that must be stopped, so an interrupt or a close lands there. A script may call {@code
 * elapsed()}: the wall-clock milliseconds since its call started.
 */
final class Stops {
  /** How the call is stopped. */
  enum Kind {
    TIME_LIMIT,
    CPU_TIME_LIMIT,
    INSTRUCTION_LIMIT,
    INTERRUPT,
    CLOSE
  }

  /** The time limits of the units, and how late after it a stop may come. */
  static final long LIMIT_MS = 100;

  static final long LATE_MS = 100;

  /** The instruction limit, and how long such a run may take at most. */
  static final long INSTRUCTIONS = 100_000;

  static final long INSTRUCTION_RUN_MS = 1000;

  private Stops() {}

  /** How a call ended, and the CPU time its thread used meanwhile. */
  private record Ended(Throwable error, long cpuNanos) {}

  /** Runs {@code code} on a unit with the default memory limit. */
  static void assertStops(Kind kind, String code) throws Exception {
    assertStops(kind, 256L << 20, code);
  }

  static void assertStops(Kind kind, long memoryLimit, String code) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    AtomicLong started = new AtomicLong();
    ComputeUnit.Builder b =
        ComputeUnit.builder()
            .memoryLimit(memoryLimit)
            .output(
                line -> {
                  if (line.equals("go")) {
                    go.countDown();
                  }
                })
            .function("elapsed", args -> (System.nanoTime() - started.get()) / 1e6);
    switch (kind) {
      case TIME_LIMIT -> b.timeLimit(Duration.ofMillis(LIMIT_MS));
      case CPU_TIME_LIMIT -> b.cpuTimeLimit(Duration.ofMillis(LIMIT_MS));
      case INSTRUCTION_LIMIT -> b.instructionLimit(INSTRUCTIONS);
      default -> {}
    }
    // daemon: a call that escaped its stop must not keep the test JVM alive
    ExecutorService pool =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "stops-" + kind);
              t.setDaemon(true);
              return t;
            });
    ComputeUnit cu = b.build();
    try {
      assertThat(pool.submit(() -> cu.compute("return 1")).get()).isEqualTo(1L); // warm-up
      long t0 = System.nanoTime();
      started.set(t0);
      Future<Ended> call =
          pool.submit(
              () -> {
                ThreadMXBean mx = ManagementFactory.getThreadMXBean();
                long cpu0 = mx.getCurrentThreadCpuTime();
                Throwable error = catchThrowable(() -> cu.compute(code));
                return new Ended(error, mx.getCurrentThreadCpuTime() - cpu0);
              });
      long due;
      long allowedMs = LATE_MS;
      switch (kind) {
        case TIME_LIMIT -> due = t0 + TimeUnit.MILLISECONDS.toNanos(LIMIT_MS);
        case CPU_TIME_LIMIT -> {
          // on a loaded host the CPU time runs out later than the wall clock: checked below
          due = t0 + TimeUnit.MILLISECONDS.toNanos(LIMIT_MS);
          allowedMs = 10_000;
        }
        case INSTRUCTION_LIMIT -> {
          due = t0;
          allowedMs = INSTRUCTION_RUN_MS;
        }
        default -> {
          assertThat(go.await(10, TimeUnit.SECONDS)).as("the script printed go").isTrue();
          Thread.sleep(30); // well inside the part that must be stopped
          due = System.nanoTime();
          if (kind == Kind.INTERRUPT) {
            cu.interrupt();
          } else {
            cu.close(); // from another thread than the call's: interrupts, then waits
            long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - due);
            assertThat(closeMs).as("close() returned after ms").isLessThan(LATE_MS);
          }
        }
      }
      Ended ended = call.get(10, TimeUnit.SECONDS);
      Throwable t = ended.error();
      long lateMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - due);
      LuaTimeoutException.Reason reason =
          switch (kind) {
            case TIME_LIMIT -> LuaTimeoutException.Reason.TIME_LIMIT;
            case CPU_TIME_LIMIT -> LuaTimeoutException.Reason.CPU_TIME_LIMIT;
            case INSTRUCTION_LIMIT -> LuaTimeoutException.Reason.INSTRUCTION_LIMIT;
            default -> LuaTimeoutException.Reason.INTERRUPTED;
          };
      String message =
          switch (kind) {
            case TIME_LIMIT -> "time limit exceeded";
            case CPU_TIME_LIMIT -> "cpu time limit exceeded";
            case INSTRUCTION_LIMIT -> "instruction limit exceeded";
            default -> "interrupted";
          };
      assertThat(t)
          .isInstanceOfSatisfying(
              LuaTimeoutException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(reason);
                assertThat(e.getMessage()).isEqualTo(message);
              });
      assertThat(lateMs)
          .as("ms from when the stop was due to the end of the call")
          .isLessThan(allowedMs);
      if (kind == Kind.CPU_TIME_LIMIT) {
        assertThat(TimeUnit.NANOSECONDS.toMillis(ended.cpuNanos()))
            .as("CPU ms the call used")
            .isBetween(LIMIT_MS - 5, LIMIT_MS + LATE_MS);
      }
      if (kind != Kind.CLOSE) {
        assertThat(pool.submit(() -> cu.compute("return 1")).get()).isEqualTo(1L);
      }
    } finally {
      cu.close();
      pool.shutdownNow();
    }
  }
}
