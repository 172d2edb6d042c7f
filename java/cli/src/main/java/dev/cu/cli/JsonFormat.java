package dev.cu.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.cu.ComputeResult;
import dev.cu.LuaOpaque;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Converts results to JSON with Jackson's streaming generator. Tables become arrays (a List)
 * or objects (a Map); map keys that are not strings become their string form ({@code 1},
 * {@code 1.5}, {@code true}, as Lua's {@code tostring}; of two keys with the same form the
 * last value wins); byte[] (a Lua string that is not UTF-8) becomes base64, Jackson's default;
 * NaN and the infinities become the strings {@code "NaN"}, {@code "Infinity"} and {@code
 * "-Infinity"}; functions, threads and userdata become their {@code tostring} text, e.g.
 * {@code "function: 0x55..."}.
 *
 * <p>Sharing is kept, so output grows with the value's size in memory, never with the number of
 * paths through it, and a table that contains itself prints too. A table met more than once
 * while writing one value is written in full at its first occurrence, marked with an id
 * counted from 1 in order of appearance, and as {@code {"$ref": id}} at each later one. A
 * marked map gets {@code "$id": id} as its first member; a marked array becomes {@code {"$id":
 * id, "$values": [...]}}. So that a table of the value can never read as a marker, a string key
 * made of one or more {@code $} followed by {@code id}, {@code ref} or {@code values} is written
 * with one more {@code $} ({@code "$ref"} becomes {@code "$$ref"}). A value whose tables all
 * occur once is written exactly as a tree.
 *
 * <p>Every method that takes an {@link OutputLimit} charges the bytes it produces to it and
 * fails with an {@code output} error once the limit is passed.
 */
public final class JsonFormat {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final Pattern MARKER_KEY = Pattern.compile("\\$+(id|ref|values)");

  private JsonFormat() {}

  /** {@code value} as indented JSON (no limit). */
  public static String toPrettyJson(Object value) {
    return string(encode(value, true, OutputLimit.unlimited()));
  }

  /** {@code value} as one line of JSON (no limit). */
  public static String toJson(Object value) {
    return string(encode(value, false, OutputLimit.unlimited()));
  }

  /**
   * The {@code --json} line of a run: {@code {"value": last, "values": [all], "output":
   * "printed"}}, with {@code output} the text print wrote (no limit).
   */
  public static String result(ComputeResult result) {
    return string(write(false, OutputLimit.unlimited(), g -> {
      g.writeStartObject();
      resultFields(g, result);
      g.writeEndObject();
    }));
  }

  /**
   * The same line with {@code "io": {"output": ioOutput}} added, as UTF-8 bytes without the
   * newline. Ids are counted separately in {@code value}, {@code values} and {@code io.output}.
   */
  static byte[] result(ComputeResult result, Object ioOutput, OutputLimit limit) {
    return write(false, limit, g -> {
      g.writeStartObject();
      resultFields(g, result);
      g.writeObjectFieldStart("io");
      g.writeFieldName("output");
      new Writer(g, ioOutput).value(ioOutput);
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  /** {@code value} as JSON in UTF-8, indented if {@code pretty}, charged to {@code limit}. */
  static byte[] encode(Object value, boolean pretty, OutputLimit limit) {
    return write(pretty, limit, g -> new Writer(g, value).value(value));
  }

  private static void resultFields(JsonGenerator g, ComputeResult result) throws IOException {
    g.writeFieldName("value");
    new Writer(g, result.value()).value(result.value());
    g.writeFieldName("values");
    new Writer(g, result.values()).value(result.values());
    g.writeStringField("output", result.output());
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] write(boolean pretty, OutputLimit limit, Body body) {
    BoundedBuffer buffer = new BoundedBuffer(limit);
    try (JsonGenerator g = FACTORY.createGenerator(buffer)) {
      if (pretty) {
        g.useDefaultPrettyPrinter();
      }
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  private static String string(byte[] utf8) {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  /**
   * Writes one value. A first pass counts how often each table is met (its content is walked
   * once, at the first meeting); the second writes, marking the tables met more than once.
   */
  private static final class Writer {
    private final JsonGenerator g;
    private final IdentityHashMap<Object, Integer> seen = new IdentityHashMap<>();
    private final IdentityHashMap<Object, Integer> ids = new IdentityHashMap<>();

    Writer(JsonGenerator g, Object root) {
      this.g = g;
      count(root);
    }

    private void count(Object value) {
      if (!(value instanceof List<?> || value instanceof Map<?, ?>)) {
        return;
      }
      Integer n = seen.get(value);
      seen.put(value, n == null ? 1 : n + 1);
      if (n != null) {
        return;
      }
      if (value instanceof List<?> list) {
        for (Object item : list) {
          count(item);
        }
      } else {
        for (Object item : members((Map<?, ?>) value).values()) {
          count(item);
        }
      }
    }

    void value(Object value) throws IOException {
      if (value == null) {
        g.writeNull();
      } else if (value instanceof Boolean b) {
        g.writeBoolean(b);
      } else if (value instanceof Long l) {
        g.writeNumber(l);
      } else if (value instanceof Double d) {
        floating(d);
      } else if (value instanceof String s) {
        g.writeString(s);
      } else if (value instanceof byte[] bytes) {
        g.writeBinary(bytes);
      } else if (value instanceof List<?> || value instanceof Map<?, ?>) {
        table(value);
      } else if (value instanceof LuaOpaque opaque) {
        g.writeString(opaque.description());
      } else {
        g.writeString(String.valueOf(value));
      }
    }

    private void table(Object table) throws IOException {
      Integer id = ids.get(table);
      if (id != null) {
        g.writeStartObject();
        g.writeNumberField("$ref", id);
        g.writeEndObject();
        return;
      }
      boolean marked = seen.getOrDefault(table, 1) > 1;
      if (marked) {
        id = ids.size() + 1;
        ids.put(table, id);
      }
      if (table instanceof List<?> list) {
        if (marked) {
          g.writeStartObject();
          g.writeNumberField("$id", id);
          g.writeFieldName("$values");
        }
        g.writeStartArray();
        for (Object item : list) {
          value(item);
        }
        g.writeEndArray();
        if (marked) {
          g.writeEndObject();
        }
      } else {
        g.writeStartObject();
        if (marked) {
          g.writeNumberField("$id", id);
        }
        for (Map.Entry<String, Object> e : members((Map<?, ?>) table).entrySet()) {
          g.writeFieldName(e.getKey());
          value(e.getValue());
        }
        g.writeEndObject();
      }
    }

    private void floating(double d) throws IOException {
      if (Double.isNaN(d)) {
        g.writeString("NaN");
      } else if (Double.isInfinite(d)) {
        g.writeString(d > 0 ? "Infinity" : "-Infinity");
      } else {
        g.writeNumber(d);
      }
    }
  }

  /**
   * The JSON members of a map: keys in their string form, in the map's order; of two keys with
   * the same form the first keeps its place and the last its value.
   */
  private static Map<String, Object> members(Map<?, ?> map) {
    Map<String, Object> members = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      members.put(key(e.getKey()), e.getValue());
    }
    return members;
  }

  private static String key(Object key) {
    if (key instanceof String s) {
      return s.startsWith("$") && MARKER_KEY.matcher(s).matches() ? "$" + s : s;
    } else if (key instanceof Double d) {
      return ValueFormat.number(d);
    } else if (key instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    return String.valueOf(key);
  }
}
