package dev.cu.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.LuaSyntaxException;
import dev.cu.store.CuStoreException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CuProcessFunction} in Flink's operator test harness: one subtask, driven by hand. */
class CuProcessFunctionTest {
  private static final String COUNT =
      """
      _home.n = (_home.n or 0) + 1
      if _io.input.amount < 0 then error("negative amount " .. _io.input.amount) end
      _io.output = {user = _io.input.user, n = _home.n}
      """;

  private final List<KeyedOneInputStreamOperatorTestHarness<String, Event, Count>> harnesses =
      new ArrayList<>();

  @AfterEach
  void closeHarnesses() throws Exception {
    for (var h : harnesses) {
      h.close();
    }
  }

  private KeyedOneInputStreamOperatorTestHarness<String, Event, Count> harness(
      CuProcessFunction<String, Event, Count> fn,
      StateBackend backend,
      OperatorSubtaskState restore)
      throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(fn), Event::user, Types.STRING);
    harnesses.add(h);
    h.setStateBackend(backend);
    if (restore != null) {
      h.initializeState(restore);
    }
    h.open();
    return h;
  }

  private KeyedOneInputStreamOperatorTestHarness<String, Event, Count> harness(
      CuProcessFunction<String, Event, Count> fn) throws Exception {
    return harness(fn, new HashMapStateBackend(), null);
  }

  private static CuProcessFunction.Builder<Count> counting() {
    return CuProcessFunction.builder(Count.class).script(COUNT);
  }

  private static List<Count> out(KeyedOneInputStreamOperatorTestHarness<String, Event, Count> h) {
    List<Count> values = new ArrayList<>();
    for (Object o : h.getOutput()) {
      if (o instanceof StreamRecord<?> r) {
        values.add((Count) r.getValue());
      }
    }
    h.getOutput().clear();
    return values;
  }

  private static List<CuError> errors(
      KeyedOneInputStreamOperatorTestHarness<String, Event, Count> h) {
    List<CuError> values = new ArrayList<>();
    var side = h.getSideOutput(CuProcessFunction.ERRORS);
    if (side != null) {
      side.forEach(r -> values.add(r.getValue()));
      side.clear();
    }
    return values;
  }

  @Test
  void eachEventRunsTheScriptWithItsKeysHomeAndEmitsTheOutput() throws Exception {
    var h = harness(counting().build());
    h.processElement(new Event("ann", 1), 1);
    h.processElement(new Event("bob", 1), 2);
    h.processElement(new Event("ann", 5), 3);

    assertThat(out(h))
        .containsExactly(new Count("ann", 1), new Count("bob", 1), new Count("ann", 2));
  }

  @Test
  void aSequenceEmitsOneRecordPerElementAndNilEmitsNone() throws Exception {
    var h =
        harness(
            CuProcessFunction.builder(Count.class)
                .script(
                    """
                    local out = {}
                    for i = 1, _io.input.amount do out[i] = {user = _io.input.user, n = i} end
                    if #out > 0 then _io.output = out end
                    """)
                .build());
    h.processElement(new Event("ann", 3), 1);
    h.processElement(new Event("ann", 0), 2);

    assertThat(out(h))
        .containsExactly(new Count("ann", 1), new Count("ann", 2), new Count("ann", 3));
    assertThat(errors(h)).isEmpty();
  }

  @Test
  void aLuaErrorGoesToTheSideOutputAndItsEventChangesNoState() throws Exception {
    var h = harness(counting().build());
    h.processElement(new Event("ann", 1), 1);
    h.processElement(new Event("ann", -7), 2);
    h.processElement(new Event("ann", 1), 3);

    assertThat(out(h)).containsExactly(new Count("ann", 1), new Count("ann", 2));
    List<CuError> errors = errors(h);
    assertThat(errors).hasSize(1);
    CuError e = errors.get(0);
    assertThat(e.key).isEqualTo("ann");
    assertThat(e.kind).isEqualTo("runtime");
    assertThat(e.message).contains("negative amount -7");
    assertThat(e.event).contains("\"amount\":-7").contains("\"user\":\"ann\"");
    assertThat(e.timer).isNull();
  }

  @Test
  void anOutputThatDoesNotConvertIsReportedAndTheStateChangeStands() throws Exception {
    var h =
        harness(
            CuProcessFunction.builder(Count.class)
                .script(
                    """
                    _home.n = (_home.n or 0) + 1
                    if _io.input.amount == 1 then _io.output = 'not a count'
                    else _io.output = {user = _io.input.user, n = _home.n} end
                    """)
                .build());
    h.processElement(new Event("ann", 1), 1);
    h.processElement(new Event("ann", 2), 2);

    assertThat(errors(h)).singleElement().satisfies(e -> assertThat(e.kind).isEqualTo("output"));
    assertThat(out(h)).containsExactly(new Count("ann", 2));
  }

  @Test
  void anOutputOrEventLuaCannotTakeIsReportedAndTheKeysNextEventRuns() throws Exception {
    CuProcessFunction<String, Object, Count> fn =
        CuProcessFunction.builder(Count.class)
            .script(
                """
                _home.n = (_home.n or 0) + 1
                if _io.input.cycle then local t = {} t.self = t _io.output = t
                else _io.output = {user = 'ann', n = _home.n} end
                """)
            .unit(b -> b.memoryLimit(4 << 20))
            .build();
    var h =
        new KeyedOneInputStreamOperatorTestHarness<String, Object, Count>(
            new KeyedProcessOperator<>(fn), e -> "ann", Types.STRING);
    try {
      h.setStateBackend(new HashMapStateBackend());
      h.open();
      h.processElement(Map.of("cycle", true), 1); // no value of the format holds a cycle
      h.processElement(Map.of("blob", "x".repeat(8 << 20)), 2); // past the memory limit
      h.processElement(Map.of(), 3);

      List<String> kinds = new ArrayList<>();
      h.getSideOutput(CuProcessFunction.ERRORS).forEach(r -> kinds.add(r.getValue().kind));
      assertThat(kinds).containsExactly("output", "memory");
      // the cycle's event committed before its output failed; the too-large one never ran
      List<Object> out = new ArrayList<>();
      for (Object o : h.getOutput()) {
        if (o instanceof StreamRecord<?> r) {
          out.add(r.getValue());
        }
      }
      assertThat(out).containsExactly(new Count("ann", 2));
    } finally {
      h.close();
    }
  }

  @Test
  void aFailedInitIsReportedItsTimersDroppedAndTheNextEventBuildsAgain() throws Exception {
    var h =
        harness(
            CuProcessFunction.builder(Count.class)
                .init(
                    """
                    flink.timer(flink.timestamp() * 100)
                    if flink.timestamp() == 1 then error("init failed") end
                    function on_timer(t) _io.output = {user = 'timer', n = t} end
                    """)
                .script("_io.output = {user = _io.input.user, n = 1}")
                .build());
    h.processElement(new Event("ann", 1), 1);
    h.processElement(new Event("ann", 1), 2);
    h.setProcessingTime(300);

    assertThat(errors(h))
        .singleElement()
        .satisfies(e -> assertThat(e.message).contains("init failed"));
    assertThat(out(h)).containsExactly(new Count("ann", 1), new Count("timer", 200));
  }

  @Test
  void aStoreFailureUnderAScriptFailsTheTaskAndTheKeysUnitIsBuiltAgain() throws Exception {
    var h =
        harness(
            CuProcessFunction.builder(Count.class)
                .script(
                    """
                    seen = (seen or 0) + 1 -- a global: it lives as long as the unit
                    if _io.input.amount < 0 then lose_state() end
                    _io.output = {user = _io.input.user, n = seen}
                    """)
                .unit(
                    b ->
                        b.function(
                            "lose_state",
                            args -> {
                              throw new CuStoreException("the state backend is gone");
                            }))
                .build());
    h.processElement(new Event("ann", 1), 1);
    h.processElement(new Event("ann", 1), 2);
    assertThatThrownBy(() -> h.processElement(new Event("ann", -1), 3))
        .hasRootCauseInstanceOf(CuStoreException.class)
        .hasRootCauseMessage("the state backend is gone");
    h.processElement(new Event("ann", 1), 4);

    assertThat(errors(h)).isEmpty();
    assertThat(out(h))
        .containsExactly(new Count("ann", 1), new Count("ann", 2), new Count("ann", 1));
  }

  @Test
  void aFailedScriptsTimersAreDropped() throws Exception {
    var h =
        harness(
            CuProcessFunction.builder(Count.class)
                .init("function on_timer(t) _io.output = {user = 'timer', n = t} end")
                .script(
                    """
                    flink.timer(_io.input.amount)
                    if _io.input.amount == 200 then error("after setting a timer") end
                    """)
                .build());
    h.processElement(new Event("ann", 100), 1);
    h.processElement(new Event("ann", 200), 2);
    h.setProcessingTime(300);

    assertThat(out(h)).containsExactly(new Count("timer", 100));
    assertThat(errors(h)).singleElement().satisfies(e -> assertThat(e.kind).isEqualTo("runtime"));
  }

  @Test
  void limitsApplyToEveryUnitAndALimitedEventIsReported() throws Exception {
    var h =
        harness(
            CuProcessFunction.builder(Count.class)
                .script("if _io.input.amount > 0 then while true do end end _io.output = {n = 1}")
                .unit(b -> b.instructionLimit(100_000))
                .build());
    h.processElement(new Event("ann", 1), 1);
    h.processElement(new Event("ann", 0), 2);

    assertThat(errors(h)).singleElement().satisfies(e -> assertThat(e.kind).isEqualTo("timeout"));
    assertThat(out(h)).containsExactly(new Count(null, 1));
  }

  @Test
  void processingAndEventTimersCallOnTimerWithTheKeysState() throws Exception {
    var h =
        harness(
            CuProcessFunction.builder(Count.class)
                .init(
                    """
                    function on_timer(t, domain)
                      _home.fired = (_home.fired or 0) + 1
                      _io.output = {user = domain .. "@" .. t, n = _home.fired}
                    end
                    """)
                .script(
                    """
                    if _io.input.amount > 0 then flink.timer(flink.now() + _io.input.amount)
                    else flink.event_timer(-_io.input.amount) end
                    """)
                .build());
    h.setProcessingTime(1000);
    h.processElement(new Event("ann", 50), 1);
    h.processElement(new Event("ann", -2000), 2);
    h.setProcessingTime(1049);
    assertThat(out(h)).isEmpty();

    h.setProcessingTime(1050);
    h.processWatermark(2000);

    assertThat(out(h)).containsExactly(new Count("processing@1050", 1), new Count("event@2000", 2));
  }

  @Test
  void aTimeThatIsNotAnIntegerIsAnErrorOfTheScript() throws Exception {
    var h =
        harness(
            CuProcessFunction.builder(Count.class)
                .script("flink.timer(_io.input.amount == 1 and 10.5 or 'soon')")
                .build());
    h.processElement(new Event("ann", 1), 1);
    h.processElement(new Event("ann", 2), 2);

    assertThat(errors(h))
        .extracting(e -> e.message)
        .allSatisfy(m -> assertThat(m).contains("flink.timer: expects a time in milliseconds"))
        .anySatisfy(m -> assertThat(m).contains("got a non-integer number"))
        .anySatisfy(m -> assertThat(m).contains("got a string"));
  }

  @Test
  void aTimerWithoutOnTimerIsReported() throws Exception {
    var h =
        harness(CuProcessFunction.builder(Count.class).script("flink.timer(flink.now())").build());
    h.setProcessingTime(10);
    h.processElement(new Event("ann", 1), 1);
    h.setProcessingTime(20);

    assertThat(errors(h))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.timer).isEqualTo(10L);
              assertThat(e.event).isNull();
              assertThat(e.message).contains("on_timer");
            });
  }

  @Test
  void evictedUnitsAreRebuiltFromKeyedState() throws Exception {
    String builds = "_io.output = {user = _io.input.user, n = _home.builds}";
    String init = "_home.builds = (_home.builds or 0) + 1";
    var one =
        harness(
            CuProcessFunction.builder(Count.class)
                .maxLiveUnits(1)
                .init(init)
                .script(builds)
                .build());
    var two =
        harness(
            CuProcessFunction.builder(Count.class)
                .maxLiveUnits(2)
                .init(init)
                .script(builds)
                .build());
    for (int i = 0; i < 3; i++) {
      for (var h : List.of(one, two)) {
        h.processElement(new Event("ann", 1), i);
        h.processElement(new Event("bob", 1), i);
      }
    }

    // with one live unit every event rebuilds its key's unit, which counts on from its state
    assertThat(out(one))
        .containsExactly(
            new Count("ann", 1),
            new Count("bob", 1),
            new Count("ann", 2),
            new Count("bob", 2),
            new Count("ann", 3),
            new Count("bob", 3));
    assertThat(out(two)).extracting(Count::n).containsOnly(1L);
  }

  @Test
  void stateAndTimersSurviveASnapshotAndRestoreOnRocksDb() throws Exception {
    CuProcessFunction.Builder<Count> fn =
        CuProcessFunction.builder(Count.class)
            .init("function on_timer(t) _io.output = {user = 'timer', n = _home.n} end")
            .script(COUNT + "\nflink.timer(100)");
    var first = harness(fn.build(), new EmbeddedRocksDBStateBackend(), null);
    first.processElement(new Event("ann", 1), 1);
    first.processElement(new Event("ann", 1), 2);
    OperatorSubtaskState snapshot = first.snapshot(1, 3);
    first.processElement(new Event("ann", 1), 4); // after the checkpoint: lost on restore

    var second = harness(fn.build(), new EmbeddedRocksDBStateBackend(), snapshot);
    second.processElement(new Event("ann", 1), 5);
    second.setProcessingTime(100);

    assertThat(out(second)).containsExactly(new Count("ann", 3), new Count("timer", 3));
  }

  @Test
  void aScriptThatDoesNotCompileFailsTheTaskAtOpen() {
    assertThatThrownBy(
            () -> harness(CuProcessFunction.builder(Count.class).script("_io.output = (").build()))
        .isInstanceOf(LuaSyntaxException.class);
  }

  @Test
  void unitSettingsThatAskForStorageFailTheTaskAtOpen(@TempDir Path dir) {
    assertThatThrownBy(() -> harness(counting().unit(b -> b.storage(dir)).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exclude each other");
  }

  /** A plain Java bean event. */
  public static class Purchase {
    public String user;
    public long amount;

    public Purchase() {}

    Purchase(String user, long amount) {
      this.user = user;
      this.amount = amount;
    }
  }

  @Test
  void mapsJsonTreesAndBeansAreEventsAndAJsonTreeCanBeTheOutput() throws Exception {
    CuProcessFunction<String, Object, JsonNode> fn =
        CuProcessFunction.builder(JsonNode.class)
            .script("_io.output = {user = _io.input.user, twice = _io.input.amount * 2}")
            .build();
    var h =
        new KeyedOneInputStreamOperatorTestHarness<String, Object, JsonNode>(
            new KeyedProcessOperator<>(fn), e -> "all", Types.STRING);
    try {
      h.setStateBackend(new HashMapStateBackend());
      h.open();
      ObjectMapper json = new ObjectMapper();
      h.processElement(Map.of("user", "ann", "amount", 2), 1);
      h.processElement(json.readTree("{\"user\": \"bob\", \"amount\": 3}"), 2);
      h.processElement(new Purchase("cy", 4), 3);

      List<String> out = new ArrayList<>();
      for (Object o : h.getOutput()) {
        if (o instanceof StreamRecord<?> r) {
          JsonNode n = (JsonNode) r.getValue();
          out.add(n.get("user").asText() + "=" + n.get("twice").asLong());
        }
      }
      assertThat(out).containsExactly("ann=4", "bob=6", "cy=8");
    } finally {
      h.close();
    }
  }

  @Test
  void theBuilderRefusesWhatCannotWork() {
    assertThatThrownBy(() -> CuProcessFunction.builder(Count.class).build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> CuProcessFunction.builder(Count.class).maxLiveUnits(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(CuProcessFunction.builder(Map.class).script("").build().getProducedType())
        .isEqualTo(Types.GENERIC(Map.class));
  }
}
