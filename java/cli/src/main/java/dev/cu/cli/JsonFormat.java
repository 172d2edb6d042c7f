package dev.cu.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import dev.cu.ComputeResult;
import dev.cu.LuaOpaque;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
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
  /** Nesting is bounded by the values themselves (and the heap), not by the generator. */
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamWriteConstraints(
              StreamWriteConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build())
          .build();

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
    return string(
        write(
            false,
            OutputLimit.unlimited(),
            g -> {
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
    return write(
        false,
        limit,
        g -> {
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
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(limit.charging(buffer))) {
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
   * once, at the first meeting); the second writes, marking the tables met more than once. Both
   * keep their own stack, so any depth the heap can hold prints.
   */
  private static final class Writer {
    private final JsonGenerator g;
    private final IdentityHashMap<Object, Integer> seen = new IdentityHashMap<>();
    private final IdentityHashMap<Object, Integer> ids = new IdentityHashMap<>();

    Writer(JsonGenerator g, Object root) {
      this.g = g;
      count(root);
    }

    private void count(Object root) {
      ArrayDeque<Object> todo = new ArrayDeque<>();
      todo.push(new Object[] {root});
      while (!todo.isEmpty()) {
        for (Object value : items(todo.pop())) {
          if (value instanceof List<?> || value instanceof Map<?, ?>) {
            Integer n = seen.get(value);
            seen.put(value, n == null ? 1 : n + 1);
            if (n == null) {
              todo.push(value);
            }
          }
        }
      }
    }

    private static Iterable<?> items(Object container) {
      if (container instanceof Object[] array) {
        return java.util.Arrays.asList(array);
      } else if (container instanceof List<?> list) {
        return list;
      }
      return members((Map<?, ?>) container).values();
    }

    /** A table being written: what is left of it, and whether it closes a wrapper too. */
    private record Open(java.util.Iterator<?> rest, boolean map, boolean wrapped) {}

    void value(Object root) throws IOException {
      ArrayDeque<Open> open = new ArrayDeque<>();
      write(root, open);
      while (!open.isEmpty()) {
        Open top = open.peek();
        if (!top.rest().hasNext()) {
          open.pop();
          if (top.map()) {
            g.writeEndObject();
          } else {
            g.writeEndArray();
            if (top.wrapped()) {
              g.writeEndObject();
            }
          }
        } else if (top.map()) {
          @SuppressWarnings("unchecked")
          Map.Entry<String, Object> e = (Map.Entry<String, Object>) top.rest().next();
          g.writeFieldName(e.getKey());
          write(e.getValue(), open);
        } else {
          write(top.rest().next(), open);
        }
      }
    }

    /** Writes a scalar or a reference whole; opens a table and pushes it on {@code open}. */
    private void write(Object value, ArrayDeque<Open> open) throws IOException {
      if (value == null) {
        g.writeNull();
      } else if (value instanceof Boolean b) {
        g.writeBoolean(b);
      } else if (value instanceof Long l) {
        g.writeNumber(l);
      } else if (value instanceof BigInteger b) { // a bigint: a number, every digit
        g.writeNumber(b);
      } else if (value instanceof Double d) {
        floating(d);
      } else if (value instanceof String s) {
        g.writeString(s);
      } else if (value instanceof byte[] bytes) {
        g.writeBinary(bytes);
      } else if (value instanceof List<?> || value instanceof Map<?, ?>) {
        table(value, open);
      } else if (value instanceof LuaOpaque opaque) {
        g.writeString(opaque.description());
      } else {
        g.writeString(String.valueOf(value));
      }
    }

    private void table(Object table, ArrayDeque<Open> open) throws IOException {
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
        open.push(new Open(list.iterator(), false, marked));
      } else {
        g.writeStartObject();
        if (marked) {
          g.writeNumberField("$id", id);
        }
        open.push(new Open(members((Map<?, ?>) table).entrySet().iterator(), true, false));
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
