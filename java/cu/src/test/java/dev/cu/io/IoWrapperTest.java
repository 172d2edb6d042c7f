package dev.cu.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.ComputeUnit;
import dev.cu.LuaRuntimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The conformance cases W1-W3 ("IoWrapper") and the wrapper's options. */
class IoWrapperTest {

  private static final String SUM =
      """
      local s = 0
      for _, v in ipairs(_io.input.dataset) do s = s + v end
      _io.output = {sum = s, average = s / #_io.input.dataset}
      return _io.meta.requestId
      """;

  @Test
  @DisplayName("W1: computeWithIo: output, return value and metadata")
  void w1_computeWithIo() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      IoResult r =
          new IoWrapper(cu).computeWithIo(SUM, Map.of("dataset", List.of(10, 20, 30, 40, 50)));
      assertThat(r.output()).isEqualTo(Map.of("sum", 150L, "average", 30.0));
      assertThat(r.metadata()).containsKeys("requestId", "timestamp");
      String requestId = (String) r.metadata().get("requestId");
      assertThat(UUID.fromString(requestId).toString()).isEqualTo(requestId);
      assertThat(Instant.parse((String) r.metadata().get("timestamp"))).isNotNull();
      assertThat(r.returnValue()).isEqualTo(requestId);
    }
  }

  @Test
  void eachComputeWithIoGetsItsOwnRequestId() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      IoWrapper w = new IoWrapper(cu);
      Map<String, Object> in = Map.of("dataset", List.of(1));
      Object first = w.computeWithIo(SUM, in).returnValue();
      Object second = w.computeWithIo(SUM, in).returnValue();
      assertThat(first).isNotEqualTo(second);
    }
  }

  @Test
  @DisplayName("W2: processStream: 10 batches of 1000, in order, with batchIndex and hasMore")
  void w2_processStream() {
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      items.add(Map.of("value", i));
    }
    String code =
        """
        local out = {}
        for i, item in ipairs(_io.input.batch) do out[i] = item.value * 2 end
        _io.output = {index = _io.input.batchIndex, more = _io.input.hasMore, doubled = out}
        """;
    try (ComputeUnit cu = ComputeUnit.create()) {
      List<Object> outputs = new IoWrapper(cu).processStream(code, items, 1000);
      assertThat(outputs).hasSize(10);
      for (int b = 0; b < 10; b++) {
        Map<?, ?> out = (Map<?, ?>) outputs.get(b);
        assertThat(out.get("index")).isEqualTo((long) b);
        assertThat(out.get("more")).isEqualTo(b < 9);
        List<?> doubled = (List<?>) out.get("doubled");
        assertThat(doubled).hasSize(1000);
        assertThat(doubled.get(0)).isEqualTo(2L * b * 1000);
        assertThat(doubled.get(999)).isEqualTo(2L * (b * 1000 + 999));
      }
    }
  }

  @Test
  void processStreamWithAPartialLastBatch() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      List<Object> outputs =
          new IoWrapper(cu)
              .processStream("_io.output = #_io.input.batch", List.of(1, 2, 3, 4, 5), 2);
      assertThat(outputs).containsExactly(2L, 2L, 1L);
      assertThat(new IoWrapper(cu).processStream("_io.output = 1", List.of(), 3)).isEmpty();
      assertThatThrownBy(() -> new IoWrapper(cu).processStream("", List.of(1), 0))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  @DisplayName("W3: request routes to a global function; an unknown method is an error output")
  void w3_request() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute(
          "function calculateStats(params) local s = 0 "
              + "for _, v in ipairs(params.data) do s = s + v end return {sum = s} end");
      IoWrapper w = new IoWrapper(cu);
      IoResult r = w.request("calculateStats", Map.of("data", List.of(1, 2, 3, 4, 5)));
      assertThat(r.output()).isEqualTo(Map.of("sum", 15L));
      assertThat(r.returnValue()).isEqualTo(Map.of("sum", 15L));
      assertThat(r.metadata())
          .containsEntry("method", "calculateStats")
          .containsKeys("requestId", "timestamp");
      assertThat(w.request("X", Map.of()).output()).isEqualTo(Map.of("error", "Unknown method: X"));
      assertThat(w.request("nope.deeper", Map.of()).output())
          .isEqualTo(Map.of("error", "Unknown method: nope.deeper"));
    }
  }

  @Test
  void requestSeesParamsAsInputAndMayAnswerThroughOutput() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute(
          "function viaOutput(p) _io.output = {n = p.n + _io.input.n, m = _io.meta.method} end");
      IoResult r = new IoWrapper(cu).request("viaOutput", Map.of("n", 1));
      assertThat(r.returnValue()).isNull();
      assertThat(r.output()).isEqualTo(Map.of("n", 2L, "m", "viaOutput"));
    }
  }

  @Test
  void requestPropagatesOtherErrors() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("function fails() error('inside') end");
      assertThatThrownBy(() -> new IoWrapper(cu).request("fails", Map.of()))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("inside");
    }
  }

  @Test
  void clearBeforeFalseKeepsEarlierIoFields() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_io.output = {prev = 1}");
      IoWrapper w = new IoWrapper(cu);
      IoResult kept =
          w.computeWithIo(
              "return _io.output.prev + _io.input.n .. _io.meta.x",
              Map.of("n", 1),
              new IoOptions(false, Map.of("x", "y")));
      assertThat(kept.returnValue()).isEqualTo("2y");
      assertThat(kept.output()).isEqualTo(Map.of("prev", 1L));
      assertThat(kept.metadata()).containsEntry("x", "y").containsKeys("requestId", "timestamp");

      IoResult cleared = w.computeWithIo("return _io.output == nil", Map.of("n", 1));
      assertThat(cleared.returnValue()).isEqualTo(true);
      assertThat(cleared.output()).isNull();
    }
  }

  @Test
  void ioOptionsDefaults() {
    IoOptions d = IoOptions.defaults();
    assertThat(d.clearBefore()).isTrue();
    assertThat(d.metadata()).isEmpty();
    assertThat(new IoOptions(true, null).metadata()).isEmpty();
  }
}
