package dev.cu.bench;

import dev.cu.ComputeUnit;
import dev.cu.LuaFunction;
import dev.cu.LuaTable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
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
 * Live handles, in ns per operation, beside the plain stack-API code a
 * LuaJava application writes for the same thing.
 *
 * <ul>
 *   <li>{@code *_functionCallEmpty}: call the empty Lua function {@code f}. cu: {@code
 *       LuaFunction.call()} of a handle held by Java; LuaJava: {@code getGlobal("f")} + {@code
 *       pCall}, the code a LuaJava application writes; {@code luajava_functionCallEmpty_ref}:
 *       {@code refGet} of a registry reference + {@code pCall}, LuaJava's nearest equivalent of
 *       a held handle.
 *   <li>{@code *_functionCallArgs}: {@code add3(1, 2, 3)} returning an integer. cu: {@code
 *       LuaFunction.call(1L, 2L, 3L)}; LuaJava: {@code refGet}, three pushes, {@code pCall},
 *       {@code toInteger}.
 *   <li>{@code *_tableGet} / {@code *_tableSet}: a scalar field of a table held by Java. cu:
 *       {@code LuaTable.get("k")} / {@code set("k", v)}; LuaJava: {@code refGet} + {@code
 *       getField} + {@code toInteger} / {@code refGet} + {@code push} + {@code setField}.
 *   <li>{@code cu_callback}: a host function {@code each(list, fn)} calls a Lua function it was
 *       given once per element of a 100-element list; the score is per callback.
 *   <li>{@code cu_handleCreateClose}: {@code function("f")} and {@code close()}.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class HandleBenchmark {
  static final String DEFINE =
      "function f() end function add3(a, b, c) return a + b + c end t = { k = 1 }";
  static final int ELEMENTS = 100;
  static final String EACH = "local s = 0 each(list, function(x) s = s + x end) return s";

  private ComputeUnit unit;
  private LuaFunction f;
  private LuaFunction add3;
  private LuaTable t;
  private long next;

  private Lua lua;
  private int luajavaF;
  private int luajavaAdd3;
  private int luajavaT;

  @Setup(Level.Trial)
  public void setUp() {
    unit =
        ComputeUnit.builder()
            .function(
                "each",
                args -> {
                  LuaFunction fn = (LuaFunction) args.get(1);
                  for (Object x : (List<?>) args.get(0)) {
                    fn.call(x);
                  }
                  return null;
                })
            .build();
    unit.compute(DEFINE);
    unit.setInputField("list", LongStream.rangeClosed(1, ELEMENTS).boxed().toList());
    unit.compute("list = _io.input.list");
    f = unit.function("f");
    add3 = unit.function("add3");
    t = unit.table("t");

    lua = LuaJavaAnchor.open();
    LuaJavaAnchor.eval(lua, DEFINE);
    lua.getGlobal("f");
    luajavaF = lua.ref();
    lua.getGlobal("add3");
    luajavaAdd3 = lua.ref();
    lua.getGlobal("t");
    luajavaT = lua.ref();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    unit.close();
    lua.close();
  }

  @Benchmark
  public Object cu_functionCallEmpty() {
    return f.call();
  }

  @Benchmark
  public int luajava_functionCallEmpty() {
    lua.getGlobal("f");
    lua.pCall(0, 0);
    return lua.getTop();
  }

  @Benchmark
  public int luajava_functionCallEmpty_ref() {
    lua.refGet(luajavaF);
    lua.pCall(0, 0);
    return lua.getTop();
  }

  @Benchmark
  public Object cu_functionCallArgs() {
    return add3.call(1L, 2L, 3L);
  }

  @Benchmark
  public long luajava_functionCallArgs() {
    lua.refGet(luajavaAdd3);
    lua.push(1);
    lua.push(2);
    lua.push(3);
    lua.pCall(3, 1);
    long r = lua.toInteger(-1);
    lua.pop(1);
    return r;
  }

  @Benchmark
  public Object cu_tableGet() {
    return t.get("k");
  }

  @Benchmark
  public long luajava_tableGet() {
    lua.refGet(luajavaT);
    lua.getField(-1, "k");
    long r = lua.toInteger(-1);
    lua.pop(2);
    return r;
  }

  @Benchmark
  public void cu_tableSet() {
    t.set("k", next++);
  }

  @Benchmark
  public void luajava_tableSet() {
    lua.refGet(luajavaT);
    lua.push(next++);
    lua.setField(-2, "k");
    lua.pop(1);
  }

  @Benchmark
  @OperationsPerInvocation(ELEMENTS)
  public Object cu_callback() {
    return unit.compute(EACH);
  }

  @Benchmark
  public void cu_handleCreateClose() {
    unit.function("f").close();
  }
}
