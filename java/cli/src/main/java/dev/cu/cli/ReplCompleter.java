package dev.cu.cli;

import dev.cu.ComputeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion in a {@link Repl} session: the session's commands after {@code :}, else the
 * name being typed: a global or Lua keyword, or after dots a field of a table ({@code
 * string.fo} completes to {@code string.format}). Fields are read by a small chunk run in the
 * session's unit (between chunks, when the unit is idle); a name whose table cannot be read
 * completes to nothing.
 */
final class ReplCompleter implements Completer {
  private static final List<String> COMMANDS =
      List.of(":help", ":state", ":save", ":load", ":reset");

  private static final List<String> KEYWORDS =
      List.of(
          "and",
          "break",
          "do",
          "else",
          "elseif",
          "end",
          "false",
          "for",
          "function",
          "goto",
          "if",
          "in",
          "local",
          "nil",
          "not",
          "or",
          "repeat",
          "return",
          "then",
          "true",
          "until",
          "while");

  /** A dotted name at the end of the text: its table's path (may be empty) and the prefix. */
  private static final Pattern NAME =
      Pattern.compile("((?:[A-Za-z_][A-Za-z0-9_]*\\.)*)([A-Za-z_][A-Za-z0-9_]*)?$");

  /** The string keys of the table at a path of _G, read with raw access only. */
  private static final String FIELDS =
      "local t = _G\n"
          + "for name in ('%s'):gmatch('[^.]+') do\n"
          + "  t = rawget(t, name)\n"
          + "  if type(t) ~= 'table' then return {} end\n"
          + "end\n"
          + "local keys = {}\n"
          + "for k in next, t do\n"
          + "  if type(k) == 'string' and k:match('^[%%a_][%%w_]*$') then keys[#keys + 1] = k end\n"
          + "end\n"
          + "return keys";

  private final Supplier<ComputeUnit> unit;

  /** Completes names with the unit {@code unit} supplies (null when there is none). */
  ReplCompleter(Supplier<ComputeUnit> unit) {
    this.unit = unit;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    String word = line.word().substring(0, line.wordCursor());
    boolean first = line.line().substring(0, line.cursor()).strip().equals(word.strip());
    for (String value : complete(word, first)) {
      candidates.add(new Candidate(value, value, null, null, null, null, false));
    }
  }

  /**
   * The completions of {@code word}, the text of the word before the cursor, each the whole
   * word completed; {@code first} when it is the line's first word (where commands go).
   */
  List<String> complete(String word, boolean first) {
    List<String> out = new ArrayList<>();
    if (first && word.startsWith(":")) {
      COMMANDS.stream().filter(c -> c.startsWith(word)).forEach(out::add);
      return out;
    }
    Matcher m = NAME.matcher(word);
    if (!m.find()) {
      return out;
    }
    String head = word.substring(0, m.start());
    String path = m.group(1);
    String prefix = m.group(2) == null ? "" : m.group(2);
    List<String> names =
        new ArrayList<>(fields(path.isEmpty() ? "" : path.substring(0, path.length() - 1)));
    if (path.isEmpty()) {
      names.addAll(KEYWORDS);
    }
    names.stream()
        .filter(n -> n.startsWith(prefix))
        .distinct()
        .sorted()
        .forEach(n -> out.add(head + path + n));
    return out;
  }

  /** The names in the table at {@code path} ("" for the globals), or none. */
  private List<String> fields(String path) {
    ComputeUnit u = unit.get();
    if (u == null) {
      return List.of();
    }
    try {
      Object keys = u.compute(String.format(java.util.Locale.ROOT, FIELDS, path));
      List<String> names = new ArrayList<>();
      if (keys instanceof List<?> list) {
        list.forEach(k -> names.add(String.valueOf(k)));
      }
      return names;
    } catch (RuntimeException e) {
      return List.of(); // a limit, a closed unit: nothing to offer
    }
  }
}
