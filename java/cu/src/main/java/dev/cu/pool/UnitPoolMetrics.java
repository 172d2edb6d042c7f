package dev.cu.pool;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;

/**
 * A pool's meters for Micrometer (an optional dependency: a pool without this class needs no
 * Micrometer on the class path):
 *
 * <ul>
 *   <li>{@code cu.pool.units.live} (gauge): live units, with those being made;
 *   <li>{@code cu.pool.queue.depth} (gauge): requests accepted and not started;
 *   <li>{@code cu.pool.units.created}, {@code cu.pool.units.evicted} (counters);
 *   <li>{@code cu.pool.requests} (timer): each finished request, from its acceptance to its end;
 *   <li>{@code cu.pool.requests.failed} (counter, tag {@code kind}: a {@link FailureKind}
 *       label): failed, refused and cancelled requests.
 * </ul>
 *
 * <p>Bind it to one registry; every meter carries the given tags.
 */
public final class UnitPoolMetrics implements MeterBinder {
  private final UnitPool pool;
  private final Tags tags;

  /** Meters of {@code pool}, each with {@code tags}. */
  public UnitPoolMetrics(UnitPool pool, Iterable<Tag> tags) {
    this.pool = pool;
    this.tags = Tags.of(tags);
  }

  /** Meters of {@code pool} without tags. */
  public UnitPoolMetrics(UnitPool pool) {
    this(pool, Tags.empty());
  }

  /**
   * Registers the meters with {@code registry} and starts timing requests.
   *
   * @throws IllegalStateException when the pool's requests are timed by another registry
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    synchronized (pool.counters) { // claimed before any meter is registered
      if (pool.counters.latencySink != null) {
        throw new IllegalStateException("the pool's requests are timed by another registry");
      }
      pool.counters.latencySink = nanos -> {};
    }
    Timer timer =
        Timer.builder("cu.pool.requests")
            .description("requests from acceptance to end")
            .tags(tags)
            .publishPercentileHistogram()
            .register(registry);
    pool.counters.latencySink = nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
    Gauge.builder("cu.pool.units.live", pool, UnitPool::liveUnits)
        .description("live units, with those being made")
        .tags(tags)
        .register(registry);
    Gauge.builder("cu.pool.queue.depth", pool, UnitPool::queuedRequests)
        .description("requests accepted and not started")
        .tags(tags)
        .register(registry);
    FunctionCounter.builder("cu.pool.units.created", pool, UnitPool::unitsCreated)
        .description("units made")
        .tags(tags)
        .register(registry);
    FunctionCounter.builder("cu.pool.units.evicted", pool, UnitPool::unitsEvicted)
        .description("units closed to make room")
        .tags(tags)
        .register(registry);
    for (FailureKind k : FailureKind.values()) {
      FunctionCounter.builder("cu.pool.requests.failed", pool, p -> p.failures(k))
          .description("failed, refused and cancelled requests")
          .tags(tags)
          .tag("kind", k.label())
          .register(registry);
    }
  }
}
