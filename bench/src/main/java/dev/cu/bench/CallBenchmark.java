package dev.cu.bench;

import dev.cu.ComputeUnit;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workloads 2 and 3: Java calls an empty Lua function by name ({@code call}, no chunk compiled),
 * and Lua calls Java host functions (empty, and two arguments with a result), per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class CallBenchmark {
  private static final int CALLS = 1000;
  private ComputeUnit unit;

  @Setup(Level.Trial)
  public void setUp() {
    unit = ComputeUnit.builder()
        .function("empty", args -> null)
        .function("add", args -> (Long) args.get(0) + (Long) args.get(1))
        .build();
    unit.compute("function f() end");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    unit.close();
  }

  /** Workload 2: {@code call("f")} of an empty global Lua function. */
  @Benchmark
  public Object javaCallsLua() {
    return unit.call("f");
  }

  /** Workload 3: an empty host function, per call (1,000 calls in one chunk). */
  @Benchmark
  @OperationsPerInvocation(CALLS)
  public Object luaCallsEmptyHostFunction() {
    return unit.compute("for i = 1, 1000 do empty() end");
  }

  /** Workload 3: a host function with two arguments and a result, per call. */
  @Benchmark
  @OperationsPerInvocation(CALLS)
  public Object luaCallsHostFunctionWithResult() {
    return unit.compute("local s = 0 for i = 1, 1000 do s = add(s, i) end return s");
  }
}
