package dev.cu.bench;

import dev.cu.ComputeUnit;
import java.util.concurrent.TimeUnit;
import org.luaj.vm2.Globals;
import org.luaj.vm2.lib.jse.JsePlatform;
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
import party.iroiro.luajava.Lua;

/**
 * Workload 1, the trivial round trip: Java source text in, {@code 2 + 2} out as a Java
 * {@code Long}.
 *
 * <ul>
 *   <li>{@code cu_cached}: {@code compute("return 2 + 2")} on a default (interruptible) unit; the
 *       chunk cache hits, so this is one run of a compiled chunk plus the CBOR result decode.
 *   <li>{@code cu_freshChunk}: {@code compute("return 2 + " + n)} with a new {@code n} each call,
 *       so every call misses the chunk cache: compile, run, and evict the oldest chunk.
 *   <li>{@code luajava_eval}: LuaJava {@code load} + {@code pCall} + {@code toInteger}. LuaJava
 *       has no chunk cache, so it compiles every call: compare with {@code cu_freshChunk}.
 *   <li>{@code luaj_eval}: LuaJ {@code globals.load(code).call().tolong()}, also compiling every
 *       call (LuaJ's compiler is Java).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class RoundTripBenchmark {
  static final String CODE = "return 2 + 2";

  private ComputeUnit unit;
  private long counter;
  private Lua lua;
  private Globals globals;

  @Setup(Level.Trial)
  public void setUp() {
    unit = ComputeUnit.create();
    lua = LuaJavaAnchor.open();
    globals = JsePlatform.standardGlobals();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    unit.close();
    lua.close();
  }

  @Benchmark
  public Object cu_cached() {
    return unit.compute(CODE);
  }

  /** Returns {@code 2 + n} for the n-th call (n counts from 0 over the trial). */
  @Benchmark
  public Object cu_freshChunk() {
    return unit.compute("return 2 + " + counter++);
  }

  @Benchmark
  public Long luajava_eval() {
    return LuaJavaAnchor.eval(lua, CODE);
  }

  @Benchmark
  public Long luaj_eval() {
    return globals.load(CODE).call().tolong();
  }
}
