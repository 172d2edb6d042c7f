package dev.cu.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs with a {@link CuProcessFunction} on Flink's MiniCluster (one task manager, four slots):
 * per-key Lua counters through a failure and restart, through a savepoint restored at another
 * parallelism, and with failing events on the side output.
 */
@Timeout(180)
class CuFlinkJobTest {
  private static final int USERS = 10;

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(4)
              .build());

  /** What the sinks received, by sink name; the sinks run in this JVM. */
  static final Map<String, Queue<Object>> SINKS = new ConcurrentHashMap<>();

  static final AtomicBoolean FAILED = new AtomicBoolean();
  static final AtomicInteger CHECKPOINTS = new AtomicInteger();

  private static final String COUNT =
      """
      _home.n = (_home.n or 0) + 1
      if _io.input.amount < 0 then error("negative amount") end
      _io.output = {user = _io.input.user, n = _home.n}
      """;

  @BeforeEach
  void reset() {
    SINKS.clear();
    FAILED.set(false);
    CHECKPOINTS.set(0);
  }

  /** Collects what it is given into {@link #SINKS} under its name. */
  static final class Collect<T> implements Sink<T> {
    private final String name;

    Collect(String name) {
      this.name = name;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
      Queue<Object> q = SINKS.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>());
      return new SinkWriter<>() {
        @Override
        public void write(T element, Context ctx) {
          q.add(element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }

  /** Fails the job once, on an event after the first completed checkpoint. */
  static final class FailOnce implements MapFunction<Event, Event>, CheckpointListener {
    private int seen;

    @Override
    public Event map(Event e) {
      if (++seen > 50 && CHECKPOINTS.get() > 0 && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("failure injected after a checkpoint");
      }
      return e;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      CHECKPOINTS.incrementAndGet();
    }
  }

  private static DataGeneratorSource<Event> events(long count, double perSecond) {
    return new DataGeneratorSource<>(
        i -> new Event("user-" + (i % USERS), i),
        count,
        RateLimiterStrategy.perSecond(perSecond),
        TypeInformation.of(Event.class));
  }

  private static SingleOutputStreamOperator<Count> counters(DataStream<Event> events) {
    return events
        .keyBy(Event::user)
        .process(CuProcessFunction.builder(Count.class).script(COUNT).<String, Event>build())
        .uid("cu")
        .name("cu counters");
  }

  private static List<Count> received(String sink) {
    List<Count> out = new ArrayList<>();
    for (Object o : SINKS.getOrDefault(sink, new ConcurrentLinkedQueue<>())) {
      out.add((Count) o);
    }
    return out;
  }

  /** The highest count each user reached. */
  private static Map<String, Long> highest(List<Count> counts) {
    return counts.stream()
        .collect(Collectors.toMap(Count::user, Count::n, Math::max, TreeMap::new));
  }

  private static Map<String, Long> each(long n) {
    Map<String, Long> m = new TreeMap<>();
    for (int u = 0; u < USERS; u++) {
      m.put("user-" + u, n);
    }
    return m;
  }

  @Test
  void perKeyCountsAreExactAfterAFailureAndRestart() throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    env.enableCheckpointing(100);
    DataStream<Event> events =
        env.fromSource(events(3000, 3000), WatermarkStrategy.noWatermarks(), "events")
            .map(new FailOnce())
            .name("fail once");
    counters(events).sinkTo(new Collect<>("counts"));

    env.execute("counters through a failure");

    assertThat(FAILED).isTrue();
    List<Count> counts = received("counts");
    // the sink is at-least-once, so replayed events may repeat outputs; the state is exactly-once:
    // every count from 1 to the user's number of events, and never beyond it
    assertThat(highest(counts)).isEqualTo(each(300));
    for (int u = 0; u < USERS; u++) {
      String user = "user-" + u;
      assertThat(counts.stream().filter(c -> c.user().equals(user)).map(Count::n).distinct())
          .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 300).boxed().toList());
    }
  }

  @Test
  void aSavepointAtParallelismTwoRestoresAtOneAndFour(@TempDir Path dir) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    counters(job(env)).sinkTo(new Collect<>("before"));
    JobClient job = env.executeAsync("counters before the savepoint");
    while (SINKS.getOrDefault("before", new ConcurrentLinkedQueue<>()).size() < 300) {
      Thread.sleep(20);
    }
    String savepoint =
        job.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL).get();
    job.getJobExecutionResult().get();
    Map<String, Long> saved = highest(received("before"));
    assertThat(saved.values().stream().mapToLong(Long::longValue).sum()).isLessThan(4000);

    for (int parallelism : new int[] {1, 4}) {
      Configuration conf = new Configuration();
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
      StreamExecutionEnvironment restored =
          StreamExecutionEnvironment.getExecutionEnvironment(conf);
      restored.setParallelism(parallelism);
      String sink = "after-" + parallelism;
      counters(job(restored)).sinkTo(new Collect<>(sink));

      restored.execute("counters restored at parallelism " + parallelism);

      // each user continues from its saved count, without a gap or a repeat, to its total
      List<Count> after = received(sink);
      for (int u = 0; u < USERS; u++) {
        String user = "user-" + u;
        long from = saved.getOrDefault(user, 0L);
        assertThat(after.stream().filter(c -> c.user().equals(user)).map(Count::n).toList())
            .as("%s at parallelism %d", user, parallelism)
            .containsExactlyInAnyOrderElementsOf(
                LongStream.rangeClosed(from + 1, 400).boxed().toList());
      }
    }
  }

  private static DataStream<Event> job(StreamExecutionEnvironment env) {
    return env.fromSource(events(4000, 2000), WatermarkStrategy.noWatermarks(), "events")
        .uid("events");
  }

  @Test
  void failingEventsGoToTheSideOutputAndTheJobGoesOn() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    List<Event> input = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      input.add(new Event("user-" + (i % USERS), i % 7 == 3 ? -i : i));
    }
    SingleOutputStreamOperator<Count> counts =
        counters(env.fromData(input, TypeInformation.of(Event.class)));
    counts.sinkTo(new Collect<>("counts"));
    counts.getSideOutput(CuProcessFunction.ERRORS).sinkTo(new Collect<>("errors"));

    env.execute("counters with failing events");

    List<Event> failing = input.stream().filter(e -> e.amount() < 0).toList();
    List<CuError> errors = new ArrayList<>();
    SINKS.get("errors").forEach(o -> errors.add((CuError) o));
    assertThat(errors).hasSameSizeAs(failing);
    assertThat(errors)
        .allSatisfy(
            e -> {
              assertThat(e.kind).isEqualTo("runtime");
              assertThat(e.message).contains("negative amount");
              assertThat(e.event).contains("\"amount\":-");
            });
    Map<String, Long> expected = new TreeMap<>();
    for (Event e : input) {
      if (e.amount() >= 0) {
        expected.merge(e.user(), 1L, Long::sum);
      }
    }
    List<Count> out = received("counts");
    assertThat(out).hasSize(input.size() - failing.size());
    assertThat(highest(out)).isEqualTo(expected);
  }
}
