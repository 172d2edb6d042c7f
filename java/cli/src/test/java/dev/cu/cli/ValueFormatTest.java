package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.LuaOpaque;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueFormatTest {

  // expected strings are what Lua 5.4.7's print shows for the same float
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "3.0 | 3.0",
        "0.1 | 0.1",
        "-0.0 | -0.0",
        "0.0 | 0.0",
        "0.5 | 0.5",
        "1e14 | 1e+14",
        "1e15 | 1e+15",
        "123456789012.0 | 123456789012.0",
        "12345678901234.0 | 12345678901234.0",
        "123456789012345.0 | 1.2345678901234e+14",
        "9007199254740992.0 | 9.007199254741e+15",
        "0.0001 | 0.0001",
        "0.00001 | 1e-05",
        "0.3333333333333333 | 0.33333333333333",
        "33.333333333333336 | 33.333333333333",
        "3.141592653589793 | 3.1415926535898",
        "9.223372036854776E18 | 9.2233720368548e+18",
        "1e100 | 1e+100",
        "1.7976931348623157E308 | 1.7976931348623e+308",
        "4.9E-324 | 4.9406564584125e-324",
        "-2.5 | -2.5",
        "99999999999999.5 | 1e+14",
      })
  void floatsPrintLikeLua(double value, String expected) {
    assertThat(ValueFormat.number(value)).isEqualTo(expected);
  }

  @Test
  void nonFiniteFloatsPrintLikeLuaOnGlibc() {
    assertThat(ValueFormat.number(Double.POSITIVE_INFINITY)).isEqualTo("inf");
    assertThat(ValueFormat.number(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    assertThat(ValueFormat.number(Double.longBitsToDouble(0x7ff8000000000000L))).isEqualTo("nan");
    assertThat(ValueFormat.number(Double.longBitsToDouble(0xfff8000000000000L))).isEqualTo("-nan");
  }

  @Test
  void scalarsPrintLikeLua() {
    assertThat(ValueFormat.plain(4L)).isEqualTo("4");
    assertThat(ValueFormat.plain(Long.MIN_VALUE)).isEqualTo("-9223372036854775808");
    assertThat(ValueFormat.plain(3.0)).isEqualTo("3.0");
    assertThat(ValueFormat.plain(true)).isEqualTo("true");
    assertThat(ValueFormat.plain(false)).isEqualTo("false");
    assertThat(ValueFormat.plain("raw \"text\"\n")).isEqualTo("raw \"text\"\n");
    assertThat(ValueFormat.plain(null)).isEqualTo("nil");
    assertThat(ValueFormat.plain(new LuaOpaque("function", "function: 0x1234")))
        .isEqualTo("function: 0x1234");
  }

  @Test
  void tablesAreJson() {
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put("name", "x");
    map.put(2L, List.of(1L, 2.5));
    assertThat(ValueFormat.plain(map)).isEqualTo("{\"name\":\"x\",\"2\":[1,2.5]}");
    assertThat(ValueFormat.plain(Arrays.asList(1L, null, "s"))).isEqualTo("[1,null,\"s\"]");
  }

  @Test
  void printWritesNothingForNil() {
    assertThat(printed(null)).isEmpty();
  }

  @Test
  void printAddsANewline() {
    assertThat(new String(printed(4L), StandardCharsets.UTF_8)).isEqualTo("4\n");
    assertThat(new String(printed(List.of(1L)), StandardCharsets.UTF_8)).isEqualTo("[1]\n");
  }

  @Test
  void printWritesBytesRaw() {
    assertThat(printed(new byte[] {(byte) 0xff, 0x41})).containsExactly(0xff, 0x41, '\n');
  }

  private static byte[] printed(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      ValueFormat.print(out, value);
    }
    return bytes.toByteArray();
  }
}
