package dev.cu.pool;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/** What the pool counts, read by its getters and {@link UnitPoolMetrics}. */
final class PoolCounters {
  final LongAdder created = new LongAdder();
  final LongAdder evicted = new LongAdder();
  final LongAdder completed = new LongAdder();
  private final Map<FailureKind, LongAdder> failures = new EnumMap<>(FailureKind.class);

  /** Receives each finished request's latency in nanoseconds (a metrics timer), or null. */
  volatile LongConsumer latencySink;

  PoolCounters() {
    for (FailureKind k : FailureKind.values()) {
      failures.put(k, new LongAdder());
    }
  }

  void failed(FailureKind kind) {
    failures.get(kind).increment();
  }

  long failures(FailureKind kind) {
    return failures.get(kind).sum();
  }

  void latency(long nanos) {
    LongConsumer sink = latencySink;
    if (sink != null) {
      sink.accept(nanos);
    }
  }
}
