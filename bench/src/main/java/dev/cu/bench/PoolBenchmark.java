package dev.cu.bench;

import dev.cu.pool.UnitPool;
import dev.cu.store.LmdbOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload 12: a {@link UnitPool}'s throughput on independent keys with 1 and 2 pool threads.
 * One operation is one request; each invocation sends one request to each of {@value #KEYS}
 * keys, all live ({@code maxLiveUnits} = {@value #KEYS}), and waits for them. A request does
 * about half a millisecond of work (fill, sort and sum 2,000 integers) and adds one to its key's
 * counter in {@code _home}, committed to LMDB (without {@code fsync}: the disk is not measured).
 * With 2 threads on a 2-core machine the benchmark's own thread, the JIT and the collector share
 * the cores with the pool's threads, and LMDB takes one write transaction at a time. The first
 * seconds of a fork run slower (the JIT compiling the pool's and cu's paths): five seconds of
 * warm-up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class PoolBenchmark {
  static final int KEYS = 64;

  static final String WORK =
      "local t = {} for i = 1, 2000 do t[i] = (i * 7919) % 1000 end table.sort(t)"
          + " local s = 0 for i = 1, 2000 do s = s + t[i] end"
          + " _home.n = (_home.n or 0) + 1 return s";

  /** The sum {@link #WORK} returns. */
  static final long WORK_SUM = 999_000;

  static final LmdbOptions NO_SYNC =
      LmdbOptions.defaults().withDurability(LmdbOptions.Durability.NO_SYNC);

  @Param({"1", "2"})
  public int threads;

  private Path dir;
  private UnitPool pool;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("cu-pool-bench");
    pool =
        UnitPool.builder()
            .storage(dir)
            .storageOptions(NO_SYNC)
            .threads(threads)
            .maxLiveUnits(KEYS)
            .build();
    independentKeys(); // every key's unit is live from here on
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    pool.close();
    NativeLuaAnchor.deleteTree(dir);
  }

  @Benchmark
  @OperationsPerInvocation(KEYS)
  public long independentKeys() {
    @SuppressWarnings("unchecked")
    CompletableFuture<Object>[] fs = new CompletableFuture[KEYS];
    for (int k = 0; k < KEYS; k++) {
      fs[k] = pool.submit("key-" + k, WORK);
    }
    long sum = 0;
    for (CompletableFuture<Object> f : fs) {
      sum += (Long) f.join();
    }
    return sum;
  }
}
