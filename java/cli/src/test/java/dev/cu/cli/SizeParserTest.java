package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class SizeParserTest {

  @Test
  void plainBytesAndBinarySuffixes() {
    assertThat(SizeParser.parse("0")).isZero();
    assertThat(SizeParser.parse("1048576")).isEqualTo(1048576L);
    assertThat(SizeParser.parse("512b")).isEqualTo(512L);
    assertThat(SizeParser.parse("4k")).isEqualTo(4096L);
    assertThat(SizeParser.parse("64m")).isEqualTo(64L * 1024 * 1024);
    assertThat(SizeParser.parse("64M")).isEqualTo(64L * 1024 * 1024);
    assertThat(SizeParser.parse("64mb")).isEqualTo(64L * 1024 * 1024);
    assertThat(SizeParser.parse("2g")).isEqualTo(2L << 30);
    assertThat(SizeParser.parse("8589934591g")).isEqualTo(8589934591L << 30);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "m", "b", "-1", "1.5m", "12x", "1t", "64 m", "m64", "0x10"})
  void rejectsWhatIsNotASize(String text) {
    assertThatThrownBy(() -> SizeParser.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid size");
  }

  @Test
  void rejectsOverflow() {
    assertThatThrownBy(() -> SizeParser.parse("8589934592g"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too large");
    assertThatThrownBy(() -> SizeParser.parse("99999999999999999999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too large");
  }

  @Test
  void converterReportsPicocliConversionErrors() {
    assertThat(new SizeParser().convert("1k")).isEqualTo(1024L);
    assertThatThrownBy(() -> new SizeParser().convert("lots"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("'lots'");
  }
}
