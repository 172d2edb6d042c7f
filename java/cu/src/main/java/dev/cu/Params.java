package dev.cu;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.codec.CborDecoder;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * How a Lua argument, as {@link CborDecoder} gives it (null, Boolean, Long, BigInteger for a
 * bigint, Double, String, byte[], List, Map, an exported object), binds to a Java parameter of an exported method.
 * {@link #binder} is the one place that maps a parameter type to its {@link Binder}: a new kind
 * of parameter (a live Lua function or table handle) is one more case there.
 */
final class Params {
  private Params() {}

  /** Binds one argument; throws {@link Mismatch} with Lua's wording when it does not fit. */
  @FunctionalInterface
  interface Binder {
    Object bind(Object value, ObjectMapper mapper);
  }

  /** An argument that does not fit its parameter: the reason, as Lua words it. */
  static final class Mismatch extends RuntimeException {
    Mismatch(String reason) {
      super(reason, null, false, false);
    }
  }

  /** The binder of a parameter of (generic) type {@code type}, resolved once per method. */
  static Binder binder(Type type) {
    Class<?> raw = raw(type);
    boolean generic = type instanceof ParameterizedType;
    if (raw == Object.class) {
      return (v, m) -> v;
    }
    if (raw == LuaTable.class) { // the table itself: objcall sends it as a handle
      return (v, m) -> {
        if (v instanceof LuaTable || v == null) {
          return v;
        }
        throw expected("table", v);
      };
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return (v, m) -> {
        if (v instanceof Boolean || (v == null && raw == Boolean.class)) {
          return v;
        }
        throw expected("boolean", v);
      };
    }
    if (raw == long.class || raw == Long.class) {
      return integer(raw.isPrimitive(), Long.MIN_VALUE, Long.MAX_VALUE, l -> l);
    }
    if (raw == int.class || raw == Integer.class) {
      return integer(raw.isPrimitive(), Integer.MIN_VALUE, Integer.MAX_VALUE, l -> (int) l);
    }
    if (raw == short.class || raw == Short.class) {
      return integer(raw.isPrimitive(), Short.MIN_VALUE, Short.MAX_VALUE, l -> (short) l);
    }
    if (raw == byte.class || raw == Byte.class) {
      return integer(raw.isPrimitive(), Byte.MIN_VALUE, Byte.MAX_VALUE, l -> (byte) l);
    }
    if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
      boolean single = raw == float.class || raw == Float.class;
      return (v, m) -> {
        if (v instanceof Number n) {
          return single ? (Object) n.floatValue() : (Object) n.doubleValue();
        }
        if (v == null && !raw.isPrimitive()) {
          return null;
        }
        throw expected("number", v);
      };
    }
    if (raw == String.class || raw == CharSequence.class) {
      return (v, m) -> {
        if (v instanceof String || v == null) {
          return v;
        }
        throw expected(v instanceof byte[] ? "UTF-8 string" : "string", v);
      };
    }
    if (raw == byte[].class) {
      return (v, m) -> {
        if (v instanceof String s) {
          return s.getBytes(StandardCharsets.UTF_8);
        }
        if (v instanceof byte[] || v == null) {
          return v;
        }
        throw expected("string", v);
      };
    }
    if (!generic && (raw == List.class || raw == Collection.class || raw == Iterable.class)) {
      return (v, m) -> {
        if (v instanceof List || v == null) {
          return v;
        }
        if (v instanceof Map<?, ?> map && map.isEmpty()) {
          return new ArrayList<>(); // {} is an empty sequence too
        }
        throw expected("sequence", v);
      };
    }
    if (!generic && raw == Map.class) {
      return (v, m) -> {
        if (v instanceof Map || v == null) {
          return v;
        }
        if (v instanceof List<?> list) {
          Map<Object, Object> map = new LinkedHashMap<>();
          for (int i = 0; i < list.size(); i++) {
            map.put((long) i + 1, list.get(i));
          }
          return map;
        }
        throw expected("table", v);
      };
    }
    // records, POJOs, enums, generic collections: the unit's mapper, as getOutput(Class) binds
    return (v, m) -> {
      if (v == null) {
        if (raw.isPrimitive()) {
          throw expected("value", null);
        }
        return null;
      }
      if (!generic && raw.isInstance(v)) {
        return v; // an exported object of that type, or a value already of it
      }
      ExportedClass exported = ExportedClass.of(raw); // at the call: a class may take itself
      if (exported != null) {
        throw expected(exported.simpleName(), v);
      }
      if (v instanceof Map<?, ?> map && map.isEmpty() && Collection.class.isAssignableFrom(raw)) {
        v = List.of();
      }
      try {
        JavaType t = m.getTypeFactory().constructType(type);
        return m.convertValue(v, t);
      } catch (IllegalArgumentException e) {
        throw new Mismatch("cannot convert the " + luaType(v)); // Jackson's words stay in Java
      }
    };
  }

  private static Binder integer(boolean primitive, long min, long max, LongFunction<Object> box) {
    return (v, m) -> {
      long l;
      if (v instanceof Long x) {
        l = x;
      } else if (v instanceof BigInteger b) { // a bigint: only when it is in range
        if (b.bitLength() > 63) {
          throw new Mismatch("bigint out of range [" + min + ", " + max + "]");
        }
        l = b.longValue();
      } else if (v instanceof Double d) {
        if (d != Math.floor(d) || d < -0x1p63 || d >= 0x1p63) {
          throw new Mismatch("number has no integer representation");
        }
        l = d.longValue();
      } else if (v == null && !primitive) {
        return null;
      } else {
        throw expected("number", v);
      }
      if (l < min || l > max) {
        throw new Mismatch("number out of range [" + min + ", " + max + "]");
      }
      return box.apply(l);
    };
  }

  private static Mismatch expected(String what, Object v) {
    return new Mismatch(what + " expected, got " + luaType(v));
  }

  /** The Lua type of a decoded value, as Lua's messages name it. */
  static String luaType(Object v) {
    if (v == null) {
      return "nil";
    }
    if (v instanceof Boolean) {
      return "boolean";
    }
    if (v instanceof BigInteger) {
      return "bigint";
    }
    if (v instanceof Number) {
      return "number";
    }
    if (v instanceof String || v instanceof byte[]) {
      return "string";
    }
    if (v instanceof List || v instanceof Map) {
      return "table";
    }
    if (v instanceof LuaOpaque o) {
      return o.type();
    }
    if (v instanceof LuaFunction) {
      return "function";
    }
    if (v instanceof LuaTable) {
      return "table";
    }
    ExportedClass c = ExportedClass.of(v.getClass());
    return c != null ? c.simpleName() : "value";
  }

  private static Class<?> raw(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return Object.class; // type variables, wildcards: whatever Lua gives
  }
}
