package dev.cu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cu.ComputeResult;
import dev.cu.LuaOpaque;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Converts results to one-line JSON with Jackson. Tables become arrays (a List) or objects (a
 * Map); map keys that are not strings become their string form ({@code 1}, {@code 1.5}, {@code
 * true}, as Lua's {@code tostring}); byte[] (a Lua string that is not UTF-8) becomes base64,
 * Jackson's default; NaN and the infinities become the strings {@code "NaN"}, {@code
 * "Infinity"} and {@code "-Infinity"}; functions, threads and userdata become their {@code
 * tostring} text, e.g. {@code "function: 0x55..."}.
 */
public final class JsonFormat {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = MAPPER.getNodeFactory();

  private JsonFormat() {}

  /** {@code value} as indented JSON. */
  public static String toPrettyJson(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toNode(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code value} as one line of JSON. */
  public static String toJson(Object value) {
    return write(toNode(value));
  }

  /**
   * The {@code --json} line of a run: {@code {"value": last, "values": [all], "output":
   * "printed"}}, with {@code output} the text print wrote.
   */
  public static String result(ComputeResult result) {
    return write(resultNode(result));
  }

  /** The same line with {@code "io": {"output": ioOutput}} added. */
  public static String result(ComputeResult result, Object ioOutput) {
    ObjectNode root = resultNode(result);
    root.putObject("io").set("output", toNode(ioOutput));
    return write(root);
  }

  private static ObjectNode resultNode(ComputeResult result) {
    ObjectNode root = NODES.objectNode();
    root.set("value", toNode(result.value()));
    root.set("values", toNode(result.values()));
    root.put("output", result.output());
    return root;
  }

  /** The JSON tree of a converted Lua value. */
  public static JsonNode toNode(Object value) {
    if (value == null) {
      return NODES.nullNode();
    } else if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    } else if (value instanceof Long l) {
      return NODES.numberNode(l);
    } else if (value instanceof Double d) {
      return floatNode(d);
    } else if (value instanceof String s) {
      return NODES.textNode(s);
    } else if (value instanceof byte[] bytes) {
      return NODES.binaryNode(bytes);
    } else if (value instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode(list.size());
      for (Object item : list) {
        array.add(toNode(item));
      }
      return array;
    } else if (value instanceof Map<?, ?> map) {
      ObjectNode object = NODES.objectNode();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        object.set(key(e.getKey()), toNode(e.getValue()));
      }
      return object;
    } else if (value instanceof LuaOpaque opaque) {
      return NODES.textNode(opaque.description());
    }
    return NODES.textNode(String.valueOf(value));
  }

  private static JsonNode floatNode(double d) {
    if (Double.isNaN(d)) {
      return NODES.textNode("NaN");
    } else if (Double.isInfinite(d)) {
      return NODES.textNode(d > 0 ? "Infinity" : "-Infinity");
    }
    return NODES.numberNode(d);
  }

  private static String key(Object key) {
    if (key instanceof String s) {
      return s;
    } else if (key instanceof Double d) {
      return ValueFormat.number(d);
    } else if (key instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    return String.valueOf(key);
  }

  private static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
