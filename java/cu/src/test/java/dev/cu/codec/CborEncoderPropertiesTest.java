package dev.cu.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.ComputeUnit;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * jqwik round trips of {@link CborEncoder}: Java -> CBOR -> Java through {@link CborDecoder},
 * and Java -> Lua -> Java through a unit's {@code _io}. Kept apart from {@link
 * CborEncoderTest}: Surefire writes one report per class and engine.
 */
class CborEncoderPropertiesTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static ComputeUnit unit;

  @BeforeContainer
  static void open() {
    unit = ComputeUnit.create();
  }

  @AfterContainer
  static void close() {
    unit.close();
  }

  @Provide
  Arbitrary<Object> values() {
    return TestValues.values(4);
  }

  @Property(tries = 2000)
  void encodeThenDecodeGivesAnEqualValue(@ForAll("values") Object v) {
    byte[] encoded = CborEncoder.encode(v, MAPPER);
    Object back = CborDecoder.decode(encoded);
    assertThat(TestValues.deepEquals(v, back))
        .as("%s came back as %s", TestValues.show(v), TestValues.show(back))
        .isTrue();
    // the decoded value encodes to the same bytes again
    assertThat(CborEncoder.encode(back, MAPPER)).isEqualTo(encoded);
  }

  @Property(tries = 300)
  void javaToLuaToJavaKeepsTheValue(@ForAll("values") Object v) {
    unit.setInput(v);
    unit.compute("_io.output = _io.input");
    Object back = unit.getOutput();
    Object expected = TestValues.throughLua(v);
    assertThat(TestValues.deepEquals(expected, back))
        .as(
            "%s came back as %s, expected %s",
            TestValues.show(v), TestValues.show(back), TestValues.show(expected))
        .isTrue();
  }

  @Property(tries = 300)
  void hostFunctionArgumentsAndResultsKeepTheValue(@ForAll("values") Object v) {
    Object back;
    try (ComputeUnit cu = ComputeUnit.builder().function("echo", args -> args.get(0)).build()) {
      cu.setInput(v);
      back = cu.compute("return echo(_io.input)");
    }
    Object expected = TestValues.throughLua(v);
    assertThat(TestValues.deepEquals(expected, back))
        .as(
            "%s came back as %s, expected %s",
            TestValues.show(v), TestValues.show(back), TestValues.show(expected))
        .isTrue();
  }
}
