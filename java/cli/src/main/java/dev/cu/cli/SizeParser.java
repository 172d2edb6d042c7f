package dev.cu.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses byte sizes: plain bytes ({@code 1048576}) or a number with a binary suffix {@code k},
 * {@code m} or {@code g} ({@code 64m} is 64 * 1024 * 1024). Upper case and a trailing {@code b}
 * ({@code 64MB}, {@code 512b}) are accepted too.
 */
public final class SizeParser implements ITypeConverter<Long> {

  /**
   * The number of bytes {@code text} names.
   *
   * @throws IllegalArgumentException when it is not a size or does not fit in a long
   */
  public static long parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.length() > 1 && s.endsWith("b")) {
      s = s.substring(0, s.length() - 1);
    }
    int shift = 0;
    if (!s.isEmpty()) {
      switch (s.charAt(s.length() - 1)) {
        case 'k' -> shift = 10;
        case 'm' -> shift = 20;
        case 'g' -> shift = 30;
        default -> shift = -1;
      }
      if (shift >= 0) {
        s = s.substring(0, s.length() - 1);
      } else {
        shift = 0;
      }
    }
    if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(
          "invalid size '" + text + "' (expected bytes or a number with k, m or g, e.g. 64m)");
    }
    try {
      long n = Long.parseLong(s);
      if (n > (Long.MAX_VALUE >> shift)) {
        throw new NumberFormatException();
      }
      return n << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("size '" + text + "' is too large");
    }
  }

  @Override
  public Long convert(String value) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
