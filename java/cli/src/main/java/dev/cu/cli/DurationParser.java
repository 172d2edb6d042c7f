package dev.cu.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses durations written as a whole number with a unit: {@code ms} (milliseconds), {@code s}
 * (seconds) or {@code m} (minutes), e.g. {@code 500ms}, {@code 2s}, {@code 1m}. A bare {@code
 * 0} means no limit.
 */
public final class DurationParser implements ITypeConverter<Duration> {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

  /**
   * The duration {@code text} names.
   *
   * @throws IllegalArgumentException when it is not a duration or is too long
   */
  public static Duration parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = DURATION.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid duration '"
              + text
              + "' (expected a number with ms, s or m, e.g. 500ms, 2s, 1m)");
    }
    try {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
          };
      d.toNanos(); // the limit is kept in nanoseconds: refuse what does not fit
      return d;
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("duration '" + text + "' is too long");
    }
  }

  @Override
  public Duration convert(String value) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
