package dev.cu.bench;

import dev.cu.ComputeUnit;
import java.util.concurrent.TimeUnit;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload 4 (part): pure Lua, the same source on cu (with and without the count hook) and on
 * LuaJ. The standalone {@code lua} interpreter anchor is timed outside JMH (not yet scripted).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class PureLuaBenchmark {
  /** fib(n) with plain recursion, and a string-building loop. */
  static final String FIB = "local function fib(n) if n < 2 then return n end "
      + "return fib(n - 1) + fib(n - 2) end return fib(%d)";
  static final String STRINGS = "local t = {} for i = 1, 100000 do t[#t + 1] = tostring(i) .. ',' end "
      + "return #table.concat(t)";

  @Param({"fib", "strings"})
  public String workload;

  private String code;
  private ComputeUnit unit;
  private ComputeUnit fastUnit;
  private LuaValue luajChunk;

  @Setup(Level.Trial)
  public void setUp() {
    code = workload.equals("fib") ? String.format(FIB, 27) : STRINGS;
    unit = ComputeUnit.builder().memoryLimit(0).build();
    fastUnit = ComputeUnit.builder().memoryLimit(0).interruptible(false).build();
    Globals g = JsePlatform.standardGlobals();
    luajChunk = g.load(code);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    unit.close();
    fastUnit.close();
  }

  @Benchmark
  public Object cu() {
    return unit.compute(code);
  }

  @Benchmark
  public Object cuNoHook() {
    return fastUnit.compute(code);
  }

  @Benchmark
  public Object luaj() {
    return luajChunk.call();
  }
}
