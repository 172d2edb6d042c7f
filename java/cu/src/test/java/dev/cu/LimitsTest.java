package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Memory, time and instruction limits, interrupts and stack depth (docs/LIMITS.md). */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LimitsTest {
  private static final long MIB = 1L << 20;
  private static final long SLACK = 64 * 1024; // CU_HANDLER_SLACK

  private static void assertStillWorks(ComputeUnit cu) {
    assertThat(cu.compute("return 1")).isEqualTo(1L);
  }

  private static LuaTimeoutException.Reason stopReason(ComputeUnit cu, String code) {
    Throwable t = catchThrowable(() -> cu.compute(code));
    assertThat(t).isInstanceOf(LuaTimeoutException.class);
    return ((LuaTimeoutException) t).reason();
  }

  private static ComputeUnit timed(long millis) {
    return ComputeUnit.builder().timeLimit(Duration.ofMillis(millis)).build();
  }

  @Test
  void infiniteLoopStopsAtTheTimeLimitWithinTwiceTheLimit() {
    try (ComputeUnit cu = timed(200)) {
      assertStillWorks(cu); // warm-up: binding and first-call costs are not measured
      long t0 = System.nanoTime();
      Throwable t = catchThrowable(() -> cu.compute("while true do end"));
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(t)
          .isInstanceOfSatisfying(
              LuaTimeoutException.class,
              e -> assertThat(e.reason()).isEqualTo(LuaTimeoutException.Reason.TIME_LIMIT));
      assertThat(elapsedMs).isLessThan(400);
      assertStillWorks(cu);
    }
  }

  @ParameterizedTest(name = "time limit stops: {0}")
  @ValueSource(
      strings = {
        "while true do pcall(function() while true do end end) end",
        "while true do pcall(error, 'x') end",
        "local co = coroutine.wrap(function() while true do end end) co()",
        "local co = coroutine.create(function() while true do end end) "
            + "while true do coroutine.resume(co) end",
        "coroutine.wrap(function() while true do pcall(function() while true do end end) end end)()",
        "while true do pcall(coroutine.wrap(function() while true do end end)) end",
        "xpcall(function() while true do end end, function(m) while true do end end)",
        "xpcall(error, function(m) while true do end end)",
        "while true do xpcall(function() while true do end end, function(m) return m end) end",
        "local s = string.rep('x', 100) s:gsub('.', function() while true do end end)",
        "local f, msg = load(function() while true do end end) while true do end",
        "do local x <close> = setmetatable({}, {__close = function() while true do end end}) "
            + "while true do end end"
      })
  void scriptsCannotEscapeTheTimeLimit(String code) {
    try (ComputeUnit cu = timed(200)) {
      assertThat(stopReason(cu, code)).isEqualTo(LuaTimeoutException.Reason.TIME_LIMIT);
      assertStillWorks(cu);
    }
  }

  @Test
  void instructionLimitStopsALongLoop() {
    try (ComputeUnit cu = ComputeUnit.builder().instructionLimit(100_000).build()) {
      assertThat(stopReason(cu, "for i = 1, 1e9 do end"))
          .isEqualTo(LuaTimeoutException.Reason.INSTRUCTION_LIMIT);
      assertStillWorks(cu);
      // the budget is per call: a call under it runs to completion
      assertThat(cu.compute("local s = 0 for i = 1, 1000 do s = s + i end return s"))
          .isEqualTo(500500L);
    }
  }

  @Test
  void instructionsAreCountedInStepsOfOneThousandUnderAnInstructionLimit() {
    try (ComputeUnit cu = ComputeUnit.builder().instructionLimit(1_000_000_000L).build()) {
      ComputeResult r = cu.execute("for i = 1, 1000000 do end");
      assertThat(r.instructions() % 1000).isZero();
      assertThat(r.instructions()).isBetween(900_000L, 1_100_000L);
    }
    try (ComputeUnit cu = ComputeUnit.builder().interruptible(false).build()) {
      assertThat(cu.execute("for i = 1, 1000 do end").instructions()).isEqualTo(-1);
    }
  }

  @ParameterizedTest(name = "memory bomb: {0}")
  @ValueSource(
      strings = {
        "return string.rep('x', 1e9)",
        "local t = {} for i = 1, 1e9 do t[i] = i end",
        "local t = {} while true do t[#t + 1] = {} end",
        "local s = 'x' while true do s = s .. s end",
        "local p = {} for i = 1, 1e7 do p[i] = string.rep('y', 100) .. i end",
        // the value fits, its encoded copy does not
        "return string.rep('x', 10 * 1024 * 1024)"
      })
  void memoryBombsHitTheLimit(String code) {
    long limit = 16 * MIB;
    try (ComputeUnit cu = ComputeUnit.builder().memoryLimit(limit).build()) {
      assertThatThrownBy(() -> cu.compute(code)).isInstanceOf(LuaMemoryException.class);
      assertThat(cu.getMemoryStats().peak()).isLessThanOrEqualTo(limit + SLACK);
      assertStillWorks(cu);
    }
  }

  @Test
  void aScriptMayCatchAMemoryErrorButTheLimitHolds() {
    long limit = 16 * MIB;
    try (ComputeUnit cu = ComputeUnit.builder().memoryLimit(limit).build()) {
      Object caught =
          cu.compute(
              "local ok, err = pcall(function() local t = {} while true do t[#t + 1] = {} end end) "
                  + "assert(not ok) return err");
      assertThat(caught).isEqualTo("not enough memory");
      // catching and retrying in a loop does not get past the limit either
      Object count =
          cu.compute(
              "local n = 0 for i = 1, 5 do if not pcall(string.rep, 'x', 1e9) then n = n + 1 end end "
                  + "return n");
      assertThat(count).isEqualTo(5L);
      MemoryStats stats = cu.getMemoryStats();
      assertThat(stats.limit()).isEqualTo(limit);
      assertThat(stats.peak()).isLessThanOrEqualTo(limit + SLACK);
      cu.runGc();
      assertThat(cu.getMemoryStats().used()).isLessThan(limit / 2);
      assertStillWorks(cu);
    }
  }

  @Test
  void memoryStatsOfAnUnlimitedUnit() {
    try (ComputeUnit cu = ComputeUnit.builder().memoryLimit(0).build()) {
      MemoryStats s = cu.getMemoryStats();
      assertThat(s.limit()).isZero();
      assertThat(s.free()).isEqualTo(Long.MAX_VALUE);
      assertThat(s.used()).isPositive();
      assertThat(s.peak()).isGreaterThanOrEqualTo(s.used());
    }
  }

  @Test
  void compilingAChunkLargerThanTheLimitIsAMemoryError() {
    StringBuilder code = new StringBuilder("local x = 0\n");
    for (int i = 0; i < 50_000; i++) {
      code.append("x = x + ").append(i).append(".5\n"); // distinct constants
    }
    try (ComputeUnit cu = ComputeUnit.builder().memoryLimit(MIB).build()) {
      assertThatThrownBy(() -> cu.compute(code.toString())).isInstanceOf(LuaMemoryException.class);
      assertStillWorks(cu);
    }
  }

  private static final String LUA_RECURSION = "local function f() return 1 + f() end return f()";
  private static final String INDEX_RECURSION =
      "local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return t.x";
  private static final String TOSTRING_RECURSION =
      "local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) "
          + "return tostring(t)";

  private static void assertStackOverflow(String code) {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute(code))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("stack overflow");
      assertStillWorks(cu);
    }
  }

  /** Runs {@code r} on a thread with a 1 MiB stack and rethrows what it threw. */
  private static void onSmallStack(Runnable r) throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                r.run();
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "t",
            1 << 20);
    t.start();
    t.join();
    if (failure.get() instanceof Error e) {
      throw e;
    }
    if (failure.get() instanceof RuntimeException e) {
      throw e;
    }
  }

  @ParameterizedTest(name = "stack overflow is a Lua error: {0}")
  @ValueSource(strings = {LUA_RECURSION, INDEX_RECURSION, TOSTRING_RECURSION})
  void deepRecursionIsALuaError(String code) {
    assertStackOverflow(code);
  }

  @ParameterizedTest(name = "stack overflow on a 1 MiB thread: {0}")
  @ValueSource(strings = {LUA_RECURSION, INDEX_RECURSION, TOSTRING_RECURSION})
  void deepRecursionOnASmallJavaStackIsALuaError(String code) throws InterruptedException {
    onSmallStack(() -> assertStackOverflow(code));
  }

  @Test
  void deeplyNestedSourceIsASyntaxErrorOnASmallStack() throws InterruptedException {
    String code = "return " + "(".repeat(5000) + "1" + ")".repeat(5000);
    onSmallStack(
        () -> {
          try (ComputeUnit cu = ComputeUnit.create()) {
            assertThatThrownBy(() -> cu.compute(code)).isInstanceOf(LuaSyntaxException.class);
            assertStillWorks(cu);
          }
        });
  }

  @Test
  void recursivePcallDoesNotCrash() throws InterruptedException {
    onSmallStack(
        () -> {
          try (ComputeUnit cu = ComputeUnit.create()) {
            // every level catches the overflow of the level below: the result is its message
            Object r = cu.compute("local function f() return pcall(f) end return f()");
            assertThat(r).asString().contains("stack overflow");
            assertStillWorks(cu);
          }
        });
  }

  @Test
  void interruptFromAnotherThreadStopsTheRun() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (ComputeUnit cu = ComputeUnit.builder().output(line -> running.countDown()).build()) {
      Future<Object> f = pool.submit(() -> cu.compute("print('go') while true do end"));
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      cu.interrupt();
      Throwable t = catchThrowable(() -> f.get(10, TimeUnit.SECONDS));
      assertThat(t).isInstanceOf(ExecutionException.class);
      assertThat(t.getCause())
          .isInstanceOfSatisfying(
              LuaTimeoutException.class,
              e -> assertThat(e.reason()).isEqualTo(LuaTimeoutException.Reason.INTERRUPTED));
      assertStillWorks(cu);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aStopDuringAHostFunctionLetsItFinishAndEndsTheRunAfterIt() throws Exception {
    // on Linux the deadline arrives as a signal while Java code runs on the unit's thread
    AtomicReference<Throwable> inHost = new AtomicReference<>();
    java.nio.file.Path file = java.nio.file.Files.createTempFile("cu-limits", ".bin");
    byte[] data = new byte[1 << 20];
    java.util.Arrays.fill(data, (byte) 7);
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .timeLimit(Duration.ofMillis(100))
            .function(
                "slow",
                args -> {
                  try {
                    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                    while (System.nanoTime() < end) {
                      java.nio.file.Files.write(file, data);
                      assertThat(java.nio.file.Files.readAllBytes(file)).isEqualTo(data);
                      Thread.sleep(5);
                    }
                    return "done";
                  } catch (Throwable t) {
                    inHost.set(t);
                    throw new RuntimeException(t);
                  }
                })
            .build()) {
      assertThat(stopReason(cu, "local r = slow() while true do end"))
          .isEqualTo(LuaTimeoutException.Reason.TIME_LIMIT);
      assertThat(inHost.get()).isNull();
      assertStillWorks(cu);
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }

  @Test
  void aUnitMovingBetweenThreadsKeepsItsTimeLimit() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (ComputeUnit cu = timed(100)) {
      for (int i = 0; i < 4; i++) {
        Future<Throwable> f =
            pool.submit(() -> catchThrowable(() -> cu.compute("while true do end")));
        assertThat(f.get(10, TimeUnit.SECONDS)).isInstanceOf(LuaTimeoutException.class);
        assertThat(pool.submit(() -> cu.compute("return 1")).get()).isEqualTo(1L);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void interruptOnAnIdleUnitDoesNothing() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.interrupt();
      cu.interrupt();
      // long enough for the hook to check many times: a remembered interrupt would stop it
      assertThat(cu.compute("local s = 0 for i = 1, 1000000 do s = s + 1 end return s"))
          .isEqualTo(1_000_000L);
      assertStillWorks(cu);
    }
  }

  @Test
  void nonInterruptibleUnitRefusesLimitsAndInterrupt() {
    assertThatThrownBy(
            () ->
                ComputeUnit.builder().interruptible(false).timeLimit(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> ComputeUnit.builder().interruptible(false).instructionLimit(1000).build())
        .isInstanceOf(IllegalArgumentException.class);
    try (ComputeUnit cu = ComputeUnit.builder().interruptible(false).build()) {
      assertThatThrownBy(cu::interrupt).isInstanceOf(IllegalStateException.class);
      assertStillWorks(cu);
    }
  }

  @Test
  void negativeLimitsAreRefusedByTheBuilder() {
    assertThatThrownBy(() -> ComputeUnit.builder().memoryLimit(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ComputeUnit.builder().timeLimit(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ComputeUnit.builder().instructionLimit(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTooSmallMemoryLimitFailsAtBuild() {
    assertThatThrownBy(() -> ComputeUnit.builder().memoryLimit(8 * 1024).build())
        .isInstanceOf(LuaMemoryException.class);
    assertThatThrownBy(() -> ComputeUnit.builder().memoryLimit(1).build())
        .isInstanceOf(LuaMemoryException.class);
  }
}
