package dev.cu.examples.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.flink.CuError;
import dev.cu.flink.CuProcessFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A per-user rule engine: events in, alerts out. The rules are Lua ({@code rules.lua} for each
 * event, {@code init.lua} when a user's unit is built); what they remember about each user lives
 * in Flink's keyed state, so it survives failures, savepoints and rescaling.
 *
 * <p>Run: {@code examples/flink/run [events.jsonl]} (one JSON event per line; default: the bundled
 * sample). Alerts go to standard output, events the rules failed on to standard error.
 */
public final class RuleEngineJob {
  private RuleEngineJob() {}

  /** The alerts of {@code events}, and the failures on the side output. */
  public static SingleOutputStreamOperator<Alert> alerts(DataStream<Event> events) {
    return events
        .keyBy(Event::user)
        .process(
            CuProcessFunction.builder(Alert.class)
                .init(resource("init.lua"))
                .script(resource("rules.lua"))
                .unit(b -> b.memoryLimit(16 << 20).instructionLimit(1_000_000))
                .<String, Event>build())
        .uid("rules")
        .name("lua rules");
  }

  /** The events of a JSON-lines file, with their times as Flink's event times. */
  public static DataStream<Event> events(StreamExecutionEnvironment env, List<Event> events) {
    return env.fromData(events, TypeInformation.of(Event.class))
        .assignTimestampsAndWatermarks(
            WatermarkStrategy.<Event>forMonotonousTimestamps()
                .withTimestampAssigner((e, previous) -> e.time()));
  }

  /** Reads one event per line of JSON. */
  public static List<Event> read(InputStream in) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<Event> events = new ArrayList<>();
    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        events.add(mapper.readValue(line, Event.class));
      }
    }
    return events;
  }

  static String resource(String name) {
    try (InputStream in = RuleEngineJob.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the job on a local Flink, on the file given or the bundled sample events. */
  public static void main(String[] args) throws Exception {
    List<Event> input;
    if (args.length > 0) {
      try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
        input = read(in);
      }
    } else {
      try (InputStream in = RuleEngineJob.class.getResourceAsStream("/events.jsonl")) {
        input = read(in);
      }
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    SingleOutputStreamOperator<Alert> alerts = alerts(events(env, input));
    alerts.map(RuleEngineJob::describe).print();
    alerts
        .getSideOutput(CuProcessFunction.ERRORS)
        .map((CuError e) -> "failed: " + e.event + ": " + e.message)
        .printToErr();
    env.execute("cu rule engine");
  }

  static String describe(Alert a) {
    return a.rule() + " " + a.user() + ": " + a.detail();
  }
}
