package dev.cu.bench;

import dev.cu.ComputeUnit;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import party.iroiro.luajava.Lua;

/**
 * Workload 4: pure Lua, in ms per run of a whole script. The scripts are the resources
 * {@code dev/cu/bench/lua/{fib,binarytrees,strings}.lua} (see {@link Scripts}), run unchanged by
 * every runtime and by the standalone {@code lua} anchor (timed outside JMH):
 *
 * <ul>
 *   <li>{@code fib}: naive recursive fib(32) = 2,178,309 (calls and integer arithmetic);
 *   <li>{@code binarytrees}: binary trees of depth 14, 3,222,190 nodes visited (allocation and
 *       garbage collection);
 *   <li>{@code strings}: 100,000 pieces built with {@code ..} and {@code string.format}, joined
 *       and scanned (1,088,895).
 * </ul>
 *
 * <p>{@code cu}: a default unit (256 MiB, interruptible) with a one-minute time limit, as a
 * service would run untrusted code, so Lua's count hook is on. {@code cuNoHook}: a unit built
 * with {@code interruptible(false)}. {@code luajava}: LuaJava 4.0.2, the same reference C Lua
 * through JNI, chunk compiled once. {@code luaj}: LuaJ 3.0.1 (Lua 5.2 in Java), chunk compiled
 * once. cu compiles once too (chunk cache).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class PureLuaBenchmark {
  @Param({"fib", "binarytrees", "strings"})
  public String script;

  private String code;
  private ComputeUnit unit;
  private ComputeUnit noHookUnit;
  private Lua lua;
  private int luajavaChunk;
  private LuaValue luajChunk;

  @Setup(Level.Trial)
  public void setUp() {
    code = Scripts.source(script);
    unit = ComputeUnit.builder().timeLimit(Duration.ofMinutes(1)).build();
    noHookUnit = ComputeUnit.builder().interruptible(false).build();
    lua = LuaJavaAnchor.open();
    luajavaChunk = LuaJavaAnchor.compile(lua, code);
    luajChunk = JsePlatform.standardGlobals().load(code, script);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    unit.close();
    noHookUnit.close();
    lua.close();
  }

  @Benchmark
  public Object cu() {
    return unit.compute(code);
  }

  @Benchmark
  public Object cuNoHook() {
    return noHookUnit.compute(code);
  }

  @Benchmark
  public long luajava() {
    return LuaJavaAnchor.run(lua, luajavaChunk);
  }

  @Benchmark
  public long luaj() {
    return luajChunk.call().tolong();
  }
}
