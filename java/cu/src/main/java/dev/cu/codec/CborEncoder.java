package dev.cu.codec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Encodes Java values into cu's CBOR value format (docs/FORMAT.md), the inverse of {@link
 * CborDecoder}: null, Boolean, integral numbers (Long, Integer, Short, Byte, BigInteger, a
 * BigDecimal without digits after the point) as integers, Double, Float and a BigDecimal with
 * digits after the point as float64, CharSequence, Character and Enum as text, byte[] as a byte
 * string, Map as a map (keys of any of these types, so Lua gets {@code 2} and {@code "2"}
 * apart), Collection and arrays as arrays. An integer beyond 64 bits (a BigInteger, a BigDecimal
 * without digits after the point) is a bignum, tag 2 or 3, which Lua reads as a bigint; one that
 * fits in 64 bits is a plain integer. Anything else (records, POJOs, Jackson
 * trees, Optional, java.time) is first converted by Jackson databind into maps, lists and
 * scalars, with the field names and formats that mapper gives it ({@link #defaultMapper} has
 * cu's defaults); types it has no module for are refused with {@link IllegalArgumentException}.
 *
 * <p>Values nested deeper than {@value #MAX_DEPTH} (or that contain themselves) are refused
 * with {@link IllegalArgumentException}.
 */
public final class CborEncoder {
  /** The nesting limit: {@link Cbor#MAX_DEPTH}, shared with the VM. */
  public static final int MAX_DEPTH = Cbor.MAX_DEPTH;

  private final Cbor.Writer out;
  private final ObjectMapper mapper;
  private final ObjectRefs refs;
  private final ToLongFunction<Object> handles;

  /** The mapper that serializes records and POJOs, found at the first one. */
  private ObjectMapper serializer;

  private CborEncoder(ObjectMapper mapper, ValueRefs refs, int capacity) {
    this.out = new Cbor.Writer(capacity);
    this.mapper = mapper;
    this.refs = refs == null ? null : refs.objects();
    this.handles = refs == null ? null : refs.handleOf();
  }

  /**
   * A new mapper with cu's defaults, the one units use unless given their own: {@code Optional},
   * {@code OptionalInt}, {@code OptionalLong} and {@code OptionalDouble} (jackson-datatype-jdk8)
   * become their value, or null (nil) when empty; {@code java.time} values
   * (jackson-datatype-jsr310) become ISO-8601 strings ({@code "2026-12-02T08:30:00Z"}, {@code
   * "PT1H30M"}) and are bound back from them, keeping the offset a string names.
   */
  public static ObjectMapper defaultMapper() {
    return new ObjectMapper()
        .registerModule(new Jdk8Module())
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
  }

  /** Encodes one value. */
  public static byte[] encode(Object value, ObjectMapper mapper) {
    return encode(value, mapper, null);
  }

  /**
   * Encodes one value with what crosses by reference: an object {@code refs} knows crosses as a
   * reference ({@link Cbor#TAG_OBJECT}), wherever it appears among maps, collections and
   * arrays, and a handle of the unit as {@link Cbor#TAG_HANDLE}.
   *
   * @throws IllegalArgumentException when the value cannot be converted (also what {@code refs}
   *     throws for an object or a handle it refuses)
   */
  public static byte[] encode(Object value, ObjectMapper mapper, ValueRefs refs) {
    CborEncoder e = new CborEncoder(mapper, refs, 256);
    e.value(value, 0);
    return e.out.toByteArray();
  }

  /**
   * {@code mapper} as it converts values that hold objects {@code refs} knows (records, POJOs):
   * a copy, kept per mapper, that hands such an object over as it is, so the encoder writes it
   * as a reference and {@code convertValue} keeps it (Jackson binds an embedded object of the
   * target type as itself).
   */
  public static ObjectMapper referencing(ObjectMapper mapper, ObjectRefs refs) {
    return ReferencingMapper.of(mapper, refs.byReference());
  }

  /** Encodes values as one CBOR array (the arguments of a call). */
  public static byte[] encodeArray(Object[] values, ObjectMapper mapper) {
    return encodeArray(values, mapper, null);
  }

  /** Encodes values as one CBOR array, with what crosses by reference as {@link #encode} has it. */
  public static byte[] encodeArray(Object[] values, ObjectMapper mapper, ValueRefs refs) {
    // a few arguments or results are mostly scalars: a small first buffer
    CborEncoder e = new CborEncoder(mapper, refs, values.length <= 4 ? 48 : 256);
    e.out.head(Cbor.MAJOR_ARRAY, values.length);
    for (Object v : values) {
      e.value(v, 1);
    }
    return e.out.toByteArray();
  }

  private void head(int major, long v) {
    out.head(major, v);
  }

  void integer(long v) {
    if (v >= 0) {
      head(Cbor.MAJOR_UINT, v);
    } else {
      head(Cbor.MAJOR_NEGINT, ~v); // -1 - v
    }
  }

  void dbl(double d) {
    out.float64(d);
  }

  private void bytes(int major, byte[] b) {
    head(major, b.length);
    out.raw(b);
  }

  void text(String s) {
    bytes(Cbor.MAJOR_TEXT, s.getBytes(StandardCharsets.UTF_8));
  }

  void textBytes(byte[] utf8) {
    bytes(Cbor.MAJOR_TEXT, utf8);
  }

  void byteString(byte[] b) {
    bytes(Cbor.MAJOR_BYTES, b);
  }

  /**
   * An integer: a plain one when it fits in 64 bits, else tag 2 with its magnitude or tag 3 with
   * {@code -1 - v}, big-endian without leading zero bytes (Lua's bigint).
   */
  void bigInteger(BigInteger v) {
    if (v.bitLength() <= 63) {
      integer(v.longValue());
      return;
    }
    boolean neg = v.signum() < 0;
    byte[] b = (neg ? v.not() : v).toByteArray(); // two's complement: a sign byte may lead
    int skip = b[0] == 0 ? 1 : 0;
    head(Cbor.MAJOR_TAG, neg ? Cbor.TAG_NEGBIGNUM : Cbor.TAG_BIGNUM);
    head(Cbor.MAJOR_BYTES, b.length - skip);
    out.raw(b, skip, b.length - skip);
  }

  /**
   * The largest exponent of a decimal written as an integer ({@code 1E+N}: N at most this).
   * Writing it multiplies by 10^N, which Java computes in time that grows faster than N (0.7 s for
   * N = 10^6, a minute for 10^8), so a decimal of a few bytes cannot ask for that; a BigInteger of any
   * size is written as it is.
   */
  static final int MAX_EXPONENT = 100_000;

  /**
   * A decimal without digits after the point ({@code 12}, {@code 1E+3}: scale <= 0) is an
   * integer, as {@link #bigInteger} writes it; one with digits after the point ({@code 2.5},
   * {@code 1.0}) is the nearest double.
   *
   * @throws IllegalArgumentException when it has more than 2^31 bits (a bigint's most), or an
   *     exponent above {@link #MAX_EXPONENT}; neither is expanded
   */
  void bigDecimal(BigDecimal v) {
    int scale = v.scale();
    if (scale > 0) {
      dbl(v.doubleValue());
    } else if (v.signum() == 0) {
      integer(0); // 0E+999999999 too
    } else if (scale == 0) {
      bigInteger(v.unscaledValue()); // as it is: even its digit count would cost a power of ten
    } else if (v.unscaledValue().bitLength() - scale * LOG2_10 > 0x1p31) { // never expand it
      throw notExpanded(v, "is too large for a Lua bigint (at most 2^31 bits)");
    } else if (-(long) scale > MAX_EXPONENT) {
      throw notExpanded(v, "has an exponent above " + MAX_EXPONENT + " (pass a BigInteger)");
    } else {
      bigInteger(v.unscaledValue().multiply(BigInteger.TEN.pow(-scale)));
    }
  }

  private static final double LOG2_10 = 3.321928094887362;

  /** The refusal of decimal {@code v}: its digits when short, else the start. */
  private static IllegalArgumentException notExpanded(BigDecimal v, String why) {
    String digits =
        v.unscaledValue().bitLength() <= 1024
            ? v.toString()
            : "(" + v.unscaledValue().bitLength() + " bits)E+" + -(long) v.scale();
    return new IllegalArgumentException(
        "integer "
            + (digits.length() <= 40 ? digits : digits.substring(0, 20) + "...")
            + " "
            + why);
  }

  void bool(boolean b) {
    out.initial(b ? Cbor.TRUE : Cbor.FALSE);
  }

  void nil() {
    out.initial(Cbor.NULL);
  }

  /** Any Java value a generator was handed as is (Jackson's embedded objects). */
  void embedded(Object v, int depth) {
    value(v, depth);
  }

  /** Reserves a one-byte container head; {@link #patchHead} writes it. */
  int placeholder() {
    return out.placeholder();
  }

  /**
   * Writes the head of the container that starts at {@code pos} with its item count; a head
   * longer than one byte moves the container's content up.
   */
  void patchHead(int pos, int major, long count) {
    out.patchHead(pos, major, count);
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
    } else if (v instanceof Long
        || v instanceof Integer
        || v instanceof Short
        || v instanceof Byte) {
      integer(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      dbl(((Number) v).doubleValue());
    } else if (v instanceof String s) {
      text(s);
    } else if (v instanceof byte[] b) {
      bytes(Cbor.MAJOR_BYTES, b);
    } else if (refs != null && reference(v)) {
      return; // written as a reference
    } else if (v instanceof Map<?, ?> m) {
      head(Cbor.MAJOR_MAP, m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (e.getKey() == null) {
          throw new IllegalArgumentException(
              "a map key cannot be null (Lua tables have no nil keys)");
        }
        value(e.getKey(), depth + 1);
        value(e.getValue(), depth + 1);
      }
    } else if (v instanceof Collection<?> c) {
      head(Cbor.MAJOR_ARRAY, c.size());
      for (Object o : c) {
        value(o, depth + 1);
      }
    } else if (v instanceof Object[] a) {
      head(Cbor.MAJOR_ARRAY, a.length);
      for (Object o : a) {
        value(o, depth + 1);
      }
    } else if (v instanceof long[] a) { // table ids, host results: no boxing
      head(Cbor.MAJOR_ARRAY, a.length);
      for (long x : a) {
        integer(x);
      }
    } else if (v.getClass().isArray()) {
      int len = Array.getLength(v);
      head(Cbor.MAJOR_ARRAY, len);
      for (int i = 0; i < len; i++) {
        value(Array.get(v, i), depth + 1);
      }
    } else if (v instanceof BigInteger bi) {
      bigInteger(bi);
    } else if (v instanceof BigDecimal bd) {
      bigDecimal(bd);
    } else if (v instanceof CharSequence || v instanceof Character || v instanceof Enum<?>) {
      text(v instanceof Enum<?> e ? e.name() : v.toString());
    } else {
      long ref = handles == null ? -1 : handles.applyAsLong(v);
      if (ref >= 0) {
        out.head(Cbor.MAJOR_TAG, Cbor.TAG_HANDLE);
        integer(ref);
      } else {
        // records, POJOs, JsonNode, java.time values, Optional: Jackson decides their shape
        serialize(v, depth);
      }
    }
  }

  /** Writes {@code v} as a reference when {@code refs} knows it; returns whether it did. */
  private boolean reference(Object v) {
    long[] ref = refs.reference(v);
    if (ref == null) {
      return false;
    }
    out.head(Cbor.MAJOR_TAG, Cbor.TAG_OBJECT);
    out.head(Cbor.MAJOR_ARRAY, 2);
    integer(ref[0]);
    integer(ref[1]);
    return true;
  }

  /**
   * The generator of the last object serialized outside another one, kept for the next at the
   * same depth (the records of a list): a generator between values has no open container and
   * its root context takes any number of values, so one serves them all.
   */
  private CborGenerator idle;

  /** Whether a generator is writing: an object serialized inside one gets its own. */
  private boolean generating;

  /** Serializes {@code v} with the mapper, straight into this buffer. */
  private void serialize(Object v, int depth) {
    if (serializer == null) { // looked up once per encoding, not once per record
      serializer = refs == null ? mapper : ReferencingMapper.of(mapper, refs.byReference());
    }
    ObjectMapper m = serializer;
    boolean outer = !generating;
    CborGenerator g =
        outer && idle != null && idle.baseDepth() == depth - 1
            ? idle
            : new CborGenerator(this, m, depth - 1);
    int start = out.size();
    generating = true;
    try {
      m.writeValue(g, v);
      g.finish();
      if (outer) {
        idle = g;
      }
    } catch (IOException | RuntimeException e) {
      if (outer) {
        idle = null; // it may have containers left open
      }
      out.truncate(start);
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof IllegalArgumentException iae) {
          throw iae;
        }
      }
      throw new IllegalArgumentException(
          "cannot convert " + v.getClass().getName() + ": " + e.getMessage(), e);
    } finally {
      if (outer) {
        generating = false;
      }
    }
  }
}
