package dev.cu.examples.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.flink.CuError;
import dev.cu.flink.CuProcessFunction;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

/** The example job on its bundled events raises the alerts docs/SCALE.md shows. */
class RuleEngineJobTest {
  @Test
  void theSampleEventsRaiseTheirAlertsAndReportTheUnknownEvent() throws Exception {
    List<Event> input;
    try (InputStream in = RuleEngineJob.class.getResourceAsStream("/events.jsonl")) {
      input = RuleEngineJob.read(in);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    SingleOutputStreamOperator<Alert> alerts =
        RuleEngineJob.alerts(RuleEngineJob.events(env, input));
    CloseableIterator<CuError> errorIt =
        alerts.getSideOutput(CuProcessFunction.ERRORS).collectAsync();
    CloseableIterator<Alert> alertIt = alerts.collectAsync();
    env.execute("rule engine test");

    List<String> raised = new ArrayList<>();
    alertIt.forEachRemaining(a -> raised.add(RuleEngineJob.describe(a)));
    List<CuError> errors = new ArrayList<>();
    errorIt.forEachRemaining(errors::add);

    assertThat(raised)
        .containsExactlyInAnyOrder(
            "brute-force alice: 3 failed logins within a minute",
            "daily-limit bob: spent 2300 today",
            "new-country alice: a purchase of 700 from FR");
    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.key).isEqualTo("carol");
              assertThat(e.message).contains("unknown event type refund");
            });
  }
}
