package dev.cu.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.ComputeResult;
import dev.cu.ComputeUnit;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What the unit endpoints do with a key's unit: the parsing of their bodies, the work each does
 * on the pool's thread, and the conversion of Lua's values to JSON values.
 */
final class UnitRequests {
  private static final Pattern FUNCTION =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
  private static final int MAX_FUNCTION = 200;

  private final ObjectMapper json;

  UnitRequests(ObjectMapper json) {
    this.json = json;
  }

  /** The body's JSON object, or a 400. */
  JsonNode object(byte[] body) {
    JsonNode n;
    try {
      n = body.length == 0 ? null : json.readTree(body);
    } catch (IOException e) {
      throw badRequest("the body is not JSON");
    }
    if (n == null || !n.isObject()) {
      throw badRequest("the body must be a JSON object");
    }
    return n;
  }

  /** {@code POST compute}: {@code {code, input}} to the work that runs it. */
  Function<ComputeUnit, Map<String, Object>> compute(byte[] body) {
    JsonNode req = object(body);
    JsonNode code = req.get("code");
    if (code == null || !code.isTextual()) {
      throw badRequest("'code' must be a string");
    }
    JsonNode input = req.get("input");
    Object in = input == null || input.isNull() ? null : json.convertValue(input, Object.class);
    String source = code.textValue();
    return unit -> {
      unit.clearIo();
      if (in != null) {
        unit.setInput(in);
      }
      ComputeResult r = unit.execute("compute", source);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("value", plain(r.value()));
      out.put("values", plain(r.values()));
      out.put("output", r.output());
      out.put("io", plain(unit.getOutput()));
      return out;
    };
  }

  /** {@code POST call/{function}}: {@code {args}} to the work that calls it. */
  Function<ComputeUnit, Map<String, Object>> call(String function, byte[] body) {
    if (function.length() > MAX_FUNCTION || !FUNCTION.matcher(function).matches()) {
      throw badRequest("the function must be a Lua name or a dotted path of names");
    }
    JsonNode req = object(body);
    JsonNode args = req.get("args");
    if (args != null && !args.isNull() && !args.isArray()) {
      throw badRequest("'args' must be an array");
    }
    Object[] a =
        args == null || args.isNull() ? new Object[0] : json.convertValue(args, Object[].class);
    return unit -> {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("value", plain(unit.call(function, a)));
      return out;
    };
  }

  /** {@code GET state}: the unit's {@code _home}. */
  Function<ComputeUnit, Map<String, Object>> state() {
    return unit -> {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("home", plain(unit.compute("return _home")));
      return out;
    };
  }

  /**
   * A Lua value as a JSON value: strings that are not UTF-8 (Lua strings are bytes) and values
   * JSON cannot hold (functions, userdata) become text, so a response never fails to encode.
   */
  static Object plain(Object v) {
    if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v;
    } else if (v instanceof byte[] b) {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(b))
            .toString();
      } catch (CharacterCodingException e) {
        return new String(b, StandardCharsets.ISO_8859_1);
      }
    } else if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(plain(o));
      }
      return out;
    } else if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(String.valueOf(plain(e.getKey())), plain(e.getValue()));
      }
      return out;
    }
    return String.valueOf(v);
  }

  static ServeException badRequest(String message) {
    return new ServeException(400, "bad-request", message);
  }
}
