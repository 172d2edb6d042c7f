package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The default conversions of a unit's mapper, through the public API: java.time values as
 * ISO-8601 strings, Optional as its value or nil, integers beyond 64 bits refused.
 */
class JavaTimeAndOptionalTest {

  record Event(Instant at, Optional<String> note, OffsetDateTime local, Duration took) {}

  @Test
  void aRecordWithJavaTimeAndOptionalFieldsRoundTripsThroughInputAndOutput() {
    Event in =
        new Event(
            Instant.parse("2026-12-02T08:30:00.123456789Z"),
            Optional.of("hi"),
            OffsetDateTime.parse("2026-12-02T10:30:00+02:00"),
            Duration.ofMillis(1500));
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(in);
      assertThat(cu.compute("return _io.input.note .. ' ' .. _io.input.took"))
          .isEqualTo("hi PT1.5S");
      assertThat(cu.compute("return _io.input['local']")).isEqualTo("2026-12-02T10:30:00+02:00");
      assertThat(cu.compute("return _io.input.at")).isEqualTo("2026-12-02T08:30:00.123456789Z");
      cu.compute("_io.output = _io.input");
      assertThat(cu.getOutput(Event.class)).isEqualTo(in);
    }
  }

  @Test
  void anEmptyOptionalIsNilAndComesBackEmpty() {
    Event in = new Event(Instant.EPOCH, Optional.empty(), null, Duration.ZERO);
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(in);
      assertThat(cu.compute("return _io.input.note == nil and _io.input.at"))
          .isEqualTo("1970-01-01T00:00:00Z");
      cu.compute("_io.output = _io.input");
      assertThat(cu.getOutput(Event.class)).isEqualTo(in);
      cu.compute("_io.output = {at = '2000-01-01T00:00:00Z', took = 'PT2H'}");
      Event out = cu.getOutput(Event.class);
      assertThat(out.at()).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
      assertThat(out.took()).isEqualTo(Duration.ofHours(2));
      assertThat(out.note()).isEmpty();
    }
  }

  @Test
  void luaSeesDatesAsStringsItCanCompare() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(
          Map.of(
              "from",
              java.time.LocalDate.of(2026, 1, 1),
              "to",
              java.time.LocalDate.of(2026, 12, 31)));
      assertThat(cu.compute("return #_io.input.to")).isEqualTo(10L);
      assertThat(cu.compute("return _io.input.from < _io.input.to")).isEqualTo(true);
    }
  }

  @Test
  void integersBeyond64BitsAreBigintsAndThoseThatFitAreIntegers() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(Map.of("n", BigInteger.valueOf(Long.MAX_VALUE), "d", new BigDecimal("5")));
      assertThat(cu.compute("return math.type(_io.input.d)")).isEqualTo("integer");
      cu.setInput(List.of(BigInteger.ONE.shiftLeft(64)));
      assertThat(cu.compute("return getmetatable(_io.input[1])")).isEqualTo("bigint");
      assertThat(cu.compute("return tostring(_io.input[1])")).isEqualTo("18446744073709551616");
      cu.setInputField("x", new BigDecimal("-1E+40"));
      assertThat(cu.compute("return _io.input.x - 1"))
          .isEqualTo(BigInteger.TEN.pow(40).negate().subtract(BigInteger.ONE));
      cu.setInput(Map.of("n", BigInteger.valueOf(Long.MAX_VALUE), "d", new BigDecimal("5")));
      assertThat(cu.compute("return _io.input.n")).isEqualTo(Long.MAX_VALUE);
      assertThat(cu.compute("return math.type(_io.input.n)")).isEqualTo("integer");
      assertThat(cu.compute("return _io.input.d")).isEqualTo(5L);
      cu.setInput(new BigDecimal("2.5"));
      assertThat(cu.compute("return math.type(_io.input)")).isEqualTo("float");
      assertThat(cu.compute("return _io.input")).isEqualTo(2.5);
    }
  }
}
