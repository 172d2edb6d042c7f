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

/**
 * Handles, in ns per operation (cu only).
 *
 * <ul>
 *   <li>{@code pathCall}: {@code call("f")}, the empty function by path (CallBenchmark's case),
 *       against {@code handleCall}: the same function through a {@code LuaFunction}.
 *   <li>{@code handleCallArgs}: {@code add.call(1, 2)}, two integer arguments, one result.
 *   <li>{@code tableGet}: {@code LuaTable.get("x")} of a global table.
 *   <li>{@code callback}: a host function {@code each(list, fn)} calls its Lua callback for each
 *       of 100 elements; per callback, the chunk run that passes it included.
 *   <li>{@code createAndClose}: {@code function("f")} then {@code close()}.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class HandleBenchmark {
  static final int ELEMENTS = 100;
  static final String EACH = "local s = 0 each(list, function(x) s = s + x end) return s";

  private ComputeUnit unit;
  private LuaFunction f;
  private LuaFunction add;
  private LuaTable t;

  @Setup(Level.Trial)
  public void setUp() {
    List<Long> list = LongStream.rangeClosed(1, ELEMENTS).boxed().toList();
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
    unit.compute("function f() end function add(a, b) return a + b end t = {x = 1}");
    unit.setInputField("list", list);
    unit.compute("list = _io.input.list");
    f = unit.function("f");
    add = unit.function("add");
    t = unit.table("t");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    unit.close();
  }

  @Benchmark
  public Object pathCall() {
    return unit.call("f");
  }

  @Benchmark
  public Object handleCall() {
    return f.call();
  }

  @Benchmark
  public Object handleCallArgs() {
    return add.call(1L, 2L);
  }

  @Benchmark
  public Object tableGet() {
    return t.get("x");
  }

  @Benchmark
  @OperationsPerInvocation(ELEMENTS)
  public Object callback() {
    return unit.compute(EACH);
  }

  @Benchmark
  public void createAndClose() {
    unit.function("f").close();
  }
}
