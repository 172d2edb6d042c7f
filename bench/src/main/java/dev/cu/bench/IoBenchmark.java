package dev.cu.bench;

import dev.cu.ComputeUnit;
import java.util.ArrayList;
import java.util.List;
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

/**
 * Workload 6: {@code _io} with 100,000 records, in ms per op. One op ({@code cu_records100k}):
 * {@code setInput} of 100,000 Java records {@code {id, name, score}} (scores 0..100), a Lua
 * chunk that copies the records with {@code score > 50} into {@code _io.output}, and {@code
 * getOutput()} of the 49,500 selected records back to Java Maps. Records per second are
 * 100,000 divided by the time per op.
 *
 * <p>{@code cu_records100kInOut}: the same path for all records both ways: {@code setInput} of
 * 100,000 Java records of 5 fields {@code {id, name, score, active, ratio}} (two integers, a
 * string, a boolean, a float), a Lua chunk that copies every record into {@code _io.output},
 * and {@code getOutput()} of the 100,000 records back to Java Maps. Records per second are
 * 100,000 divided by the time per op (each record goes in and comes out).
 *
 * <p>Default unit (256 MiB, interruptible).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class IoBenchmark {
  /** The number of input records. */
  public static final int RECORDS = 100_000;

  static final String FILTER =
      "local out, n = {}, 0 "
          + "for _, r in ipairs(_io.input) do if r.score > 50 then n = n + 1 out[n] = r end end "
          + "_io.output = out";
  static final String COPY =
      "local out = {} for i, r in ipairs(_io.input) do out[i] = r end _io.output = out";

  /** One input record. */
  public record Rec(long id, String name, long score) {}

  /** One input record of the in-and-out workload. */
  public record Rec5(long id, String name, long score, boolean active, double ratio) {}

  private List<Rec> input;
  private List<Rec5> input5;
  private ComputeUnit unit;

  @Setup(Level.Trial)
  public void setUp() {
    input = new ArrayList<>(RECORDS);
    for (int i = 0; i < RECORDS; i++) {
      input.add(new Rec(i, "name" + i, i % 101));
    }
    input5 = new ArrayList<>(RECORDS);
    for (int i = 0; i < RECORDS; i++) {
      input5.add(new Rec5(i, "name" + i, i % 101, i % 3 == 0, i / 4.0 + 0.125));
    }
    unit = ComputeUnit.create();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    unit.close();
  }

  @Benchmark
  public Object cu_records100k() {
    unit.setInput(input);
    unit.compute(FILTER);
    return unit.getOutput();
  }

  @Benchmark
  public Object cu_records100kInOut() {
    unit.setInput(input5);
    unit.compute(COPY);
    return unit.getOutput();
  }
}
