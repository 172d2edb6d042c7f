package dev.cu.bench;

import dev.cu.flink.CuProcessFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
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
 * Workload 14: events per second on one core through a Flink keyed operator, the same rule in
 * Lua ({@code cu_events}: a {@link CuProcessFunction}, its state in {@code _home}) and in Java
 * ({@code plain_events}: a {@link KeyedProcessFunction} with two {@code ValueState}s). The rule
 * flags an amount above three times the user's average once the user has ten events, then adds
 * the amount to the user's count and total. The operator runs in Flink's operator test harness on
 * the heap state backend, on the benchmark's thread: what is measured is the operator (keyed
 * state, the function, the conversion of the event and the alert), not sources, network or
 * sinks. {@value #USERS} users, all live units; one operation is one event.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class FlinkBenchmark {
  static final int USERS = 1000;
  static final int BATCH = 4096;

  /** An event: a user spent an amount. */
  public record Spend(String user, long amount) {}

  /** An alert: an amount far above the user's average. */
  public record Alert(String user, long amount, long average) {}

  static final String RULE =
      """
      local e = _io.input
      local n, total = _home.n or 0, _home.total or 0
      if n >= 10 and e.amount * n > 3 * total then
        _io.output = {user = e.user, amount = e.amount, average = total // n}
      end
      _home.n, _home.total = n + 1, total + e.amount
      """;

  /** The rule in Java, on two value states. */
  public static final class PlainRule extends KeyedProcessFunction<String, Spend, Alert> {
    private transient ValueState<Long> count;
    private transient ValueState<Long> total;

    @Override
    public void open(OpenContext context) {
      count = getRuntimeContext().getState(new ValueStateDescriptor<>("n", Types.LONG));
      total = getRuntimeContext().getState(new ValueStateDescriptor<>("total", Types.LONG));
    }

    @Override
    public void processElement(Spend e, Context ctx, Collector<Alert> out) throws Exception {
      Long c = count.value();
      Long t = total.value();
      long n = c == null ? 0 : c;
      long sum = t == null ? 0 : t;
      if (n >= 10 && e.amount() * n > 3 * sum) {
        out.collect(new Alert(e.user(), e.amount(), Math.floorDiv(sum, n)));
      }
      count.update(n + 1);
      total.update(sum + e.amount());
    }
  }

  /** The events, the same for both: amounts 1 to 100, every 97th one 1,000. */
  static Spend[] events() {
    Spend[] events = new Spend[BATCH];
    long x = 42;
    for (int i = 0; i < BATCH; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      long amount = i % 97 == 96 ? 1000 : 1 + Math.floorMod(x >>> 33, 100);
      events[i] = new Spend("user-" + Math.floorMod(x >>> 17, USERS), amount);
    }
    return events;
  }

  /** One operator in the harness, fed with {@link #events()} in a loop. */
  abstract static class Operator {
    final Spend[] events = events();
    KeyedOneInputStreamOperatorTestHarness<String, Spend, Alert> harness;
    long time;

    abstract KeyedProcessFunction<String, Spend, Alert> function();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      harness =
          new KeyedOneInputStreamOperatorTestHarness<>(
              new KeyedProcessOperator<>(function()), Spend::user, Types.STRING);
      harness.setStateBackend(new HashMapStateBackend());
      harness.open();
      run(); // every user's state, and unit, exists from here on
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      harness.close();
    }

    private void feed() throws Exception {
      for (Spend e : events) {
        harness.processElement(e, ++time);
      }
    }

    /** Processes one batch; returns how many alerts it raised. */
    int run() throws Exception {
      feed();
      int alerts = harness.getOutput().size();
      harness.getOutput().clear();
      return alerts;
    }

    /** The alerts of one batch, in order. */
    List<Alert> alerts() throws Exception {
      feed();
      List<Alert> out = new ArrayList<>();
      for (Object o : harness.getOutput()) {
        if (o instanceof StreamRecord<?> r) {
          out.add((Alert) r.getValue());
        }
      }
      harness.getOutput().clear();
      return out;
    }
  }

  /** The rule in Lua. */
  @State(Scope.Thread)
  public static class CuOperator extends Operator {
    @Override
    KeyedProcessFunction<String, Spend, Alert> function() {
      return CuProcessFunction.builder(Alert.class)
          .script(RULE)
          .maxLiveUnits(USERS)
          .<String, Spend>build();
    }
  }

  /** The rule in Java. */
  @State(Scope.Thread)
  public static class PlainOperator extends Operator {
    @Override
    KeyedProcessFunction<String, Spend, Alert> function() {
      return new PlainRule();
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int cu_events(CuOperator op) throws Exception {
    return op.run();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int plain_events(PlainOperator op) throws Exception {
    return op.run();
  }
}
