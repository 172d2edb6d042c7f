package dev.cu.cli;

import dev.cu.LuaOpaque;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Renders a result the way {@code cu} prints it without {@code --json}: scalars as Lua's {@code
 * print} would ({@code 4}, {@code 3.0}, {@code 0.1}, {@code -nan}, {@code inf}, {@code true},
 * strings raw), tables as JSON (see {@link JsonFormat}), a lone nil as nothing at all; several
 * values on one line, separated by tabs.
 */
public final class ValueFormat {
  private static final MathContext FOURTEEN_DIGITS = new MathContext(14, RoundingMode.HALF_EVEN);

  private ValueFormat() {}

  /**
   * Prints {@code value} and a newline, or nothing when it is null (nil). A byte[] (a Lua
   * string that is not UTF-8) is written as its raw bytes, as Lua would.
   */
  public static void print(PrintStream out, Object value) {
    print(out, value, OutputLimit.unlimited());
  }

  /**
   * Like {@link #print(PrintStream, Object)}, charging the bytes to {@code limit} before any is
   * written: a value past the limit prints nothing and fails with an {@code output} error.
   */
  static void print(PrintStream out, Object value, OutputLimit limit) {
    if (value == null) {
      return;
    }
    limit.println(out, bytes(value, limit));
  }

  /**
   * Prints all values a chunk returned on one line, separated by tabs as Lua's {@code print}
   * and REPL separate them ({@code return 1, nil, 'x'} prints {@code 1\tnil\tx}), nil as
   * {@code nil}. No values, or one nil, print nothing; one value prints as {@link
   * #print(PrintStream, Object)} prints it. The bytes are charged to {@code limit} before any is
   * written.
   */
  static void printAll(PrintStream out, List<Object> values, OutputLimit limit) {
    if (values.size() <= 1) {
      print(out, values.isEmpty() ? null : values.get(0), limit);
      return;
    }
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        limit.charge(1);
        line.write('\t');
      }
      line.writeBytes(bytes(values.get(i), limit));
    }
    limit.println(out, line.toByteArray());
  }

  /** The bytes of one value as printed, charged to {@code limit}; nil is {@code nil}. */
  private static byte[] bytes(Object value, OutputLimit limit) {
    if (value instanceof List<?> || value instanceof Map<?, ?>) {
      return JsonFormat.encode(value, false, limit); // charged as it is made
    }
    byte[] bytes =
        value instanceof byte[] raw ? raw : plain(value).getBytes(StandardCharsets.UTF_8);
    limit.charge(bytes.length);
    return bytes;
  }

  /**
   * The text of {@code value}: {@code nil} for null, Lua's {@code tostring} for scalars and
   * opaque values, JSON for tables. A byte[] is decoded as UTF-8 with replacement characters.
   */
  public static String plain(Object value) {
    if (value == null) {
      return "nil";
    } else if (value instanceof Double d) {
      return number(d);
    } else if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    } else if (value instanceof List<?> || value instanceof Map<?, ?>) {
      return JsonFormat.toJson(value);
    } else if (value instanceof LuaOpaque opaque) {
      return opaque.description();
    }
    return String.valueOf(value);
  }

  /**
   * A float as Lua 5.4 prints it: C's {@code "%.14g"}, then {@code ".0"} when that looks like
   * an integer; {@code nan} or {@code -nan} (by the sign bit, as glibc prints), {@code inf},
   * {@code -inf}.
   */
  public static String number(double d) {
    boolean negative = Double.doubleToRawLongBits(d) < 0;
    String s;
    if (Double.isNaN(d)) {
      s = "nan";
    } else if (Double.isInfinite(d)) {
      s = "inf";
    } else {
      s = g14(Math.abs(d));
      if (s.chars().allMatch(Character::isDigit)) {
        s += ".0";
      }
    }
    return negative ? "-" + s : s;
  }

  /** C's {@code printf("%.14g", x)} for a finite x >= 0. */
  private static String g14(double x) {
    if (x == 0) {
      return "0";
    }
    BigDecimal rounded = new BigDecimal(x).round(FOURTEEN_DIGITS);
    int exponent = rounded.precision() - rounded.scale() - 1;
    if (exponent >= -4 && exponent < 14) {
      return rounded.stripTrailingZeros().toPlainString();
    }
    String digits = rounded.unscaledValue().toString().replaceFirst("0+$", "");
    StringBuilder sb = new StringBuilder().append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    int e = Math.abs(exponent);
    sb.append(exponent < 0 ? "e-" : "e+").append(e < 10 ? "0" : "").append(e);
    return sb.toString();
  }
}
