package dev.cu.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.HostFunction;
import dev.cu.LuaRuntimeException;
import dev.cu.LuaSyntaxException;
import dev.cu.LuaTimeoutException;
import dev.cu.store.LmdbEnvironment;
import dev.cu.store.LmdbOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitPoolTest {
  @TempDir Path dir;

  static final LmdbOptions FAST =
      LmdbOptions.defaults().withDurability(LmdbOptions.Durability.NO_SYNC);

  static final String INCREMENT = "_home.n = (_home.n or 0) + 1 return _home.n";

  /** A host function that waits (at most 20 s) for {@code latch}, then returns nil. */
  static HostFunction waitFor(CountDownLatch latch) {
    return args -> {
      latch.await(20, TimeUnit.SECONDS);
      return null;
    };
  }

  private UnitPool.Builder pool() {
    return UnitPool.builder().storage(dir).storageOptions(FAST);
  }

  @Test
  void stateOutlivesEvictionAndRestart() {
    try (UnitPool p = pool().maxLiveUnits(2).threads(1).build()) {
      for (int round = 1; round <= 5; round++) {
        for (String k : List.of("a", "b", "c", "d")) {
          assertThat(p.compute(k, INCREMENT)).isEqualTo((long) round);
        }
        assertThat(p.liveUnits()).isLessThanOrEqualTo(2);
      }
      assertThat(p.unitsEvicted()).isGreaterThan(0);
      assertThat(p.unitsCreated()).isEqualTo(p.unitsEvicted() + p.liveUnits());
    }
    try (UnitPool p = pool().build()) {
      assertThat(p.compute("c", "return _home.n")).isEqualTo(5L);
      assertThat(p.keys()).containsExactly("a", "b", "c", "d");
    }
  }

  @Test
  void aKeysRequestsRunInArrivalOrder() throws Exception {
    try (UnitPool p = pool().threads(2).build()) {
      List<CompletableFuture<Object>> fs = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        String key = i % 3 == 0 ? "other" + (i % 7) : "ordered";
        fs.add(
            p.submit(
                key,
                "local n = _home.n or 0 _home.seen = (_home.seen or 0) + 1"
                    + " if _home.seen ~= n + 1 then error('lost a step') end _home.n = n + 1"
                    + " return n"));
      }
      CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      List<Object> ordered = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        if (i % 3 != 0) {
          ordered.add(fs.get(i).get());
        }
      }
      List<Object> expected = new ArrayList<>();
      for (long i = 0; i < ordered.size(); i++) {
        expected.add(i);
      }
      assertThat(ordered).isEqualTo(expected);
    }
  }

  @Test
  void differentKeysRunInParallel() throws Exception {
    CyclicBarrier both = new CyclicBarrier(2);
    try (UnitPool p =
        pool()
            .threads(2)
            .unit(
                b ->
                    b.function(
                        "meet",
                        args -> {
                          both.await(20, TimeUnit.SECONDS);
                          return true;
                        }))
            .build()) {
      CompletableFuture<Object> a = p.submit("a", "return meet()");
      CompletableFuture<Object> b = p.submit("b", "return meet()");
      assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(true);
      assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo(true);
    }
  }

  @Test
  void aFailingRequestFailsOnlyItselfAndLeavesStateAsItWas() {
    try (UnitPool p = pool().build()) {
      p.compute("k", "_home.n = 1");
      assertThatThrownBy(() -> p.compute("k", "_home.n = 99 error('boom')"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("boom");
      assertThatThrownBy(() -> p.compute("k", "this is not lua"))
          .isInstanceOf(LuaSyntaxException.class);
      assertThat(p.compute("k", "return _home.n")).isEqualTo(1L);
      assertThat(p.compute("other", "return 2")).isEqualTo(2L);
      assertThat(p.failures(FailureKind.RUNTIME)).isEqualTo(1);
      assertThat(p.failures(FailureKind.SYNTAX)).isEqualTo(1);
      assertThat(p.completed()).isEqualTo(3);
    }
  }

  @Test
  void callRunsAGlobalFunctionWithArguments() {
    try (UnitPool p = pool().build()) {
      p.compute(
          "k", "function add(a, b) _home.sum = (_home.sum or 0) + a + b return _home.sum end");
      assertThat(p.call("k", "add", 2L, 3L).join()).isEqualTo(5L);
      assertThat(p.call("k", "add", 1L, 1L).join()).isEqualTo(7L);
    }
  }

  @Test
  void applyRunsWorkWithTheKeysUnitInOrder() throws Exception {
    try (UnitPool p = pool().build()) {
      p.compute("k", "_home.n = 1");
      CompletableFuture<List<Object>> r =
          p.apply(
              "k",
              u -> {
                u.clearIo();
                u.setInput(java.util.Map.of("add", 41L));
                return u.execute("_home.n = _home.n + _io.input.add print('hi') return _home.n, 2")
                    .values();
              });
      assertThat(r.get(20, TimeUnit.SECONDS)).containsExactly(42L, 2L);
      assertThat(p.compute("k", "return _home.n")).isEqualTo(42L);
    }
  }

  @Test
  void applyWhoseWorkThrowsFailsOnlyItsFutureAndTheNextRequestGetsANewUnit() {
    try (UnitPool p = pool().build()) {
      p.compute("k", "_home.n = 7 x = 'only in this unit'");
      CompletableFuture<Object> f =
          p.apply(
              "k",
              u -> {
                throw new IllegalStateException("work failed");
              });
      assertThatThrownBy(f::join).hasCauseInstanceOf(IllegalStateException.class);
      assertThat(p.compute("k", "return x")).isNull(); // a new unit, made from the stored state
      assertThat(p.compute("k", "return _home.n")).isEqualTo(7L);
    }
  }

  @Test
  void aFullQueueRefusesAndATimeoutWaitsForRoom() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (UnitPool p =
        pool()
            .threads(1)
            .queueCapacity(2)
            .unit(b -> b.function("hold", waitFor(release)))
            .build()) {
      CompletableFuture<Object> running = p.submit("a", "hold() return 1");
      CompletableFuture<Object> queued = p.submit("b", "return 2");
      assertThatThrownBy(() -> p.submit("c", "return 3")).isInstanceOf(PoolBusyException.class);
      assertThat(p.failures(FailureKind.REJECTED)).isEqualTo(1);
      release.countDown();
      assertThat(running.get(20, TimeUnit.SECONDS)).isEqualTo(1L);
      assertThat(queued.get(20, TimeUnit.SECONDS)).isEqualTo(2L);
    }
    CountDownLatch later = new CountDownLatch(1);
    try (UnitPool p =
        UnitPool.builder()
            .storage(dir.resolve("waiting"))
            .storageOptions(FAST)
            .threads(1)
            .queueCapacity(1)
            .queueTimeout(Duration.ofSeconds(20))
            .unit(b -> b.function("hold", waitFor(later)))
            .build()) {
      CompletableFuture<Object> first = p.submit("a", "hold() return 1");
      new Thread(
              () -> {
                sleep(200);
                later.countDown();
              })
          .start();
      assertThat(p.compute("b", "return 2")).isEqualTo(2L); // waited for room
      assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo(1L);
    }
  }

  @Test
  void closeFinishesAcceptedWork() throws Exception {
    List<CompletableFuture<Object>> fs = new ArrayList<>();
    UnitPool p = pool().threads(2).build();
    for (int i = 0; i < 200; i++) {
      fs.add(p.submit("k" + (i % 10), INCREMENT));
    }
    p.close();
    p.close(); // idempotent
    for (CompletableFuture<Object> f : fs) {
      assertThat(f).isCompleted();
      assertThat(f.get()).isInstanceOf(Long.class);
    }
    assertThatThrownBy(() -> p.compute("k0", "return 1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    try (UnitPool again = pool().build()) {
      long total = 0;
      for (int i = 0; i < 10; i++) {
        total += (Long) again.compute("k" + i, "return _home.n");
      }
      assertThat(total).isEqualTo(200);
    }
  }

  @Test
  void closeNowInterruptsTheRunningAndCancelsTheQueued() throws Exception {
    UnitPool p = pool().threads(1).build();
    CompletableFuture<Object> looping = p.submit("a", "while true do end");
    CompletableFuture<Object> queued = p.submit("b", "return 1");
    while (p.queuedRequests() > 1) {
      Thread.onSpinWait();
    }
    sleep(100); // the loop is running
    p.closeNow();
    assertThatThrownBy(looping::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(LuaTimeoutException.class);
    assertThat(queued.isCancelled()).isTrue();
    assertThatThrownBy(queued::get).isInstanceOf(CancellationException.class);
    assertThat(p.failures(FailureKind.CANCELLED)).isEqualTo(1);
    assertThat(p.failures(FailureKind.TIMEOUT)).isEqualTo(1);
  }

  @Test
  void anyNonEmptyStringIsAKey() {
    String longKey = "x".repeat(500);
    List<String> keys =
        List.of(
            "alice@example.com",
            "a/b/../c",
            "Ünïcödé ключ 鍵",
            "Alice",
            "alice",
            "_41lice",
            "..",
            "k.x",
            longKey,
            longKey + "y");
    try (UnitPool p = pool().build()) {
      for (int i = 0; i < keys.size(); i++) {
        p.compute(keys.get(i), "_home.i = " + i);
      }
      for (int i = 0; i < keys.size(); i++) {
        assertThat(p.compute(keys.get(i), "return _home.i")).isEqualTo((long) i);
      }
      assertThat(p.keys()).containsExactlyInAnyOrderElementsOf(keys);
      assertThatThrownBy(() -> p.compute("", "return 1"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> p.compute("\ud800", "return 1"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void deleteRemovesAKeysStateAfterItsRequests() {
    try (UnitPool p = pool().build()) {
      p.compute("gone", INCREMENT);
      p.snapshot("gone", "before");
      p.submit("gone", INCREMENT);
      assertThat(p.delete("gone")).isTrue();
      assertThat(p.delete("gone")).isFalse();
      assertThat(p.delete("never")).isFalse();
      assertThat(p.keys()).doesNotContain("gone");
      assertThat(p.compute("gone", "return _home.n")).isNull();
    }
  }

  @Test
  void snapshotKeepsANamedCopyOfAKeysState() {
    try (UnitPool p = pool().build()) {
      p.compute("k", "_home.n = 41");
      p.snapshot("k", "v1");
      p.compute("k", "_home.n = 42");
      assertThatThrownBy(() -> p.snapshot("k", "bad name"))
          .isInstanceOf(IllegalArgumentException.class);
    }
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, FAST);
        var store = env.store(PoolKeys.namespace("k"))) {
      assertThat(store.listSnapshots()).containsExactly("v1");
    }
  }

  @Test
  void unitSettingsApplyToEveryUnit() {
    try (UnitPool p =
        pool()
            .maxLiveUnits(1)
            .threads(1)
            .unit(
                b -> b.function("twice", args -> (Long) args.get(0) * 2).instructionLimit(100_000))
            .build()) {
      assertThat(p.compute("a", "return twice(21)")).isEqualTo(42L);
      assertThat(p.compute("b", "return twice(2)")).isEqualTo(4L);
      assertThatThrownBy(() -> p.compute("c", "while true do end"))
          .isInstanceOf(LuaTimeoutException.class);
      assertThat(p.failures(FailureKind.TIMEOUT)).isEqualTo(1);
    }
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> UnitPool.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("storage");
    assertThatThrownBy(() -> pool().threads(4).maxLiveUnits(2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxLiveUnits");
    assertThatThrownBy(() -> pool().queueCapacity(0)).isInstanceOf(IllegalArgumentException.class);
    try (UnitPool p = pool().unit(b -> b.storage(dir.resolve("other"))).build()) {
      assertThatThrownBy(() -> p.compute("k", "return 1"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(p.liveUnits()).isZero();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
