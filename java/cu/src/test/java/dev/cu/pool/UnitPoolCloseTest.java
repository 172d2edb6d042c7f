package dev.cu.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cu.LuaRuntimeException;
import dev.cu.LuaTimeoutException;
import dev.cu.store.LmdbOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Closing a pool under load, and a pool's threads that must not wait for their own pool. */
class UnitPoolCloseTest {
  @TempDir Path dir;

  private UnitPool.Builder pool() {
    return UnitPool.builder().storage(dir).storageOptions(UnitPoolTest.FAST);
  }

  @Test
  void aPoolThreadThatWaitsForItsPoolIsRefusedNotDeadlocked() throws Exception {
    AtomicReference<UnitPool> self = new AtomicReference<>();
    CountDownLatch release = new CountDownLatch(1);
    try (UnitPool p =
        pool()
            .threads(1)
            .unit(
                b ->
                    b.function("nested", args -> self.get().compute("other", "return 1"))
                        .function("hold", UnitPoolTest.waitFor(release)))
            .build()) {
      self.set(p);
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () -> {
            assertThatThrownBy(() -> p.compute("k", "return nested()"))
                .isInstanceOf(LuaRuntimeException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .rootCause()
                .hasMessageContaining("one of its threads");
            // callbacks attached before the requests end run on the pool's thread
            p.submit("k", "hold()");
            CompletableFuture<Object> chained =
                p.submit("k", "return 1").thenApply(v -> p.compute("k", "return 2"));
            CompletableFuture<Object> closing =
                p.submit("k", "return 1")
                    .thenApply(
                        v -> {
                          p.close();
                          return v;
                        });
            release.countDown();
            assertThatThrownBy(chained::join)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(closing::join).cause().isInstanceOf(IllegalStateException.class);
          });
      assertThat(p.compute("k", "return 3")).isEqualTo(3L); // the pool still works
    }
  }

  @Test
  void closeNowEndsRequestsThatStartAfterItsFirstInterrupt() {
    for (int round = 0; round < 10; round++) {
      Path d = dir.resolve("r" + round);
      UnitPool p =
          UnitPool.builder().storage(d).storageOptions(UnitPoolTest.FAST).threads(2).build();
      List<CompletableFuture<Object>> fs = new ArrayList<>();
      for (int k = 0; k < 6; k++) {
        fs.add(p.submit("cold" + k, "while true do end"));
      }
      assertTimeoutPreemptively(Duration.ofSeconds(30), p::closeNow);
      for (CompletableFuture<Object> f : fs) {
        assertThat(f).isDone();
        assertThatThrownBy(f::get)
            .satisfiesAnyOf(
                e -> assertThat(e).isInstanceOf(java.util.concurrent.CancellationException.class),
                e ->
                    assertThat(e)
                        .isInstanceOf(ExecutionException.class)
                        .cause()
                        .isInstanceOfAny(
                            LuaTimeoutException.class,
                            java.util.concurrent.CancellationException.class));
      }
    }
  }

  @Test
  void closeNowHurriesACloseInProgress() throws Exception {
    UnitPool p = pool().threads(1).build();
    CompletableFuture<Object> looping = p.submit("a", "while true do end");
    while (p.queuedRequests() > 0) {
      Thread.onSpinWait();
    }
    Thread closer = new Thread(p::close);
    closer.start();
    Thread.sleep(100); // close() now waits for the loop
    assertThat(closer.isAlive()).isTrue();
    assertTimeoutPreemptively(Duration.ofSeconds(20), p::closeNow);
    closer.join(20_000);
    assertThat(closer.isAlive()).isFalse();
    assertThatThrownBy(looping::get).cause().isInstanceOf(LuaTimeoutException.class);
  }

