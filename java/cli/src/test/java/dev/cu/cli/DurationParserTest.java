package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationParserTest {

  @Test
  void millisecondsSecondsMinutes() {
    assertThat(DurationParser.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationParser.parse("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(DurationParser.parse("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(DurationParser.parse("90S")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationParser.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(DurationParser.parse("0ms")).isEqualTo(Duration.ZERO);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "s", "1h", "1.5s", "-1s", "2 s", "10us", "ms500"})
  void rejectsWhatIsNotADuration(String text) {
    assertThatThrownBy(() -> DurationParser.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid duration");
  }

  @Test
  void rejectsWhatDoesNotFitInNanoseconds() {
    assertThatThrownBy(() -> DurationParser.parse("99999999999m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long");
    assertThatThrownBy(() -> DurationParser.parse("99999999999999999999s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long");
  }

  @Test
  void converterReportsPicocliConversionErrors() {
    assertThat(new DurationParser().convert("100ms")).isEqualTo(Duration.ofMillis(100));
    assertThatThrownBy(() -> new DurationParser().convert("soon"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("'soon'");
  }
}
