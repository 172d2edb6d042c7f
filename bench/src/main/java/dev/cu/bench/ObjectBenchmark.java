package dev.cu.bench;

import dev.cu.ComputeUnit;
import dev.cu.LuaExport;
import java.util.concurrent.TimeUnit;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.CoerceJavaToLua;
import org.luaj.vm2.lib.jse.JsePlatform;
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
import party.iroiro.luajava.Lua;

/**
 * Methods of a Java object called from Lua, in ns per call: a Lua loop calls {@code o:empty()}
 * (no arguments, no result) or {@code s = o:add(s, i)} (two integers bound to {@code long}
 * parameters, an integer result) 1,000 times. cu: an object exposed with {@code
 * Builder.expose} and its {@code @LuaExport} methods; LuaJ: the same object through {@code
 * CoerceJavaToLua} (reflection); LuaJava: the object pushed as a Java object (its reflective
 * proxy), the loop compiled once. The loop's own cost is included, one chunk run per 1,000 calls.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ObjectBenchmark {
  static final int CALLS = 1000;
  static final String EMPTY_LOOP = "for i = 1, 1000 do o:empty() end";
  static final String ARGS_LOOP = "local s = 0 for i = 1, 1000 do s = o:add(s, i) end return s";

  /** The object both runtimes call. */
  public static final class Target {
    @LuaExport
    public void empty() {}

    @LuaExport
    public long add(long a, long b) {
      return a + b;
    }
  }

  private ComputeUnit unit;
  private LuaValue luajEmpty;
  private LuaValue luajArgs;
  private Lua lua;
  private int luajavaEmpty;
  private int luajavaArgs;

  @Setup(Level.Trial)
  public void setUp() {
    Target target = new Target();
    unit = ComputeUnit.builder().expose("o", target).build();
    Globals globals = JsePlatform.standardGlobals();
    globals.set("o", CoerceJavaToLua.coerce(target));
    luajEmpty = globals.load(EMPTY_LOOP);
    luajArgs = globals.load(ARGS_LOOP);
    lua = LuaJavaAnchor.open();
    lua.pushJavaObject(target);
    lua.setGlobal("o");
    luajavaEmpty = LuaJavaAnchor.compile(lua, EMPTY_LOOP);
    luajavaArgs = LuaJavaAnchor.compile(lua, ARGS_LOOP);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    unit.close();
    lua.close();
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public Object cu_methodCallEmpty() {
    return unit.compute(EMPTY_LOOP);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public LuaValue luaj_methodCallEmpty() {
    return luajEmpty.call();
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public Object cu_methodCallArgs() {
    return unit.compute(ARGS_LOOP);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public LuaValue luaj_methodCallArgs() {
    return luajArgs.call();
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public long luajava_methodCallEmpty() {
    return LuaJavaAnchor.run(lua, luajavaEmpty);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public long luajava_methodCallArgs() {
    return LuaJavaAnchor.run(lua, luajavaArgs);
  }
}
