package dev.cu.bench;

import dev.cu.ComputeUnit;
import java.util.concurrent.TimeUnit;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.ThreeArgFunction;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.ZeroArgFunction;
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
 * Workloads 2 and 3: calls across the Java/Lua boundary, in ns per call.
 *
 * <ul>
 *   <li>{@code *_javaCallsLua} (workload 2, LuaJava's published case): Java looks up the global
 *       {@code f}, an empty Lua function, and calls it. cu: {@code call("f")} (no chunk
 *       compiled); LuaJava: {@code getGlobal} + {@code pCall}; LuaJ: {@code get("f").call()}.
 *   <li>{@code *_hostCallEmpty} (workload 3): a Lua loop calls the empty host function {@code
 *       empty()} 1,000 times; the score is per call (the loop's own cost included, one chunk run
 *       per 1,000 calls).
 *   <li>{@code *_hostCallArgs} (workload 3): the same loop calls {@code add(s, i)}, a host
 *       function with two integer arguments and an integer result, 1,000 times (sum 500,500).
 *   <li>{@code *_hostCallArgs3}: the same loop calls {@code add3(s, i, 1)}, a host function with
 *       three integer arguments and an integer result, 1,000 times (sum 501,500).
 * </ul>
 *
 * <p>All three runtimes run the same Lua loop compiled once: cu from its chunk cache, LuaJava
 * from a registry reference, LuaJ from a loaded chunk. cu uses a default (interruptible) unit.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class CallBenchmark {
  static final int CALLS = 1000;
  static final String EMPTY_LOOP = "for i = 1, 1000 do empty() end";
  static final String ARGS_LOOP = "local s = 0 for i = 1, 1000 do s = add(s, i) end return s";
  static final String ARGS3_LOOP = "local s = 0 for i = 1, 1000 do s = add3(s, i, 1) end return s";
  static final String DEFINE_F = "function f() end";

  private ComputeUnit unit;
  private Lua lua;
  private int luajavaEmpty;
  private int luajavaArgs;
  private int luajavaArgs3;
  private Globals globals;
  private LuaValue luajEmpty;
  private LuaValue luajArgs;
  private LuaValue luajArgs3;

  @Setup(Level.Trial)
  public void setUp() {
    unit =
        ComputeUnit.builder()
            .function("empty", args -> null)
            .function("add", args -> (Long) args.get(0) + (Long) args.get(1))
            .function("add3", args -> (Long) args.get(0) + (Long) args.get(1) + (Long) args.get(2))
            .build();
    unit.compute(DEFINE_F);

    lua = LuaJavaAnchor.open();
    lua.push(l -> 0);
    lua.setGlobal("empty");
    lua.push(
        l -> {
          l.push(l.toInteger(1) + l.toInteger(2));
          return 1;
        });
    lua.setGlobal("add");
    lua.push(
        l -> {
          l.push(l.toInteger(1) + l.toInteger(2) + l.toInteger(3));
          return 1;
        });
    lua.setGlobal("add3");
    LuaJavaAnchor.eval(lua, DEFINE_F);
    luajavaEmpty = LuaJavaAnchor.compile(lua, EMPTY_LOOP);
    luajavaArgs = LuaJavaAnchor.compile(lua, ARGS_LOOP);
    luajavaArgs3 = LuaJavaAnchor.compile(lua, ARGS3_LOOP);

    globals = JsePlatform.standardGlobals();
    globals.set(
        "empty",
        new ZeroArgFunction() {
          @Override
          public LuaValue call() {
            return NIL;
          }
        });
    globals.set(
        "add",
        new TwoArgFunction() {
          @Override
          public LuaValue call(LuaValue a, LuaValue b) {
            return LuaInteger.valueOf(a.tolong() + b.tolong());
          }
        });
    globals.set(
        "add3",
        new ThreeArgFunction() {
          @Override
          public LuaValue call(LuaValue a, LuaValue b, LuaValue c) {
            return LuaInteger.valueOf(a.tolong() + b.tolong() + c.tolong());
          }
        });
    globals.load(DEFINE_F).call();
    luajEmpty = globals.load(EMPTY_LOOP);
    luajArgs = globals.load(ARGS_LOOP);
    luajArgs3 = globals.load(ARGS3_LOOP);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    unit.close();
    lua.close();
  }

  @Benchmark
  public Object cu_javaCallsLua() {
    return unit.call("f");
  }

  @Benchmark
  public int luajava_javaCallsLua() {
    lua.getGlobal("f");
    lua.pCall(0, 0);
    return lua.getTop();
  }

  @Benchmark
  public LuaValue luaj_javaCallsLua() {
    return globals.get("f").call();
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public Object cu_hostCallEmpty() {
    return unit.compute(EMPTY_LOOP);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public long luajava_hostCallEmpty() {
    return LuaJavaAnchor.run(lua, luajavaEmpty);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public LuaValue luaj_hostCallEmpty() {
    return luajEmpty.call();
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public Object cu_hostCallArgs() {
    return unit.compute(ARGS_LOOP);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public long luajava_hostCallArgs() {
    return LuaJavaAnchor.run(lua, luajavaArgs);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public LuaValue luaj_hostCallArgs() {
    return luajArgs.call();
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public Object cu_hostCallArgs3() {
    return unit.compute(ARGS3_LOOP);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public long luajava_hostCallArgs3() {
    return LuaJavaAnchor.run(lua, luajavaArgs3);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public LuaValue luaj_hostCallArgs3() {
    return luajArgs3.call();
  }
}
