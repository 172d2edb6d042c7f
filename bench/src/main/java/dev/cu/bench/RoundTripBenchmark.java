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
import org.openjdk.jmh.annotations.Warmup;

/** Workload 1: the trivial round trip {@code compute("return 2 + 2")} to a Java Long. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class RoundTripBenchmark {
  private ComputeUnit unit;
  private ComputeUnit fastUnit;

  @Setup(Level.Trial)
  public void setUp() {
    unit = ComputeUnit.create();
    fastUnit = ComputeUnit.builder().interruptible(false).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    unit.close();
    fastUnit.close();
  }

  /** The chunk cache hit path with the default (interruptible) unit. */
  @Benchmark
  public Object computeCached() {
    return unit.compute("return 2 + 2");
  }

  /** The same on a unit without the count hook. */
  @Benchmark
  public Object computeCachedNoHook() {
    return fastUnit.compute("return 2 + 2");
  }
}
