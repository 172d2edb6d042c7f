package dev.cu.bench;

import dev.cu.ComputeUnit;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua54.Lua54;

/**
 * The life of a unit, in µs per op.
 *
 * <ul>
 *   <li>{@code cu_createClose}: {@code ComputeUnit.create()} (a default unit: 256 MiB limit,
 *       interruptible, its sandboxed libraries opened) and {@code close()}.
 *   <li>{@code luajava_createClose}: {@code new Lua54()}, {@code openLibraries()} and {@code
 *       close()}, the same for a LuaJava state.
 * </ul>
 *
 * <p>The native memory an idle unit keeps, with 10,000 units alive, is measured outside JMH by
 * {@link UnitMemory}; its results are filed under this class as {@code cu_idleUnitMemory} and
 * {@code luajava_idleUnitMemory}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class UnitBenchmark {
  @Benchmark
  public ComputeUnit cu_createClose() {
    ComputeUnit unit = ComputeUnit.create();
    unit.close();
    return unit;
  }

  @Benchmark
  public Lua luajava_createClose() {
    Lua lua = new Lua54();
    lua.openLibraries();
    lua.close();
    return lua;
  }
}
