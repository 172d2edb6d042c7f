package dev.cu.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.LuaRuntimeException;
import dev.cu.store.LmdbOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many keys through few live units from many threads: every key's counter ends at its number of
 * successful requests, failing requests change nothing, and a new pool on the same folder sees
 * the same counts.
 */
class UnitPoolStressTest {
  private static final int KEYS = 10_000;
  private static final int CLIENTS = 8;
  private static final int PER_CLIENT = 4_000;

  @TempDir Path dir;

  /** A script that adds one to the key's counter, or fails after changing it when asked to. */
  private static String script(Random r) {
    boolean fail = r.nextInt(5) == 0;
    String body =
        switch (r.nextInt(3)) {
          case 0 -> "_home.count = (_home.count or 0) + 1";
          case 1 ->
              "local t = _home.stats or {} t.n = (t.n or 0) + 1 _home.stats = t"
                  + " _home.count = (_home.count or 0) + 1";
          default -> "for i = 1, 3 do _home.tmp = i end _home.count = (_home.count or 0) + 1";
        };
    return body + (fail ? " error('on purpose')" : "") + " return _home.count";
  }

  @Test
  void countsMatchSuccessfulRequestsAcrossEvictionAndRestart() throws Exception {
    AtomicLongArray successes = new AtomicLongArray(KEYS);
    LmdbOptions fast = LmdbOptions.defaults().withDurability(LmdbOptions.Durability.NO_SYNC);
    try (UnitPool pool =
        UnitPool.builder()
            .storage(dir)
            .storageOptions(fast)
            .threads(4)
            .maxLiveUnits(200)
            .queueCapacity(500)
            .queueTimeout(Duration.ofMinutes(2))
            .build()) {
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        long seed = 1000 + c;
        done.add(
            clients.submit(
                () -> {
                  Random r = new Random(seed);
                  List<CompletableFuture<Object>> mine = new ArrayList<>();
                  List<Integer> keys = new ArrayList<>();
                  for (int i = 0; i < PER_CLIENT; i++) {
                    int k = r.nextInt(KEYS);
                    keys.add(k);
                    mine.add(pool.submit("user-" + k + "@example.com", script(r)));
                  }
                  for (int i = 0; i < mine.size(); i++) {
                    try {
                      mine.get(i).join();
                      successes.incrementAndGet(keys.get(i));
                    } catch (CompletionException e) {
                      assertThat(e.getCause())
                          .isInstanceOf(LuaRuntimeException.class)
                          .hasMessageContaining("on purpose");
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
      clients.shutdown();
      assertThat(pool.liveUnits()).isLessThanOrEqualTo(200);
      assertThat(pool.unitsEvicted()).isGreaterThan(1000);
      assertThat(pool.completed() + pool.failures(FailureKind.RUNTIME))
          .isEqualTo((long) CLIENTS * PER_CLIENT);
      check(pool, successes);
    }
    try (UnitPool again =
        UnitPool.builder().storage(dir).storageOptions(fast).maxLiveUnits(50).build()) {
      check(again, successes);
      long withState = 0;
      for (int k = 0; k < KEYS; k++) {
        withState += successes.get(k) > 0 ? 1 : 0;
      }
      assertThat(again.keys().size()).isGreaterThanOrEqualTo((int) withState);
    }
  }

  private static void check(UnitPool pool, AtomicLongArray successes) {
    List<CompletableFuture<Object>> counts = new ArrayList<>();
    for (int k = 0; k < KEYS; k++) {
      counts.add(pool.submit("user-" + k + "@example.com", "return _home.count or 0"));
    }
    for (int k = 0; k < KEYS; k++) {
      assertThat(counts.get(k).join()).as("key %d", k).isEqualTo(successes.get(k));
    }
  }
}
