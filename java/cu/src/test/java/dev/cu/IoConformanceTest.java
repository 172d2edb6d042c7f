package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.cu.codec.Cbor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance cases I1-I11 and I13 ("_io"; I12, across a restart, is not here), and the
 * conversions of {@code _io} input beyond them.
 */
class IoConformanceTest {

  record Nested(boolean ok) {}

  record MyRecord(String status, long value, List<Long> items, Nested nested) {}

  record Address(String city, @JsonProperty("zip_code") String zip) {}

  record Customer(String name, List<String> tags, Address address, int age) {}

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  @DisplayName("I1: a map input read by field")
  void i1_mapInput() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(Map.of("name", "Alice", "age", 30));
      assertThat(cu.compute("return _io.input.name .. \" is \" .. _io.input.age"))
          .isEqualTo("Alice is 30");
    }
  }

  @Test
  @DisplayName("I2: a list input is a sequence")
  void i2_listInput() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(List.of(10, 20, 30, 40, 50));
      assertThat(cu.compute("local s = 0 for _, v in ipairs(_io.input) do s = s + v end return s"))
          .isEqualTo(150L);
    }
  }

  @Test
  @DisplayName("I3: nested maps")
  void i3_nestedInput() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(Map.of("user", Map.of("profile", Map.of("city", "NYC"))));
      assertThat(cu.compute("return _io.input.user.profile.city")).isEqualTo("NYC");
    }
  }

  @Test
  @DisplayName("I4: metadata")
  void i4_metadata() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setMetadata(Map.of("version", "1.0"));
      assertThat(cu.compute("return _io.meta.version")).isEqualTo("1.0");
    }
  }

  static Stream<Arguments> outputs() {
    return Stream.of(
        Arguments.of("42", 42L),
        Arguments.of("\"hello\"", "hello"),
        Arguments.of("true", true),
        Arguments.of("1.5", 1.5),
        Arguments.of("3.0", 3.0));
  }

  @ParameterizedTest(name = "I5: _io.output = {0} -> {1}")
  @MethodSource("outputs")
  void i5_scalarOutput(String lua, Object expected) {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_io.output = " + lua);
      assertThat(cu.getOutput()).isEqualTo(expected).isInstanceOf(expected.getClass());
    }
  }

  @Test
  @DisplayName("I6: output computed from input")
  void i6_outputFromInput() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(Map.of("x", 7, "y", 6));
      cu.compute("_io.output = _io.input.x * _io.input.y");
      assertThat(cu.getOutput()).isEqualTo(42L);
    }
  }

  @Test
  @DisplayName("I7: clearIo empties input, meta and output")
  void i7_clearIo() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(Map.of("a", 1));
      cu.setMetadata(Map.of("m", 1));
      cu.compute("_io.output = 5");
      cu.clearIo();
      assertThat(cu.compute("return _io.input == nil and _io.meta == nil and _io.output == nil"))
          .isEqualTo(true);
      assertThat(cu.getOutput()).isNull();
    }
  }

  @Test
  @DisplayName("I8: a table output, as plain values, bound to a record and to a generic type")
  void i8_tableOutput() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_io.output = {status=\"success\", value=42, items={1,2,3}, nested={ok=true}}");
      assertThat(cu.getOutput())
          .isEqualTo(
              Map.of(
                  "status",
                  "success",
                  "value",
                  42L,
                  "items",
                  List.of(1L, 2L, 3L),
                  "nested",
                  Map.of("ok", true)));
      assertThat(cu.getOutput(MyRecord.class))
          .isEqualTo(new MyRecord("success", 42, List.of(1L, 2L, 3L), new Nested(true)));
      cu.compute("_io.output = {{name = 'a', n = 1}, {name = 'b', n = 2.5}}");
      List<Map<String, Object>> list =
          cu.getOutput(new TypeReference<List<Map<String, Object>>>() {});
      assertThat(list).containsExactly(Map.of("name", "a", "n", 1L), Map.of("name", "b", "n", 2.5));
    }
  }

  @Test
  @DisplayName("I9: no flooring, no precision loss")
  void i9_numbersExact() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(Map.of("v", 2.5, "big", 9007199254740993L));
      assertThat(cu.execute("return _io.input.v, math.type(_io.input.big), _io.input.big").values())
          .containsExactly(2.5, "integer", 9007199254740993L);
    }
  }

  @Test
  @DisplayName("I10: a record with a list and a nested record, Jackson's field names")
  void i10_recordInput() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(new Customer("Ann", List.of("a", "b"), new Address("Oslo", "0150"), 41));
      assertThat(
              cu.execute(
                      "local c = _io.input return c.name, #c.tags, c.tags[2], "
                          + "c.address.city, c.address.zip_code, c.address.zip, math.type(c.age), c.age")
                  .values())
          .containsExactly("Ann", 2L, "b", "Oslo", "0150", null, "integer", 41L);
    }
  }

  @Test
  @DisplayName("I11: setInputField adds to the input; getOutputField reads one field")
  void i11_fields() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(Map.of("a", 1));
      cu.setInputField("limit", 100);
      assertThat(cu.compute("return _io.input.a + _io.input.limit")).isEqualTo(101L);
      cu.compute("_io.output = {k=\"v\"}");
      assertThat(cu.getOutputField("k")).isEqualTo("v");
      assertThat(cu.getOutputField("missing")).isNull();
      cu.compute("_io.output = 3");
      assertThat(cu.getOutputField("k")).isNull();
    }
  }

  @Test
  @DisplayName("I13: 100,000 records in, summed exactly; 100,000 records out")
  void i13_largeInputAndOutput() {
    int n = 100_000;
    List<Map<String, Object>> records = new ArrayList<>(n);
    long expectedSum = 0;
    for (int i = 1; i <= n; i++) {
      long value = (long) i * 1_000_003L;
      records.add(Map.of("id", i, "value", value));
      expectedSum += value;
    }
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(records);
      assertThat(
              cu.compute(
                  "local s = 0 for _, r in ipairs(_io.input) do s = s + r.value end " + "return s"))
          .isEqualTo(expectedSum);
      cu.compute(
          "local out = {} for i, r in ipairs(_io.input) do "
              + "out[i] = {id = r.id, double = r.value * 2, half = r.value / 2} end _io.output = out");
      List<?> out = (List<?>) cu.getOutput();
      assertThat(out).hasSize(n);
      assertThat(out.get(0)).isEqualTo(Map.of("id", 1L, "double", 2_000_006L, "half", 500_001.5));
      assertThat(out.get(n - 1))
          .isEqualTo(
              Map.of("id", (long) n, "double", n * 2_000_006L, "half", n * 1_000_003L / 2.0));
      assertThat(((Map<?, ?>) out.get(12_344)).get("id")).isEqualTo(12_345L);
    }
  }

  @Test
  void nullInputClearsIt() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(Map.of("a", 1));
      cu.setInput(null);
      assertThat(cu.compute("return _io.input == nil")).isEqualTo(true);
    }
  }

  @Test
  void setInputFieldWithoutInputCreatesTheTable() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInputField("x", 5);
      assertThat(cu.compute("return type(_io.input), _io.input.x")).isEqualTo(5L);
      cu.setInput(7);
      cu.setInputField("y", "z");
      assertThat(cu.compute("return _io.input")).isEqualTo(Map.of("y", "z"));
    }
  }

  @Test
  void longKeysArriveAsIntegerKeys() {
    Map<Long, String> m = new HashMap<>(Map.of(2L, "two", 7L, "seven"));
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(m);
      assertThat(cu.execute("return _io.input[2], _io.input[7], _io.input['2']").values())
          .containsExactly("two", "seven", null);
      cu.setInput(Map.of(1, "a", "1", "b"));
      assertThat(cu.execute("return _io.input[1], _io.input['1']").values())
          .containsExactly("a", "b");
    }
  }

  @Test
  void byteArraysArriveAsLuaStrings() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(new byte[] {(byte) 0xff, 0, 'a'});
      assertThat(
              cu.execute(
                      "return type(_io.input), #_io.input, _io.input:byte(1), "
                          + "_io.input:byte(2), _io.input:sub(3)")
                  .values())
          .containsExactly("string", 3L, 255L, 0L, "a");
    }
  }

  @Test
  void aMapThatContainsItselfIsRefused() {
    Map<String, Object> self = new HashMap<>();
    self.put("me", self);
    List<Object> list = new ArrayList<>();
    list.add(list);
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.setInput(self)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> cu.setInput(list)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> cu.setMetadata(self)).isInstanceOf(IllegalArgumentException.class);
      assertThat(cu.compute("return _io.input == nil and _io.meta == nil")).isEqualTo(true);
    }
  }

  @Test
  void ioTableIdIsTheOneInTableInfo() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.getIoTableId()).isEqualTo(cu.getTableInfo().ioTableId());
      assertThat(cu.getIoTableId()).isNotEqualTo(cu.getTableInfo().homeTableId());
      assertThat(cu.getTableInfo().tableIds()).contains(cu.getIoTableId());
    }
  }

  @Test
  void outputCanBeAnExternalTable() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("_home.t = {a = {1, 2}}; _io.output = _home.t");
      assertThat(cu.getOutput()).isEqualTo(Map.of("a", List.of(1L, 2L)));
    }
  }

  @Test
  void setInputCborAcceptsSharedTablesInsideAnArray() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      // docs/FORMAT.md: local s = {} return {s, s}
      cu.setInputCbor(hex("82 d81c a0 d81d 00"));
      assertThat(cu.compute("return #_io.input, rawequal(_io.input[1], _io.input[2])"))
          .isEqualTo(true);
    }
  }

  @Test
  void setInputCborKeepsMapEntryWhoseValueIsShared() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      // {a = {1}} with the inner table marked shareable (tag 28): the first one is a map value
      cu.setInputCbor(hex("a1 6161 d81c 8101"));
      assertThat(cu.compute("return _io.input")).isEqualTo(Map.of("a", List.of(1L)));
    }
  }

  @Test
  void setInputCborKeepsSharedTablesInsideNestedContainers() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      // {{s, s}} with s = {}: the sharing is one level below the top
      cu.setInputCbor(hex("81 82 d81c a0 d81d 00"));
      assertThat(
              cu.compute(
                  "local p = _io.input[1] return #_io.input == 1 and #p == 2 "
                      + "and rawequal(p[1], p[2]) and next(p[1]) == nil"))
          .isEqualTo(true);
    }
  }

  @Test
  void setInputCborWithASharedMapValueUsedTwiceDoesNotCrash() throws Exception {
    // {a = s, b = s} with s = {1}; run in a child JVM: this input crashes the native decoder
    ChildJvm.Result r =
        ChildJvm.run(
            CborInputChild.class,
            "a2 6161 d81c 8101 6162 d81d 00",
            "return type(_io.input), _io.input.a and _io.input.a[1], "
                + "rawequal(_io.input.a, _io.input.b)");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("values: [table, 1, true]");
  }

  @Test
  void setInputCborRefusesExternalTableReferences() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      // an external table reference appears only in stored entries (docs/FORMAT.md), never in
      // input
      Cbor.Writer ref = new Cbor.Writer();
      ref.head(Cbor.MAJOR_TAG, Cbor.TAG_EXTREF);
      ref.head(Cbor.MAJOR_UINT, cu.getTableInfo().homeTableId());
      assertThatThrownBy(() -> cu.setInputCbor(ref.toByteArray()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(cu.compute("return rawequal(_io.input, _home)")).isEqualTo(false);
    }
  }
}
