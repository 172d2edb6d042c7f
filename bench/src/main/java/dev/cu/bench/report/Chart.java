package dev.cu.bench.report;

import java.util.List;
import java.util.Locale;

/**
 * The report's chart: one horizontal bar per cu-versus-anchor pair, from parity (1x) to the
 * measured ratio of time per operation on a logarithmic axis (left of 1x: cu is faster), with the
 * 99.9% error as a whisker and, where cu has a ratio target for the pair, the target as a
 * vertical mark. Bars are green when their target is met, red when missed, grey without a target.
 */
final class Chart {
  private static final int LEFT = 360;
  private static final int PLOT = 480;
  private static final int RIGHT = 90;
  private static final int ROW = 20;
  private static final int TOP = 46;

  private Chart() {}

  /**
   * The SVG document.
   *
   * @param measured the pairs to draw (those without a finite positive ratio are left out)
   * @param targets the targets, for the marks and colours
   * @param results the results the targets are evaluated on
   * @return the SVG text
   */
  static String svg(List<Results.Pair> measured, List<Target> targets, Results results) {
    List<Results.Pair> pairs =
        measured.stream().filter(p -> Double.isFinite(p.ratio()) && p.ratio() > 0).toList();
    double lo = 1;
    double hi = 1;
    for (Results.Pair p : pairs) {
      lo = Math.min(lo, p.ratio() * (1 - Math.min(0.9, p.relativeError())));
      hi = Math.max(hi, p.ratio() * (1 + p.relativeError()));
      Target t = targetOf(p, targets);
      if (t != null) {
        lo = Math.min(lo, t.limit());
        hi = Math.max(hi, t.limit());
      }
    }
    int minExp = (int) Math.floor(Math.log10(lo));
    int maxExp = (int) Math.ceil(Math.log10(hi));
    if (maxExp == minExp) {
      maxExp++;
    }
    Axis axis = new Axis(minExp, maxExp);
    int height = TOP + Math.max(1, pairs.size()) * ROW + 60;
    int width = LEFT + PLOT + RIGHT;
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                + "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n",
            width,
            height,
            width,
            height));
    s.append(
        String.format(
            Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    s.append(
        text(
            LEFT + PLOT / 2.0,
            18,
            "middle",
            "bold",
            "cu time per operation / anchor time per operation (log scale; < 1x: cu faster)"));
    int bottom = TOP + Math.max(1, pairs.size()) * ROW;
    for (int e = minExp; e <= maxExp; e++) {
      for (int k = 1; k < 10; k++) {
        double v = k * Math.pow(10, e);
        if (e == maxExp && k > 1) {
          break;
        }
        double x = axis.x(v);
        boolean major = k == 1;
        s.append(line(x, TOP - 4, x, bottom, major ? "#bbbbbb" : "#eeeeee", major ? 1 : 0.5, null));
        if (major || k == 2 || k == 5) {
          s.append(text(x, bottom + 14, "middle", null, Fmt.ratio(v)));
        }
      }
    }
    double one = axis.x(1);
    s.append(line(one, TOP - 8, one, bottom, "#333333", 1.5, null));
    s.append(text(one, TOP - 12, "middle", null, "parity"));
    for (int i = 0; i < pairs.size(); i++) {
      Results.Pair p = pairs.get(i);
      double y = TOP + i * ROW;
      Target t = targetOf(p, targets);
      String colour = "#999999";
      if (t != null) {
        colour = t.evaluate(results).status() == Target.Status.MET ? "#2e8b57" : "#c0392b";
      }
      double x = axis.x(p.ratio());
      s.append(text(LEFT - 6, y + ROW * 0.65, "end", null, p.label()));
      s.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" " + "height=\"%.1f\" fill=\"%s\"/>%n",
              Math.min(one, x),
              y + 4,
              Math.abs(x - one),
              ROW - 8.0,
              colour));
      double rel = p.relativeError();
      if (rel > 0) {
        double ex0 = axis.x(p.ratio() * Math.max(0.01, 1 - rel));
        double ex1 = axis.x(p.ratio() * (1 + rel));
        s.append(line(ex0, y + ROW / 2.0, ex1, y + ROW / 2.0, "#222222", 1, null));
      }
      if (t != null) {
        double tx = axis.x(t.limit());
        s.append(line(tx, y + 1, tx, y + ROW - 1, "#000000", 2, "3,2"));
      }
      s.append(text(LEFT + PLOT + 6, y + ROW * 0.65, "start", null, Fmt.ratio(p.ratio())));
    }
    double ly = bottom + 34;
    s.append(legend(LEFT, ly, "#2e8b57", "target met"));
    s.append(legend(LEFT + 110, ly, "#c0392b", "target missed"));
    s.append(legend(LEFT + 230, ly, "#999999", "no ratio target"));
    s.append(line(LEFT + 360, ly - 8, LEFT + 360, ly + 2, "#000000", 2, "3,2"));
    s.append(text(LEFT + 366, ly, "start", null, "target ratio"));
    if (pairs.isEmpty()) {
      s.append(
          text(
              LEFT + PLOT / 2.0,
              TOP + ROW * 0.65,
              "middle",
              null,
              "no cu/anchor pairs measured in this run"));
    }
    s.append("</svg>\n");
    return s.toString();
  }

  /** The ratio target of exactly this pair, if any. */
  static Target targetOf(Results.Pair p, List<Target> targets) {
    for (Target t : targets) {
      if (t.kind() == Target.Kind.RATIO_MAX
          && t.refs().get(0).key().equals(p.cu().key())
          && t.refs().get(1).key().equals(p.anchor().key())
          && t.refs().get(0).params().equals(p.cu().params())) {
        return t;
      }
    }
    return null;
  }

  private record Axis(int minExp, int maxExp) {
    double x(double v) {
      double f = (Math.log10(v) - minExp) / (maxExp - minExp);
      return LEFT + Math.max(0, Math.min(1, f)) * PLOT;
    }
  }

  private static String legend(double x, double y, String colour, String label) {
    return String.format(
            Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"10\" " + "fill=\"%s\"/>%n",
            x,
            y - 9,
            colour)
        + text(x + 16, y, "start", null, label);
  }

  private static String line(
      double x0, double y0, double x1, double y1, String colour, double width, String dash) {
    return String.format(
        Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            + "stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n",
        x0,
        y0,
        x1,
        y1,
        colour,
        width,
        dash == null ? "" : " stroke-dasharray=\"" + dash + "\"");
  }

  private static String text(double x, double y, String anchor, String weight, String body) {
    return String.format(
        Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s" + "</text>%n",
        x,
        y,
        anchor,
        weight == null ? "" : " font-weight=\"" + weight + "\"",
        escape(body));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
