package dev.cu.bench;

import dev.cu.ComputeUnit;
import java.util.concurrent.TimeUnit;
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
 * Workload 8: throughput of N units on N threads (N = 1, 2), in ops/s summed over the threads.
 * Each thread owns one default unit (JMH thread-scoped state), so the threads share nothing but
 * the process.
 *
 * <ul>
 *   <li>{@code trivial_t1} / {@code trivial_t2}: workload 1, {@code compute("return 2 + 2")}.
 *   <li>{@code work1ms_t1} / {@code work1ms_t2}: a chunk of about 1 ms on the project's
 *       reference machine: fill a table with 4,000 integers, {@code table.sort} it, sum it
 *       (1,998,000).
 * </ul>
 *
 * <p>With 2 threads on a 2-core machine the second thread competes with JIT and GC threads, so
 * perfect scaling would be 2x the single-thread figure at best.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ThroughputBenchmark {
  static final String WORK_1MS =
      "local t = {} for i = 1, 4000 do t[i] = (i * 7919) % 1000 end "
          + "table.sort(t) local s = 0 for i = 1, 4000 do s = s + t[i] end return s";

  private ComputeUnit unit;

  @Setup(Level.Trial)
  public void setUp() {
    unit = ComputeUnit.create();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    unit.close();
  }

  @Benchmark
  @Threads(1)
  public Object trivial_t1() {
    return unit.compute(RoundTripBenchmark.CODE);
  }

  @Benchmark
  @Threads(2)
  public Object trivial_t2() {
    return unit.compute(RoundTripBenchmark.CODE);
  }

  @Benchmark
  @Threads(1)
  public Object work1ms_t1() {
    return unit.compute(WORK_1MS);
  }

  @Benchmark
  @Threads(2)
  public Object work1ms_t2() {
    return unit.compute(WORK_1MS);
  }
}
