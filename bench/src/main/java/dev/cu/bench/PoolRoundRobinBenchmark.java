package dev.cu.bench;

import dev.cu.pool.UnitPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload 13: {@value #KEYS} keys requested round-robin through a pool of {@value #LIVE} live
 * units, so nearly every request finds its key cold: it waits for the eviction of the least
 * recently used unit, opens the key's namespace, makes a unit and loads the one row it touches
 * ({@code _home.n}, incremented and committed without {@code fsync}). Every key has state before
 * the measurement (the set-up requests each once). Two benchmark threads send blocking requests
 * to a pool of two threads; JMH samples each request's time (mean and percentiles).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@Threads(2)
public class PoolRoundRobinBenchmark {
  static final int KEYS = 100_000;
  static final int LIVE = 1_000;
  static final String INCREMENT = "_home.n = (_home.n or 0) + 1 return _home.n";

  private final AtomicLong next = new AtomicLong();
  private Path dir;
  private UnitPool pool;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("cu-pool-rr");
    pool = pool(dir, LIVE);
    List<CompletableFuture<Object>> fs = new ArrayList<>(KEYS);
    for (int k = 0; k < KEYS; k++) {
      fs.add(pool.submit(key(k), INCREMENT));
    }
    fs.forEach(CompletableFuture::join);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    pool.close();
    NativeLuaAnchor.deleteTree(dir);
  }

  /**
   * A pool on {@code dir} as this benchmark and {@link PoolMemory} use it: two threads, {@code
   * live} live units, LMDB without {@code fsync}, a queue that makes senders wait.
   */
  static UnitPool pool(Path dir, int live) {
    return UnitPool.builder()
        .storage(dir)
        .storageOptions(PoolBenchmark.NO_SYNC)
        .threads(2)
        .maxLiveUnits(live)
        .queueCapacity(4_096)
        .queueTimeout(Duration.ofMinutes(1))
        .build();
  }

  static String key(long k) {
    return "user-" + k;
  }

  @Benchmark
  public Object roundRobin() {
    return pool.compute(key(next.getAndIncrement() % KEYS), INCREMENT);
  }

  /** The pool, for tests. */
  UnitPool pool() {
    return pool;
  }
}