  @Test
  void closingWithLongQueuesLeavesNoStrayException() throws Throwable {
    List<Throwable> stray =
        strayDuring(
            () -> {
              for (int round = 0; round < 20; round++) {
                UnitPool p =
                    UnitPool.builder()
                        .storage(dir.resolve("q" + round))
                        .storageOptions(UnitPoolTest.FAST)
                        .threads(2)
                        .build();
                List<CompletableFuture<Object>> fs = new ArrayList<>();
                for (int i = 0; i < KeySlot.BATCH * 2; i++) {
                  fs.add(p.submit("one", "return " + i));
                }
                p.close();
                for (int i = 0; i < fs.size(); i++) {
                  assertThat(fs.get(i).get()).isEqualTo((long) i);
                }
              }
            });
    assertThat(stray).isEmpty();
  }

  @Test
  void aKeysNewUnitWaitsForItsEvictedUnitsClose() {
    // no waiting for a held namespace: a new unit opened before its evicted one closed would fail
    LmdbOptions noWait = UnitPoolTest.FAST.withLockTimeout(Duration.ZERO);
    try (UnitPool p =
        UnitPool.builder().storage(dir).storageOptions(noWait).threads(2).maxLiveUnits(2).build()) {
      List<CompletableFuture<Object>> fs = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        fs.add(p.submit("k" + (i % 5), UnitPoolTest.INCREMENT));
      }
      fs.forEach(CompletableFuture::join);
      assertThat(p.failures(FailureKind.STORAGE)).isZero();
      long total = 0;
      for (int k = 0; k < 5; k++) {
        total += (Long) p.compute("k" + k, "return _home.n");
      }
      assertThat(total).isEqualTo(2_000);
    }
  }

  @Test
  void aBadSnapshotNameIsRefusedBeforeItReachesTheUnit() {
    try (UnitPool p = pool().build()) {
      p.compute("k", "return 1");
      long created = p.unitsCreated();
      assertThatThrownBy(() -> p.snapshot("k", "bad name"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(p.liveUnits()).isEqualTo(1);
      p.compute("k", "return 1");
      assertThat(p.unitsCreated()).isEqualTo(created);
    }
  }

  @Test
  void aThrowingLatencySinkLeavesRequestsAndTheirKeysWorking() throws Throwable {
    List<Throwable> stray =
        strayDuring(
            () -> {
              try (UnitPool p = pool().threads(1).build()) {
                p.counters.latencySink =
                    nanos -> {
                      throw new IllegalStateException("sink broke");
                    };
                for (int i = 0; i < 3; i++) {
                  assertThat(
                          p.submit("k", "return " + i)
                              .get(20, java.util.concurrent.TimeUnit.SECONDS))
                      .isEqualTo((long) i);
                }
                assertThat(p.completed()).isEqualTo(3);
              }
            });
    assertThat(stray).hasSize(3).allMatch(e -> e.getMessage().equals("sink broke"));
  }

  @Test
  void anInterruptAHostFunctionLeavesIsClearedBeforeTheNextRequest() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (UnitPool p =
        pool()
            .threads(1)
            .unit(
                b ->
                    b.function("hold", UnitPoolTest.waitFor(release))
                        .function(
                            "rude",
                            args -> {
                              Thread.currentThread().interrupt();
                              return 1L;
                            })
                        .function("interrupted", args -> Thread.currentThread().isInterrupted()))
            .build()) {
      // one key's queued requests run in one turn of the same thread, one after the other
      p.submit("a", "hold()");
      CompletableFuture<Object> rude = p.submit("a", "return rude()");
      CompletableFuture<Object> next = p.submit("a", "return interrupted()");
      release.countDown();
      assertThat(rude.get()).isEqualTo(1L);
      assertThat(next.get()).isEqualTo(false);
    }
  }

  /**
   * Runs {@code body} with a default uncaught-exception handler that collects what reaches it
   * (from the pool's threads); returns the collected exceptions.
   */
  private static List<Throwable> strayDuring(Executable body) throws Throwable {
    List<Throwable> stray = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> stray.add(e));
    try {
      body.execute();
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
    return stray;
  }
}
