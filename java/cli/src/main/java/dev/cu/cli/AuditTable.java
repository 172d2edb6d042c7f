package dev.cu.cli;

import dev.cu.serve.AuditLog;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The table {@code cu serve audit} prints: a header and one row per entry, columns padded to
 * their widest cell; a missing wallet or key shows as {@code -}. Control characters in the log's
 * text (a unit key is any text) and invisible format characters (bidirectional overrides) are
 * shown escaped, so a log line cannot drive the terminal or disguise itself.
 */
final class AuditTable {
  private static final String[] HEADER = {
    "TIME", "WALLET", "KEY", "ENDPOINT", "OUTCOME", "STATUS", "MICROS"
  };

  private AuditTable() {}

  /** Prints {@code entries}; nothing at all when there are none. */
  static void print(PrintStream out, List<AuditLog.Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (AuditLog.Entry e : entries) {
      rows.add(
          new String[] {
            e.time().toString(),
            cell(e.wallet()),
            cell(e.key()),
            cell(e.endpoint()),
            cell(e.outcome()),
            Integer.toString(e.status()),
            Long.toString(e.micros())
          });
    }
    int[] width = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].codePointCount(0, row[i].length()));
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        boolean last = i == row.length - 1;
        boolean number = i >= HEADER.length - 2; // STATUS and MICROS align right
        int pad = width[i] - row[i].codePointCount(0, row[i].length());
        if (number) {
          line.append(" ".repeat(pad)).append(row[i]);
        } else {
          line.append(row[i]).append(last ? "" : " ".repeat(pad));
        }
        if (!last) {
          line.append("  ");
        }
      }
      out.println(line);
    }
  }

  /**
   * {@code text} with each control and format character written as a backslash, {@code u} and
   * four hex digits; {@code -} for none.
   */
  static String cell(String text) {
    if (text == null || text.isEmpty()) {
      return "-";
    }
    StringBuilder b = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("\\u%04x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return b.toString();
  }
}
