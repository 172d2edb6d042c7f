package dev.cu.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Byte vectors of {@link CborEncoder} (the same bytes {@link CborDecoderTest} decodes, where they
 * apply). The jqwik round trips are in {@link CborEncoderPropertiesTest}: Surefire writes one
 * report per class and engine.
 */
class CborEncoderTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  record Point(long x, String label) {}

  enum Color {
    RED
  }

  /** A POJO: Jackson reads its getters. */
  public static final class Bean {
    public String getName() {
      return "bean";
    }

    public int getSize() {
      return 2;
    }
  }

  private static String hexOf(Object v) {
    return HexFormat.of().formatHex(CborEncoder.encode(v, MAPPER));
  }

  private static String norm(String hex) {
    return hex.replace(" ", "");
  }

  static Stream<Arguments> vectors() {
    Map<String, Object> x = Map.of("x", 1L);
    return Stream.of(
        Arguments.of(0L, "00"),
        Arguments.of(23L, "17"),
        Arguments.of(24L, "1818"),
        Arguments.of(255L, "18ff"),
        Arguments.of(256L, "190100"),
        Arguments.of(1000L, "1903e8"),
        Arguments.of(65536L, "1a00010000"),
        Arguments.of(4294967295L, "1affffffff"),
        Arguments.of(4294967296L, "1b0000000100000000"),
        Arguments.of(-1L, "20"),
        Arguments.of(-24L, "37"),
        Arguments.of(-25L, "3818"),
        Arguments.of(Long.MAX_VALUE, "1b7fffffffffffffff"),
        Arguments.of(Long.MIN_VALUE, "3b7fffffffffffffff"),
        Arguments.of(1.5, "fb3ff8000000000000"),
        Arguments.of(3.0, "fb4008000000000000"),
        Arguments.of(3.14, "fb40091eb851eb851f"),
        Arguments.of(Double.POSITIVE_INFINITY, "fb7ff0000000000000"),
        Arguments.of(Double.NEGATIVE_INFINITY, "fbfff0000000000000"),
        Arguments.of(-0.0, "fb8000000000000000"),
        Arguments.of(true, "f5"),
        Arguments.of(false, "f4"),
        Arguments.of("", "60"),
        Arguments.of("a", "6161"),
        Arguments.of("abc", "63616263"),
        Arguments.of("é", "62c3a9"),
        Arguments.of("\uD83D\uDE00", "64f09f9880"),
        Arguments.of(new byte[] {(byte) 0xff, (byte) 0xfe}, "42fffe"),
        Arguments.of(new byte[0], "40"),
        Arguments.of(List.of(), "80"),
        Arguments.of(List.of(1L, 2L), "820102"),
        Arguments.of(List.of(1L, 2L, List.of(3L)), "8301028103"),
        Arguments.of(x, "a1617801"),
        Arguments.of(Map.of(2L, true), "a102f5"),
        Arguments.of(Map.of("x", -1L), "a1617820"),
        Arguments.of(Map.of(1.5, 1L), "a1fb3ff800000000000001"),
        Arguments.of(Map.of(true, 1L), "a1f501"),
        Arguments.of(List.of(1L, 2L, Map.of("a", "b")), "83 01 02 a1 61 61 61 62"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("vectors")
  void encodesVectors(Object value, String expected) {
    assertThat(hexOf(value)).isEqualTo(norm(expected));
    Object back = CborDecoder.decode(CborEncoder.encode(value, MAPPER));
    if (value instanceof byte[] b) {
      assertThat((byte[]) back).isEqualTo(b);
    } else {
      assertThat(back).isEqualTo(value);
    }
  }

  @Test
  void nullAndNaN() {
    assertThat(hexOf(null)).isEqualTo("f6");
    assertThat(hexOf(Double.NaN)).isEqualTo("fb7ff8000000000000");
    long bits = 0x7ff0000000000123L;
    assertThat(hexOf(Double.longBitsToDouble(bits))).isEqualTo("fb7ff0000000000123");
  }

  @Test
  void otherJavaNumbersAndTexts() {
    assertThat(hexOf(7)).isEqualTo("07");
    assertThat(hexOf((short) -2)).isEqualTo("21");
    assertThat(hexOf((byte) 24)).isEqualTo("1818");
    assertThat(hexOf(Integer.MIN_VALUE)).isEqualTo("3a7fffffff");
    assertThat(hexOf(BigInteger.valueOf(Long.MIN_VALUE))).isEqualTo("3b7fffffffffffffff");
    assertThat(hexOf(1.5f)).isEqualTo("fb3ff8000000000000");
    assertThat(hexOf(new BigDecimal("2.5"))).isEqualTo("fb4004000000000000");
    assertThat(hexOf('c')).isEqualTo("6163");
    assertThat(hexOf(new StringBuilder("ab"))).isEqualTo("626162");
    assertThat(hexOf(Color.RED)).isEqualTo("63524544");
  }

  @Test
  void arraysAndCollections() {
    assertThat(hexOf(new int[] {1, 2})).isEqualTo("820102");
    assertThat(hexOf(new long[0])).isEqualTo("80");
    assertThat(hexOf(new long[] {0, 24, -1, 1L << 32, Long.MIN_VALUE}))
        .isEqualTo("85" + "00" + "1818" + "20" + "1b0000000100000000" + "3b7fffffffffffffff");
    assertThat(hexOf(new double[] {1.5})).isEqualTo("81fb3ff8000000000000");
    assertThat(hexOf(new Object[] {"a", null})).isEqualTo("826161f6");
    assertThat(hexOf(new java.util.TreeSet<>(List.of(3L, 1L)))).isEqualTo("820103");
    assertThat(HexFormat.of().formatHex(CborEncoder.encodeArray(new Object[] {1L, "a"}, MAPPER)))
        .isEqualTo("82016161");
    assertThat(HexFormat.of().formatHex(CborEncoder.encodeArray(new Object[0], MAPPER)))
        .isEqualTo("80");
  }

  @Test
  void mapsKeepTheirIterationOrderAndKeyTypes() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put("b", 1L);
    m.put(2L, "x");
    m.put("2", null);
    assertThat(hexOf(m)).isEqualTo("a3 6162 01 02 6178 6132 f6".replace(" ", ""));
  }

  @Test
  void recordsAndOtherObjectsGoThroughJackson() {
    assertThat(CborDecoder.decode(CborEncoder.encode(new Point(3, "p"), MAPPER)))
        .isEqualTo(Map.of("x", 3L, "label", "p"));
    assertThat(
            CborDecoder.decode(CborEncoder.encode(MAPPER.createObjectNode().put("k", 1.5), MAPPER)))
        .isEqualTo(Map.of("k", 1.5));
    assertThat(CborDecoder.decode(CborEncoder.encode(List.of(new Bean()), MAPPER)))
        .isEqualTo(List.of(Map.of("name", "bean", "size", 2L)));
  }

  @Test
  void integersBeyond64BitsAreBignums() {
    assertThat(hexOf(BigInteger.ONE.shiftLeft(63))).isEqualTo("c2488000000000000000");
    assertThat(hexOf(BigInteger.ONE.shiftLeft(64).negate().subtract(BigInteger.ONE)))
        .isEqualTo("c349010000000000000000");
    assertThat(hexOf(BigInteger.ONE.shiftLeft(64).negate())).isEqualTo("c348ffffffffffffffff");
    assertThat(hexOf(BigInteger.valueOf(-5))).isEqualTo("24");
  }

  @Test
  void refusals() {
    assertThatThrownBy(() -> hexOf(new java.math.BigDecimal("1E+999999999")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too large for a Lua bigint");
    Map<Object, Object> nullKey = new HashMap<>();
    nullKey.put(null, 1L);
    assertThatThrownBy(() -> hexOf(nullKey)).isInstanceOf(IllegalArgumentException.class);
    List<Object> self = new ArrayList<>();
    self.add(self);
    assertThatThrownBy(() -> hexOf(self))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested too deeply");
  }

  private static Object nested(int levels) {
    Object v = List.of();
    for (int i = 1; i < levels; i++) {
      v = List.of(v);
    }
    return v;
  }

  @Test
  void depthLimitIsTwoHundredLevelsBelowTheTop() {
    byte[] ok = CborEncoder.encode(nested(CborEncoder.MAX_DEPTH + 1), MAPPER);
    assertThat(ok).hasSize(CborEncoder.MAX_DEPTH + 1);
    assertThatThrownBy(() -> CborEncoder.encode(nested(CborEncoder.MAX_DEPTH + 2), MAPPER))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void largeValuesGrowTheBuffer() {
    byte[] big = new byte[1 << 20];
    big[big.length - 1] = 7;
    byte[] enc = CborEncoder.encode(big, MAPPER);
    assertThat(enc).hasSize(big.length + 5);
    assertThat((byte[]) CborDecoder.decode(enc)).isEqualTo(big);
  }
}
