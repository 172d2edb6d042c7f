package dev.cu.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads {@code --input}: exactly one JSON value, strictly. Empty input, content after the
 * value, a string or key with an unpaired surrogate (e.g. {@code "\ud800"}, which no Lua string
 * can hold as UTF-8), nesting deeper than {@link #MAX_DEPTH}, and a file that is not UTF-8 are
 * usage errors (exit 2) whose message says what is wrong and where: line, column and character
 * offset of the text. A file may start with a UTF-8 byte order mark.
 */
final class InputJson {
  /** The deepest nesting of arrays and objects accepted: the value codec's limit. */
  static final int MAX_DEPTH = 200;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private InputJson() {}

  /** The JSON of {@code --input}: inline text, or a file after {@code @}. */
  static JsonNode read(String input) {
    return read(input, Progress.on(System.err, false, "", "MiB", Long.MAX_VALUE));
  }

  /**
   * Like {@link #read(String)}, showing on {@code progress} how far the check of a large file
   * got (the parse that follows takes about as long again; it is counted as the second half).
   */
  static JsonNode read(String input, Progress progress) {
    String text = input;
    if (input.startsWith("@")) {
      text = readFile(input.substring(1));
    }
    long total = 2L * text.length(); // chars, about bytes: the check, then the parse
    check(text, done -> progress.to(done, total));
    try {
      JsonNode n = MAPPER.readTree(text);
      progress.to(total, total);
      return n;
    } catch (JsonProcessingException e) {
      throw invalid(e.getOriginalMessage(), e.getLocation(), e);
    }
  }

  private static String readFile(String name) {
    if (name.isEmpty()) {
      throw new CliException(ErrorKind.USAGE, "--input @ needs a file name after the @");
    }
    byte[] bytes = FileBytes.read(name, "--input file " + name);
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text; // a byte order mark
    } catch (CharacterCodingException e) {
      throw new CliException(ErrorKind.USAGE, "--input file " + name + " is not UTF-8", e);
    }
  }

  /** Walks the tokens: one value, not too deep, strings that are Unicode text, then the end. */
  private static void check(String text, java.util.function.LongConsumer checked) {
    try (JsonParser p = MAPPER.getFactory().createParser(text)) {
      JsonToken t = p.nextToken();
      long tokens = 0;
      if (t == null) {
        throw new CliException(ErrorKind.USAGE, "--input is empty: expected one JSON value");
      }
      int depth = 0;
      do {
        switch (t) {
          case START_ARRAY, START_OBJECT -> {
            if (++depth > MAX_DEPTH) {
              throw invalid(
                  "nested deeper than " + MAX_DEPTH + " levels", p.currentTokenLocation(), null);
            }
          }
          case END_ARRAY, END_OBJECT -> depth--;
          case FIELD_NAME, VALUE_STRING -> {
            int bad = unpairedSurrogate(p.getText());
            if (bad >= 0) {
              throw invalid(
                  String.format(
                      "%s has an unpaired surrogate U+%04X",
                      t == JsonToken.FIELD_NAME ? "key" : "string", (int) p.getText().charAt(bad)),
                  p.currentTokenLocation(),
                  null);
            }
          }
          default -> {}
        }
        if (depth == 0) {
          break;
        }
        if (++tokens % 65_536 == 0) {
          checked.accept(p.currentLocation().getCharOffset());
        }
        t = p.nextToken();
      } while (t != null);
      JsonLocation end = p.currentLocation();
      boolean more;
      try {
        more = p.nextToken() != null;
      } catch (JsonProcessingException e) {
        more = true; // not even a token: still content after the value
      }
      if (more) {
        throw new CliException(
            ErrorKind.USAGE,
            "--input has content after its JSON value,"
                + " which ends at line "
                + end.getLineNr()
                + ", column "
                + end.getColumnNr()
                + " (offset "
                + end.getCharOffset()
                + ")");
      }
    } catch (JsonProcessingException e) {
      throw invalid(e.getOriginalMessage(), e.getLocation(), e);
    } catch (IOException e) {
      throw new CliException(ErrorKind.USAGE, "--input: " + e.getMessage(), e);
    }
  }

  /** The index of the first surrogate without its partner in {@code s}, or -1. */
  static int unpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  private static CliException invalid(String what, JsonLocation where, Throwable cause) {
    String at =
        where == null
            ? ""
            : " at line "
                + where.getLineNr()
                + ", column "
                + where.getColumnNr()
                + " (offset "
                + where.getCharOffset()
                + ")";
    return new CliException(ErrorKind.USAGE, "--input is not valid JSON" + at + ": " + what, cause);
  }
}
