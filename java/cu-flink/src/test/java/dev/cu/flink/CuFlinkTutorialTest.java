package dev.cu.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

/** The README's Flink example, as it is written there. */
class CuFlinkTutorialTest {
  @Test
  void flink() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    DataStream<Event> events =
        env.fromData(new Event("ann", 5), new Event("bob", 2), new Event("ann", -1));

    // One unit per user; its _home is the user's keyed state in Flink.
    SingleOutputStreamOperator<Count> counts =
        events
            .keyBy(Event::user)
            .process(
                CuProcessFunction.builder(Count.class)
                    .script(
                        """
                        assert(_io.input.amount >= 0, "negative amount")
                        _home.n = (_home.n or 0) + 1
                        _io.output = {user = _io.input.user, n = _home.n}
                        """)
                    .maxLiveUnits(10_000) // live Lua states per subtask
                    .unit(b -> b.instructionLimit(1_000_000)) // applied to every unit
                    .build());

    CloseableIterator<CuError> failed =
        counts.getSideOutput(CuProcessFunction.ERRORS).collectAsync();
    CloseableIterator<Count> out = counts.collectAsync();
    env.execute("counts");

    List<Count> results = new ArrayList<>();
    out.forEachRemaining(results::add);
    assertThat(results).containsExactlyInAnyOrder(new Count("ann", 1), new Count("bob", 1));
    assertThat(failed.next().message).contains("negative amount"); // the job went on
  }
}
