package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.ComputeResult;
import dev.cu.LuaOpaque;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonFormatTest {

  @Test
  void scalars() {
    assertThat(JsonFormat.toJson(null)).isEqualTo("null");
    assertThat(JsonFormat.toJson(true)).isEqualTo("true");
    assertThat(JsonFormat.toJson(42L)).isEqualTo("42");
    assertThat(JsonFormat.toJson(2.5)).isEqualTo("2.5");
    assertThat(JsonFormat.toJson("a\"b\n")).isEqualTo("\"a\\\"b\\n\"");
    assertThat(JsonFormat.toJson("é")).isEqualTo("\"é\"");
  }

  @Test
  void nonFiniteFloatsBecomeStrings() {
    assertThat(
            JsonFormat.toJson(
                List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)))
        .isEqualTo("[\"NaN\",\"Infinity\",\"-Infinity\"]");
  }

  @Test
  void bytesBecomeBase64() {
    assertThat(JsonFormat.toJson(new byte[] {(byte) 0xff, 0, 1})).isEqualTo("\"/wAB\"");
  }

  @Test
  void opaqueValuesBecomeTheirDescription() {
    assertThat(JsonFormat.toJson(new LuaOpaque("thread", "thread: 0xabc")))
        .isEqualTo("\"thread: 0xabc\"");
  }

  @Test
  void mapKeysBecomeTheirStringForm() {
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put(1L, "int");
    map.put(1.5, "float");
    map.put(Double.POSITIVE_INFINITY, "inf");
    map.put(true, "bool");
    map.put("s", "string");
    assertThat(JsonFormat.toJson(map))
        .isEqualTo(
            "{\"1\":\"int\",\"1.5\":\"float\",\"inf\":\"inf\",\"true\":\"bool\",\"s\":\"string\"}");
  }

  @Test
  void nestedTablesAndNulls() {
    Map<Object, Object> inner = new LinkedHashMap<>();
    inner.put("list", Arrays.asList(1L, null));
    assertThat(JsonFormat.toJson(List.of(inner, List.of()))).isEqualTo("[{\"list\":[1,null]},[]]");
  }

  @Test
  void treeShapedValuesMatchJacksonsOwnOutputByteForByte() throws Exception {
    Map<Object, Object> inner = new LinkedHashMap<>();
    inner.put("list", Arrays.asList(1L, null, 2.5, -0.0, 1e300, "é\u2028\"\\", true));
    inner.put("empty", new LinkedHashMap<>());
    inner.put("none", List.of());
    Map<Object, Object> root = new LinkedHashMap<>();
    root.put("a", inner);
    root.put("b", List.of(List.of(List.of("deep"))));
    ObjectMapper mapper = new ObjectMapper();
    assertThat(JsonFormat.toJson(root)).isEqualTo(mapper.writeValueAsString(root));
    assertThat(JsonFormat.toPrettyJson(root))
        .isEqualTo(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
  }

  @Test
  void nestingOfAnyDepthPrintsWithoutRecursion() {
    List<Object> root = new java.util.ArrayList<>();
    List<Object> node = root;
    for (int i = 0; i < 100_000; i++) {
      List<Object> next = new java.util.ArrayList<>();
      node.add(next);
      node = next;
    }
    String json = JsonFormat.toJson(root);
    assertThat(json).hasSize(200_002).startsWith("[[[[").endsWith("]]]]");
    assertThat(JsonFormat.toPrettyJson(root)).startsWith("[ [ [");
  }

  @Test
  void resultIsOneLineWithValueValuesOutput() throws Exception {
    ComputeResult r =
        new ComputeResult(Arrays.asList(1L, null), null, "a\nb\n", 1000, Duration.ofMillis(3));
    String line = JsonFormat.result(r);
    assertThat(line)
        .doesNotContain("\n")
        .isEqualTo("{\"value\":null,\"values\":[1,null],\"output\":\"a\\nb\\n\"}");
    assertThat(new ObjectMapper().readTree(line).get("output").asText()).isEqualTo("a\nb\n");
  }
}
