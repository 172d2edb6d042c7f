package dev.cu.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unit pool example of README.md: the code between the pool markers is pasted there. */
class UnitPoolTutorialTest {
  @TempDir Path state;

  @Test
  void pool() throws Exception {
    // pool:begin
    // One unit per key, each with its own _home; at most 1,000 Lua states live at once.
    try (UnitPool pool =
        UnitPool.builder()
            .storage(state) // one LMDB folder, one namespace per key
            .maxLiveUnits(1_000)
            .threads(2) // requests running at once
            .unit(b -> b.timeLimit(Duration.ofSeconds(1))) // applied to every unit
            .build()) {

      // A key's requests run in order; different keys run in parallel.
      pool.compute("alice@example.com", "_home.visits = (_home.visits or 0) + 1");
      CompletableFuture<Object> visits = pool.submit("alice@example.com", "return _home.visits");
      assertThat(visits.get()).isEqualTo(1L);

      // call() runs a global function of the key's unit with arguments.
      pool.compute(
          "bob", "function add(n) _home.total = (_home.total or 0) + n return _home.total end");
      assertThat(pool.call("bob", "add", 5L).get()).isEqualTo(5L);

      assertThat(pool.keys()).containsExactly("alice@example.com", "bob");
      assertThat(pool.delete("bob")).isTrue(); // its _home and its snapshots
    }
    // pool:end
  }
}
