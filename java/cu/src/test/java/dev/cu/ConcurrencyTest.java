package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Units on several threads, one unit from several threads, close and re-entrance. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConcurrencyTest {
  private static final String SPIN = "print('running') while true do end";

  private ExecutorService pool;

  @BeforeEach
  void startPool() {
    pool = Executors.newFixedThreadPool(4);
  }

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** A unit whose print() counts down {@code running}: the spin loop has started. */
  private static ComputeUnit signalling(CountDownLatch running, Duration timeLimit) {
    return ComputeUnit.builder().timeLimit(timeLimit).output(l -> running.countDown()).build();
  }

  private static Throwable causeOf(Future<?> f) throws InterruptedException {
    try {
      f.get(20, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the call did not end", e);
    }
  }

  @Test
  void fourUnitsOnFourThreadsKeepTheirOwnGlobals() throws Exception {
    CyclicBarrier start = new CyclicBarrier(4);
    List<Future<Long>> results = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int id = t;
      results.add(
          pool.submit(
              () -> {
                try (ComputeUnit cu = ComputeUnit.create()) {
                  cu.compute("id = " + id + " total = 0");
                  start.await(10, TimeUnit.SECONDS);
                  for (int i = 0; i < 200; i++) {
                    long value = id * 1000L + i;
                    // distinct chunk text on each call: exercises the chunk cache and its eviction
                    Object r =
                        cu.compute(
                            "v"
                                + i
                                + " = "
                                + value
                                + " total = total + v"
                                + i
                                + " return id * 1000 + "
                                + i);
                    assertThat(r).isEqualTo(value);
                    assertThat(cu.compute("return v" + i)).isEqualTo(value);
                  }
                  assertThat(cu.compute("return id")).isEqualTo((long) id);
                  return (Long) cu.compute("return total");
                }
              }));
    }
    for (int t = 0; t < 4; t++) {
      long expected = 0;
      for (int i = 0; i < 200; i++) {
        expected += t * 1000L + i;
      }
      assertThat(results.get(t).get(60, TimeUnit.SECONDS)).isEqualTo(expected);
    }
  }

  @Test
  void aUnitInUseRefusesASecondThread() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    try (ComputeUnit cu = signalling(running, Duration.ofSeconds(2))) {
      Future<Object> a = pool.submit(() -> cu.compute(SPIN));
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> cu.compute("return 1"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use");
      assertThatThrownBy(() -> cu.execute("return 1"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use");
      assertThatThrownBy(cu::runGc).isInstanceOf(IllegalStateException.class);
      // memory statistics are readable from any thread, also during a call
      assertThat(cu.getMemoryStats().used()).isPositive();
      cu.interrupt();
      assertThat(causeOf(a))
          .isInstanceOfSatisfying(
              LuaTimeoutException.class,
              e -> assertThat(e.reason()).isEqualTo(LuaTimeoutException.Reason.INTERRUPTED));
      assertThat(cu.compute("return 1")).isEqualTo(1L);
    }
  }

  @Test
  void aUnitMayMoveBetweenThreadsWhenIdle() throws Exception {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("x = 1");
      for (int i = 0; i < 4; i++) {
        pool.submit(() -> cu.compute("x = x + 1")).get(10, TimeUnit.SECONDS);
      }
      assertThat(cu.compute("return x")).isEqualTo(5L);
    }
  }

  @Test
  void computeAfterCloseSaysClosed() {
    ComputeUnit cu = ComputeUnit.create();
    cu.close();
    assertThatThrownBy(() -> cu.compute("return 1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> cu.execute("return 1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(cu::runGc)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(cu::getMemoryStats)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void computeOnAnotherThreadAfterCloseSaysClosed() throws Exception {
    ComputeUnit cu = ComputeUnit.create();
    cu.close();
    Future<Object> f = pool.submit(() -> cu.compute("return 1"));
    assertThat(causeOf(f)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void closeIsIdempotent() {
    ComputeUnit cu = ComputeUnit.create();
    cu.close();
    cu.close();
    cu.interrupt(); // does nothing on a closed unit
    assertThatThrownBy(() -> cu.compute("return 1")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void explicitCloseInsideTryWithResources() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return 1")).isEqualTo(1L);
      cu.close(); // the implicit close() at the end of the block must be harmless
    }
  }

  @Test
  void closeFromAnotherThreadInterruptsALongCompute() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    ComputeUnit cu = ComputeUnit.builder().output(l -> running.countDown()).build();
    Future<Object> a = pool.submit(() -> cu.compute(SPIN));
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    Future<?> closer = pool.submit(cu::close);
    closer.get(20, TimeUnit.SECONDS); // close() returns once the call has ended
    assertThat(a.isDone()).isTrue();
    assertThat(causeOf(a))
        .isInstanceOfSatisfying(
            LuaTimeoutException.class,
            e -> assertThat(e.reason()).isEqualTo(LuaTimeoutException.Reason.INTERRUPTED));
    assertThatThrownBy(() -> cu.compute("return 1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    cu.close(); // this thread never closed it before: must be a no-op
  }

  @Test
  void reentrantComputeFromTheOutputConsumerIsRefused() {
    AtomicReference<ComputeUnit> self = new AtomicReference<>();
    try (ComputeUnit cu =
        ComputeUnit.builder().output(line -> self.get().compute("return 1")).build()) {
      self.set(cu);
      Throwable t = catchThrowable(() -> cu.compute("print('x')"));
      assertThat(t).isInstanceOf(LuaRuntimeException.class);
      assertThat(t.getCause()).isInstanceOf(IllegalStateException.class);
      assertThat(cu.compute("return 2")).isEqualTo(2L);
    }
  }

  @Test
  void closeFromTheOutputConsumerIsRefused() {
    AtomicReference<ComputeUnit> self = new AtomicReference<>();
    try (ComputeUnit cu = ComputeUnit.builder().output(line -> self.get().close()).build()) {
      self.set(cu);
      Throwable t = catchThrowable(() -> cu.compute("print('x')"));
      assertThat(t).isInstanceOf(LuaRuntimeException.class);
      assertThat(t.getCause()).isInstanceOf(IllegalStateException.class);
      assertThat(cu.compute("return 2")).isEqualTo(2L);
    }
  }

  @Test
  void interruptingOneUnitDoesNotStopAnother() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    try (ComputeUnit spinning = signalling(running, Duration.ofSeconds(5));
        ComputeUnit other = ComputeUnit.create()) {
      Future<Object> a = pool.submit(() -> spinning.compute(SPIN));
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      Future<Object> b =
          pool.submit(
              () -> other.compute("local s = 0 for i = 1, 3000000 do s = s + 1 end return s"));
      spinning.interrupt();
      assertThat(causeOf(a)).isInstanceOf(LuaTimeoutException.class);
      assertThat(b.get(20, TimeUnit.SECONDS)).isEqualTo(3_000_000L);
    }
  }
}
