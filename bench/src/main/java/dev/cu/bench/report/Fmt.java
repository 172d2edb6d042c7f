package dev.cu.bench.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** Number formatting of the report: three significant digits, thousands separated. */
final class Fmt {
  private Fmt() {}

  /** {@code x} to three significant digits, e.g. {@code 152}, {@code 1.23}, {@code 1,230,000}. */
  static String num(double x) {
    return num(x, 3);
  }

  /**
   * A ratio compared with a limit: three significant digits, more (up to six) while the value
   * would read the same as a limit it does not equal, e.g. {@code 1.053x} against {@code 1.05x}.
   */
  static String ratioAgainst(double r, double limit) {
    int digits = 3;
    while (digits < 6 && r != limit && num(r, digits).equals(num(limit, digits))) {
      digits++;
    }
    return num(r, digits) + "x";
  }

  private static String num(double x, int digits) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return "n/a";
    }
    if (x == 0) {
      return "0";
    }
    BigDecimal b = new BigDecimal(x).round(new MathContext(digits));
    DecimalFormat f = new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT));
    f.setMaximumFractionDigits(Math.max(0, b.scale()));
    return f.format(b);
  }

  /** A ratio, e.g. {@code 0.42x}. */
  static String ratio(double r) {
    return num(r) + "x";
  }

  /** A duration in nanoseconds, in the largest unit that keeps it at 1 or more. */
  static String time(double ns) {
    if (Double.isNaN(ns)) {
      return "n/a";
    }
    double a = Math.abs(ns);
    if (a >= 1e9) {
      return num(ns / 1e9) + " s";
    } else if (a >= 1e6) {
      return num(ns / 1e6) + " ms";
    } else if (a >= 1e3) {
      return num(ns / 1e3) + " µs";
    }
    return num(ns) + " ns";
  }

  /** A result's cost per operation: a time, or the score and its unit ({@code 40.2 KiB}). */
  static String perOp(Result r) {
    if (r.isTime()) {
      return time(r.nanosPerOp());
    }
    String u = r.unit().endsWith("/op") ? r.unit().substring(0, r.unit().length() - 3) : r.unit();
    return u.equals("B") ? bytes(r.score()) : num(r.score()) + " " + u;
  }

  /** A byte count in the largest binary unit that keeps it at 1 or more. */
  static String bytes(double b) {
    double a = Math.abs(b);
    if (a >= 1 << 30) {
      return num(b / (1 << 30)) + " GiB";
    } else if (a >= 1 << 20) {
      return num(b / (1 << 20)) + " MiB";
    } else if (a >= 1 << 10) {
      return num(b / (1 << 10)) + " KiB";
    }
    return num(b) + " B";
  }

  /** A score with its error, e.g. {@code 152 ± 4.4}. */
  static String score(double score, double error) {
    return Double.isNaN(error) ? num(score) : num(score) + " ± " + num(error);
  }
}
