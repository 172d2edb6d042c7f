package dev.cu.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.store.LmdbOptions;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitPoolMetricsTest {
  @TempDir Path dir;

  @Test
  void metersFollowThePool() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (UnitPool p =
        UnitPool.builder()
            .storage(dir)
            .storageOptions(LmdbOptions.defaults().withDurability(LmdbOptions.Durability.NO_SYNC))
            .threads(1)
            .maxLiveUnits(2)
            .build()) {
      new UnitPoolMetrics(p, Tags.of("pool", "test")).bindTo(registry);
      for (String k : new String[] {"a", "b", "c", "a"}) {
        p.compute(k, "return 1");
      }
      try {
        p.compute("a", "error('x')");
      } catch (RuntimeException expected) {
        // counted below
      }
      assertThat(registry.get("cu.pool.units.live").tag("pool", "test").gauge().value())
          .isEqualTo(2.0);
      assertThat(registry.get("cu.pool.queue.depth").gauge().value()).isZero();
      assertThat(registry.get("cu.pool.units.created").functionCounter().count()).isEqualTo(4.0);
      assertThat(registry.get("cu.pool.units.evicted").functionCounter().count()).isEqualTo(2.0);
      assertThat(
              registry
                  .get("cu.pool.requests.failed")
                  .tag("kind", "runtime")
                  .functionCounter()
                  .count())
          .isEqualTo(1.0);
      assertThat(
              registry
                  .get("cu.pool.requests.failed")
                  .tag("kind", "syntax")
                  .functionCounter()
                  .count())
          .isZero();
      assertThat(registry.get("cu.pool.requests").timer().count()).isEqualTo(5);
      assertThatThrownBy(() -> new UnitPoolMetrics(p).bindTo(new SimpleMeterRegistry()))
          .isInstanceOf(IllegalStateException.class);
    }
  }
}
