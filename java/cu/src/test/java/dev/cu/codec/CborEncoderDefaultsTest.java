package dev.cu.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * What {@link CborEncoder} makes of numbers beyond 64 bits, and of java.time and Optional values
 * with {@link CborEncoder#defaultMapper()}.
 */
class CborEncoderDefaultsTest {
  private static final ObjectMapper MAPPER = CborEncoder.defaultMapper();

  /** A map in the given order that may hold null values. */
  private static Map<Object, Object> map(Object... keysAndValues) {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static Object roundTrip(Object v) {
    return CborDecoder.decode(CborEncoder.encode(v, MAPPER));
  }

  record Big(String name, BigInteger count, BigDecimal amount) {}

  record When(Instant at, LocalDate day, Duration delay, Optional<String> note) {}

  record Optionals(OptionalInt i, OptionalLong l, OptionalDouble d, Optional<List<Long>> xs) {}

  @Test
  void integralBigNumbersWithin64BitsBecomeIntegers() {
    assertThat(roundTrip(BigInteger.valueOf(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    assertThat(roundTrip(BigInteger.valueOf(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
    assertThat(roundTrip(new BigDecimal("12"))).isEqualTo(12L);
    assertThat(roundTrip(new BigDecimal("-9223372036854775808"))).isEqualTo(Long.MIN_VALUE);
    assertThat(roundTrip(new BigDecimal("1E+3"))).isEqualTo(1000L);
    assertThat(roundTrip(new BigDecimal("0E+999999999"))).isEqualTo(0L);
  }

  @Test
  void bigDecimalsWithDigitsAfterThePointBecomeDoubles() {
    assertThat(roundTrip(new BigDecimal("2.5"))).isEqualTo(2.5);
    assertThat(roundTrip(new BigDecimal("1.0"))).isEqualTo(1.0);
    assertThat(roundTrip(new BigDecimal("0.1"))).isEqualTo(0.1);
    assertThat(roundTrip(new BigDecimal("123456789012345678901234.5")))
        .isEqualTo(1.2345678901234568e23);
  }

  @Test
  void integralBigNumbersBeyond64BitsAreBignumsNotRounded() {
    BigInteger two63 = BigInteger.ONE.shiftLeft(63);
    assertThat(roundTrip(two63)).isEqualTo(two63);
    assertThat(roundTrip(two63.negate().subtract(BigInteger.ONE)))
        .isEqualTo(two63.negate().subtract(BigInteger.ONE));
    assertThat(roundTrip(new BigDecimal("9223372036854775808"))).isEqualTo(two63);
    assertThat(roundTrip(new BigDecimal("-9223372036854775809")))
        .isEqualTo(new BigInteger("-9223372036854775809"));
    assertThat(roundTrip(new BigDecimal("1E+19"))).isEqualTo(BigInteger.TEN.pow(19));
    assertThat(HexFormat.of().formatHex(CborEncoder.encode(two63, MAPPER)))
        .isEqualTo("c2488000000000000000");
    assertThat(HexFormat.of().formatHex(CborEncoder.encode(two63.negate(), MAPPER)))
        .as("-(2^63) fits: a plain integer")
        .isEqualTo("3b7fffffffffffffff");
  }

  @Test
  void aDecimalTooLargeForABigintIsRefusedBeforeItIsExpanded() {
    assertThatThrownBy(() -> CborEncoder.encode(new BigDecimal("1E+999999999"), MAPPER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("integer 1E+999999999 is too large for a Lua bigint (at most 2^31 bits)");
  }

  /**
   * Expanding 1E+N is a power of ten whose cost grows faster than N: a decimal of a few bytes
   * must be refused at once, not keep the caller's thread for minutes; and a huge unscaled value
   * (scale 0) is written as it is, without computing its digit count.
   */
  @Test
  void aDecimalWithAHugeExponentIsRefusedAtOnce() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () ->
            assertThatThrownBy(() -> CborEncoder.encode(new BigDecimal("1E+100000000"), MAPPER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1E+100000000"));
    BigInteger huge = BigInteger.ONE.shiftLeft(40_000_000);
    byte[] cbor =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5), () -> CborEncoder.encode(new BigDecimal(huge), MAPPER));
    assertThat(cbor.length).isEqualTo(1 + 5 + 5_000_001);
    assertThat(roundTrip(new BigDecimal("7E+1000")))
        .isEqualTo(BigInteger.valueOf(7).multiply(BigInteger.TEN.pow(1000)));
  }

  @Test
  void bigNumbersInRecordsAndJacksonTreesFollowTheSameRules() {
    assertThat(roundTrip(new Big("a", BigInteger.TWO, new BigDecimal("7"))))
        .isEqualTo(Map.of("name", "a", "count", 2L, "amount", 7L));
    assertThat(roundTrip(new Big("a", null, new BigDecimal("0.5"))))
        .isEqualTo(map("name", "a", "count", null, "amount", 0.5));
    assertThat(roundTrip(new Big("a", BigInteger.ONE.shiftLeft(64), new BigDecimal("1E+20"))))
        .isEqualTo(
            Map.of(
                "name",
                "a",
                "count",
                BigInteger.ONE.shiftLeft(64),
                "amount",
                BigInteger.TEN.pow(20)));
    JsonNodeFactory f = JsonNodeFactory.instance;
    assertThat(
            roundTrip(f.arrayNode().add(f.numberNode(BigInteger.TEN)).add(new BigDecimal("1.5"))))
        .isEqualTo(List.of(10L, 1.5));
    assertThat(roundTrip(f.arrayNode().add(BigInteger.ONE.shiftLeft(70))))
        .isEqualTo(List.of(BigInteger.ONE.shiftLeft(70)));
    assertThat(roundTrip(f.objectNode().set("k", f.numberNode(new BigDecimal("-1E+30")))))
        .isEqualTo(Map.of("k", BigInteger.TEN.pow(30).negate()));
  }

  @Test
  void aRefusedBigNumberLeavesNothingHalfWritten() {
    Object[] args = {1L, Arrays.asList("x", new BigDecimal("1E+999999999"))};
    assertThatThrownBy(() -> CborEncoder.encodeArray(args, MAPPER))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(roundTrip(List.of(1L))).isEqualTo(List.of(1L));
  }

  @Test
  void javaTimeValuesBecomeIsoStrings() {
    assertThat(roundTrip(Instant.parse("2026-12-02T08:30:00Z"))).isEqualTo("2026-12-02T08:30:00Z");
    assertThat(roundTrip(LocalDate.of(2026, 12, 2))).isEqualTo("2026-12-02");
    assertThat(roundTrip(LocalTime.of(8, 30, 15))).isEqualTo("08:30:15");
    assertThat(roundTrip(LocalDateTime.of(2026, 12, 2, 8, 30))).isEqualTo("2026-12-02T08:30:00");
    assertThat(roundTrip(OffsetDateTime.of(2026, 12, 2, 8, 30, 0, 0, ZoneOffset.ofHours(2))))
        .isEqualTo("2026-12-02T08:30:00+02:00");
    assertThat(roundTrip(ZonedDateTime.of(2026, 12, 2, 8, 30, 0, 0, ZoneOffset.UTC)))
        .isEqualTo("2026-12-02T08:30:00Z");
    assertThat(roundTrip(Duration.ofMinutes(90))).isEqualTo("PT1H30M");
    assertThat(roundTrip(List.of(LocalDate.of(2000, 1, 1)))).isEqualTo(List.of("2000-01-01"));
  }

  @Test
  void optionalsBecomeTheirValueOrNilWhenEmpty() {
    assertThat(roundTrip(Optional.of("x"))).isEqualTo("x");
    assertThat(roundTrip(Optional.empty())).isNull();
    assertThat(roundTrip(OptionalInt.of(3))).isEqualTo(3L);
    assertThat(roundTrip(OptionalDouble.empty())).isNull();
    assertThat(roundTrip(map("a", Optional.of(1L), "b", Optional.empty())))
        .isEqualTo(map("a", 1L, "b", null));
  }

  @Test
  void javaTimeAndOptionalFieldsOfRecordsConvertToo() {
    When w =
        new When(
            Instant.parse("2026-12-02T08:30:00.5Z"),
            LocalDate.of(2026, 12, 2),
            Duration.ofSeconds(5),
            Optional.empty());
    assertThat(roundTrip(w))
        .isEqualTo(
            map(
                "at",
                "2026-12-02T08:30:00.500Z",
                "day",
                "2026-12-02",
                "delay",
                "PT5S",
                "note",
                null));
    Optionals o =
        new Optionals(
            OptionalInt.of(1),
            OptionalLong.empty(),
            OptionalDouble.of(0.5),
            Optional.of(List.of(2L)));
    assertThat(roundTrip(o)).isEqualTo(map("i", 1L, "l", null, "d", 0.5, "xs", List.of(2L)));
  }

  @Test
  void aPlainMapperStillRefusesJavaTimeValues() {
    assertThatThrownBy(() -> CborEncoder.encode(Instant.EPOCH, new ObjectMapper()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.time");
  }
}
