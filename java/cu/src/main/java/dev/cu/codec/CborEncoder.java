package dev.cu.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * Encodes Java values into cu's CBOR value format (docs/FORMAT.md), the inverse of {@link
 * CborDecoder}: null, Boolean, integral numbers (Long, Integer, Short, Byte, BigInteger in
 * range) as integers, Double, Float and BigDecimal as float64, CharSequence, Character and
 * Enum as text, byte[] as a byte string, Map as a map (keys of any of these types, so Lua
 * gets {@code 2} and {@code "2"} apart), Collection and arrays as arrays. Anything else
 * (records, POJOs, Jackson trees) is first converted by Jackson databind into maps, lists and
 * scalars, with the field names and formats that mapper gives it; types it has no module for
 * (Optional, java.time without jackson-datatype modules) are refused with {@link
 * IllegalArgumentException}.
 *
 * <p>Values nested deeper than {@value #MAX_DEPTH} (or that contain themselves) are refused
 * with {@link IllegalArgumentException}.
 */
public final class CborEncoder {
  public static final int MAX_DEPTH = 200;

  private byte[] buf = new byte[256];
  private int n;
  private final ObjectMapper mapper;

  private CborEncoder(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Encodes one value. */
  public static byte[] encode(Object value, ObjectMapper mapper) {
    CborEncoder e = new CborEncoder(mapper);
    e.value(value, 0);
    return Arrays.copyOf(e.buf, e.n);
  }

  /** Encodes values as one CBOR array (the arguments of a call). */
  public static byte[] encodeArray(Object[] values, ObjectMapper mapper) {
    CborEncoder e = new CborEncoder(mapper);
    e.head(4, values.length);
    for (Object v : values) {
      e.value(v, 1);
    }
    return Arrays.copyOf(e.buf, e.n);
  }

  private void ensure(int extra) {
    if (buf.length - n < extra) {
      long cap = Math.max((long) buf.length * 2, (long) n + extra);
      if (cap > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("value too large to encode");
      }
      buf = Arrays.copyOf(buf, (int) cap);
    }
  }

  private void head(int major, long v) {
    ensure(9);
    int m = major << 5;
    if (v >= 0 && v < 24) {
      buf[n++] = (byte) (m | (int) v);
    } else if (v >= 0 && v <= 0xff) {
      buf[n++] = (byte) (m | 24);
      buf[n++] = (byte) v;
    } else if (v >= 0 && v <= 0xffff) {
      buf[n++] = (byte) (m | 25);
      buf[n++] = (byte) (v >>> 8);
      buf[n++] = (byte) v;
    } else if (v >= 0 && v <= 0xffffffffL) {
      buf[n++] = (byte) (m | 26);
      for (int i = 3; i >= 0; i--) {
        buf[n++] = (byte) (v >>> (8 * i));
      }
    } else {  // also unsigned values above Long.MAX_VALUE, given as negative longs
      buf[n++] = (byte) (m | 27);
      for (int i = 7; i >= 0; i--) {
        buf[n++] = (byte) (v >>> (8 * i));
      }
    }
  }

  void integer(long v) {
    if (v >= 0) {
      head(0, v);
    } else {
      head(1, ~v);  // -1 - v
    }
  }

  void dbl(double d) {
    ensure(9);
    long bits = Double.doubleToRawLongBits(d);
    buf[n++] = (byte) 0xfb;
    for (int i = 7; i >= 0; i--) {
      buf[n++] = (byte) (bits >>> (8 * i));
    }
  }

  private void bytes(int major, byte[] b) {
    head(major, b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, n, b.length);
    n += b.length;
  }

  void text(String s) {
    bytes(3, s.getBytes(StandardCharsets.UTF_8));
  }

  void textBytes(byte[] utf8) {
    bytes(3, utf8);
  }

  void byteString(byte[] b) {
    bytes(2, b);
  }

  void bool(boolean b) {
    ensure(1);
    buf[n++] = (byte) (b ? 0xf5 : 0xf4);
  }

  void nil() {
    ensure(1);
    buf[n++] = (byte) 0xf6;
  }

  /** Any Java value a generator was handed as is (Jackson's embedded objects). */
  void embedded(Object v, int depth) {
    value(v, depth);
  }

  /** Reserves a one-byte container head; {@link #patchHead} writes it. */
  int placeholder() {
    ensure(1);
    return n++;
  }

  /**
   * Writes the head of the container that starts at {@code pos} with its item count; a head
   * longer than one byte moves the container's content up.
   */
  void patchHead(int pos, int major, long count) {
    int size = count < 24 ? 1 : count <= 0xff ? 2 : count <= 0xffff ? 3
        : count <= 0xffffffffL ? 5 : 9;
    int end = n;
    if (size > 1) {
      ensure(size - 1);
      System.arraycopy(buf, pos + 1, buf, pos + size, end - pos - 1);
    }
    n = pos;
    head(major, count);
    n = end + size - 1;
  }


  private void value(Object v, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "value nested too deeply (more than " + MAX_DEPTH + " levels, or it contains itself)");
    }
    if (v == null) {
      nil();
    } else if (v instanceof Boolean b) {
      bool(b);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short
        || v instanceof Byte) {
      integer(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      dbl(((Number) v).doubleValue());
    } else if (v instanceof String s) {
      text(s);
    } else if (v instanceof byte[] b) {
      bytes(2, b);
    } else if (v instanceof Map<?, ?> m) {
      head(5, m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (e.getKey() == null) {
          throw new IllegalArgumentException("a map key cannot be null (Lua tables have no nil keys)");
        }
        value(e.getKey(), depth + 1);
        value(e.getValue(), depth + 1);
      }
    } else if (v instanceof Collection<?> c) {
      head(4, c.size());
      for (Object o : c) {
        value(o, depth + 1);
      }
    } else if (v instanceof Object[] a) {
      head(4, a.length);
      for (Object o : a) {
        value(o, depth + 1);
      }
    } else if (v instanceof long[] a) {  // table ids, host results: no boxing
      head(4, a.length);
      for (long x : a) {
        integer(x);
      }
    } else if (v.getClass().isArray()) {
      int len = Array.getLength(v);
      head(4, len);
      for (int i = 0; i < len; i++) {
        value(Array.get(v, i), depth + 1);
      }
    } else if (v instanceof BigInteger bi) {
      if (bi.bitLength() > 63) {
        throw new IllegalArgumentException("integer " + bi + " is outside Lua's 64-bit range");
      }
      integer(bi.longValue());
    } else if (v instanceof BigDecimal bd) {
      dbl(bd.doubleValue());
    } else if (v instanceof CharSequence || v instanceof Character || v instanceof Enum<?>) {
      text(v instanceof Enum<?> e ? e.name() : v.toString());
    } else {
      // records, POJOs, JsonNode, java.time values, Optional: Jackson decides their shape
      serialize(v, depth);
    }
  }

  /** Serializes {@code v} with the mapper, straight into this buffer. */
  private void serialize(Object v, int depth) {
    CborGenerator g = new CborGenerator(this, mapper, depth - 1);
    int start = n;
    try {
      mapper.writeValue(g, v);
      g.finish();
    } catch (IOException | RuntimeException e) {
      n = start;
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof IllegalArgumentException iae) {
          throw iae;
        }
      }
      throw new IllegalArgumentException(
          "cannot convert " + v.getClass().getName() + ": " + e.getMessage(), e);
    }
  }
}
