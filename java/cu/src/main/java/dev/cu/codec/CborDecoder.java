package dev.cu.codec;

import dev.cu.LuaOpaque;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes cu's CBOR value format (docs/FORMAT.md) into plain Java values: null, Boolean,
 * Long, BigInteger (tags 2 and 3, a Lua bigint, whatever its size), Double, String, byte[],
 * List, Map (insertion-ordered) and {@link LuaOpaque}. Shared
 * values (tags 28/29) decode to the same Java object. {@link #decode} refuses a cycle (a tag 29
 * inside the tag 28 it names), since Java collections that contain themselves break {@code
 * equals} and {@code hashCode}; {@link #decodeGraph} accepts it.
 *
 * <p>Every malformed input ends in a {@link CborException}; nothing is read past the end.
 */
public final class CborDecoder {
  /** cu's tag for values Java cannot hold: [type, description]. */
  public static final long TAG_OPAQUE = Cbor.TAG_OPAQUE;

  /**
   * The nesting limit of values, {@link Cbor#MAX_DEPTH}, shared with the VM. The decoder accepts
   * what the VM writes at that limit, whose deepest items lie a few levels further down (it
   * counts tables only); anything much deeper is refused.
   */
  public static final int MAX_DEPTH = Cbor.MAX_DEPTH;

  private static final Object PENDING = new Object();

  /** Makes the Java object of a {@link Cbor#TAG_HANDLE} item (a Lua value held by reference). */
  @FunctionalInterface
  public interface HandleFactory {
    /** The object for reference {@code ref}, which Lua's {@code tostring} calls {@code description}. */
    Object handle(long ref, String description);
  }

  private final byte[] buf;
  private final Cbor.Reader in;
  private List<Object> shared;
  private final boolean cycles;
  private final ObjectRefs refs;
  private final HandleFactory handles;

  private CborDecoder(byte[] buf, int offset, int length, boolean cycles, ValueRefs refs) {
    this.buf = buf;
    this.in = new Cbor.Reader(buf, offset, length);
    this.cycles = cycles;
    this.refs = refs == null ? null : refs.objects();
    this.handles = refs == null ? null : refs.handles();
  }

  /**
   * Decodes exactly one value that fills {@code data}, like {@link #decode(byte[])}, but a tag
   * 29 may name the tag 28 it is inside of: the List or Map it marks then contains itself. The
   * caller must walk such values by identity ({@code equals}, {@code hashCode} and {@code
   * toString} of a collection that contains itself recurse without end).
   *
   * @throws CborException when {@code data} is not exactly one valid value
   */
  public static Object decodeGraph(byte[] data) {
    return decode(data, 0, data.length, true, null);
  }

  /**
   * Like {@link #decodeGraph(byte[])} (with {@code cycles}) or {@link #decode(byte[])}, with what
   * crosses by reference: each object reference ({@link Cbor#TAG_OBJECT}) becomes the object
   * {@code refs} gives for it (without objects, the {@link LuaOpaque} {@code ("userdata", "Java
   * object")}), and each {@link Cbor#TAG_HANDLE} item what {@code refs} makes of its reference
   * (without handles, such an item is refused).
   *
   * @throws CborException when {@code data} is not exactly one valid value, or {@code refs}
   *     knows no object of a reference
   */
  public static Object decode(byte[] data, boolean cycles, ValueRefs refs) {
    return decode(data, 0, data.length, cycles, refs);
  }

  /** Decodes exactly one value that fills {@code data}. */
  public static Object decode(byte[] data) {
    return decode(data, 0, data.length);
  }

  /** Decodes exactly one value that fills {@code data[offset, offset + length)}. */
  public static Object decode(byte[] data, int offset, int length) {
    return decode(data, offset, length, false, null);
  }

  private static Object decode(
      byte[] data, int offset, int length, boolean cycles, ValueRefs refs) {
    CborDecoder d = new CborDecoder(data, offset, length, cycles, refs);
    Object v = d.read(0);
    if (!d.in.atEnd()) {
      throw new CborException("trailing bytes after the value at offset " + d.in.position());
    }
    return v;
  }

  private Object read(int depth) {
    if (depth > Cbor.READ_DEPTH) {
      throw new CborException("value nested too deeply");
    }
    int ib = in.next();
    switch (Cbor.major(ib)) {
      case Cbor.MAJOR_UINT:
        {
          long v = in.argument(ib);
          if (v < 0) {
            throw new CborException("integer out of Lua's range");
          }
          return v;
        }
      case Cbor.MAJOR_NEGINT:
        {
          long v = in.argument(ib);
          if (v < 0) {
            throw new CborException("integer out of Lua's range");
          }
          return -1 - v;
        }
      case Cbor.MAJOR_BYTES:
        {
          long n = in.argument(ib);
          int at = in.take(n);
          return Arrays.copyOfRange(buf, at, in.position());
        }
      case Cbor.MAJOR_TEXT:
        {
          long n = in.argument(ib);
          int at = in.take(n);
          return utf8(at, in.position() - at);
        }
      case Cbor.MAJOR_ARRAY:
        return fillArray(in.argument(ib), -1, depth);
      case Cbor.MAJOR_MAP:
        return fillMap(in.argument(ib), -1, depth);
      case Cbor.MAJOR_TAG:
        return tagged(in.argument(ib), depth);
      default:
        return simple(ib);
    }
  }

  private List<Object> fillArray(long count, int slot, int depth) {
    int n = in.count(count, 1); // every element takes at least one byte
    List<Object> list = new ArrayList<>(Math.min(n, 1024));
    if (slot >= 0 && cycles) {
      shared.set(slot, list); // before the content: a reference from inside is a cycle
    }
    for (int i = 0; i < n; i++) {
      list.add(read(depth + 1));
    }
    if (slot >= 0 && !cycles) {
      shared.set(slot, list); // only now: a reference from inside is a cycle
    }
    return list;
  }

  private Map<Object, Object> fillMap(long n, int slot, int depth) {
    if (n < 0 || n > in.remaining() / 2) {
      throw new CborException("map size exceeds the input");
    }
    Map<Object, Object> map = new LinkedHashMap<>((int) Math.min(n * 2, 1024));
    if (slot >= 0 && cycles) {
      shared.set(slot, map); // before the content: a reference from inside is a cycle
    }
    for (long i = 0; i < n; i++) {
      Object k = key(depth);
      Object v = read(depth + 1);
      int size = map.size();
      map.put(k, v);
      if (map.size() == size) {
        // Lua keeps two bigints of one value apart (two userdata); Java's equal keys would merge
        throw new CborException("a map has the key " + k + " twice");
      }
    }
    if (slot >= 0 && !cycles) {
      shared.set(slot, map); // only now: a reference from inside is a cycle
    }
    return map;
  }

  /**
   * Map keys repeat (the field names of records): a text key of at most {@link #KEY_MAX} bytes
   * (its length in its head's one byte) is looked up in a cache of {@link #KEYS} strings, by its bytes, before it is decoded again, so
   * equal keys share one String (and its hash). The cache is made at the {@link #KEY_START}-th
   * such key, so a small value does not pay for it.
   */
  private static final int KEY_MAX = Cbor.AI_1 - 1;

  private static final int KEYS = 64;
  private static final int KEY_START = 32;

  private byte[][] keyBytes;
  private String[] keyStrings;
  private int shortKeys;

  /** A map key: any item but nil, an array or a map. */
  private Object key(int depth) {
    int ib = in.peek();
    int len = Cbor.info(ib);
    if (ib >= 0 && Cbor.major(ib) == Cbor.MAJOR_TEXT && len <= KEY_MAX && len < in.remaining()) {
      in.next();
      return shortKey(in.position(), len);
    }
    Object k = read(depth + 1);
    if (k == null) {
      throw new CborException("nil cannot be a table key");
    }
    if (k instanceof List || k instanceof Map) {
      // value-hashing a container key costs time exponential in its sharing
      throw new CborException("an array or map cannot be a map key");
    }
    return k;
  }

  /** The text key of {@code len} bytes at {@code at} (past its one-byte head), all in the input. */
  private String shortKey(int at, int len) {
    in.take(len);
    if (keyStrings == null) {
      if (++shortKeys == KEY_START) {
        keyBytes = new byte[KEYS][];
        keyStrings = new String[KEYS];
      }
      return utf8(at, len);
    }
    int h = len;
    if (len > 0) {
      h = h * 31 + buf[at] * 7 + buf[at + len / 2] * 3 + buf[at + len - 1];
    }
    h &= KEYS - 1;
    byte[] b = keyBytes[h];
    if (b != null && Arrays.equals(b, 0, b.length, buf, at, at + len)) {
      return keyStrings[h];
    }
    String k = utf8(at, len);
    keyBytes[h] = Arrays.copyOfRange(buf, at, at + len);
    keyStrings[h] = k;
    return k;
  }

  private Object tagged(long tag, int depth) {
    if (tag == Cbor.TAG_BIGNUM || tag == Cbor.TAG_NEGBIGNUM) {
      int ib = in.next();
      if (Cbor.major(ib) != Cbor.MAJOR_BYTES) {
        throw new CborException("tags 2 and 3 need a byte string");
      }
      int at = in.take(in.argument(ib));
      BigInteger n =
          at == in.position()
              ? BigInteger.ZERO
              : new BigInteger(1, buf, at, in.position() - at); // leading zero bytes are fine
      return tag == Cbor.TAG_BIGNUM ? n : n.not(); // -1 - n
    }
    if (tag == Cbor.TAG_SHAREABLE) {
      if (shared == null) {
        shared = new ArrayList<>();
      }
      int slot = shared.size();
      shared.add(PENDING);
      int ib = in.next();
      int major = Cbor.major(ib);
      long n = in.argument(ib);
      if (major == Cbor.MAJOR_ARRAY) {
        return fillArray(n, slot, depth);
      }
      if (major == Cbor.MAJOR_MAP) {
        return fillMap(n, slot, depth);
      }
      throw new CborException("tag 28 must mark an array or a map");
    }
    if (tag == Cbor.TAG_SHAREDREF) {
      long idx = readUnsigned();
      if (shared == null || idx < 0 || idx >= shared.size()) {
        throw new CborException("shared reference " + idx + " is not defined");
      }
      Object v = shared.get((int) idx);
      if (v == PENDING) {
        throw new CborException("cannot convert a table that contains itself (cycle)");
      }
      return v;
    }
    if (tag == TAG_OPAQUE) {
      Object v = read(depth + 1);
      if (v instanceof List<?> l
          && l.size() == 2
          && l.get(0) instanceof String t
          && l.get(1) instanceof String d) {
        return new LuaOpaque(t, d);
      }
      throw new CborException("malformed opaque value");
    }
    if (tag == Cbor.TAG_OBJECT) {
      int ib = in.next();
      if (Cbor.major(ib) != Cbor.MAJOR_ARRAY || in.argument(ib) != 2) {
        throw new CborException("an object reference needs [id, class]");
      }
      long id = readUnsigned();
      long cls = readUnsigned();
      if (id <= 0 || cls < 0) {
        throw new CborException("object reference out of range");
      }
      return refs == null ? new LuaOpaque("userdata", "Java object") : refs.object(id, cls);
    }
    if (tag == Cbor.TAG_HANDLE && handles != null) {
      Object v = read(depth + 1);
      if (v instanceof List<?> l
          && l.size() == 2
          && l.get(0) instanceof Long ref
          && ref > 0
          && ref <= Integer.MAX_VALUE
          && l.get(1) instanceof String d) {
        return handles.handle(ref, d);
      }
      throw new CborException("malformed handle");
    }
    throw new CborException("unsupported tag " + Long.toUnsignedString(tag));
  }

  private long readUnsigned() {
    int ib = in.next();
    if (Cbor.major(ib) != Cbor.MAJOR_UINT) {
      throw new CborException("expected an unsigned integer");
    }
    return in.argument(ib);
  }

  private Object simple(int ib) {
    int ai = Cbor.info(ib);
    switch (ai) {
      case Cbor.SIMPLE_FALSE:
        return Boolean.FALSE;
      case Cbor.SIMPLE_TRUE:
        return Boolean.TRUE;
      case Cbor.SIMPLE_NULL:
      case Cbor.SIMPLE_UNDEFINED:
        return null;
      case Cbor.AI_2:
        return half((int) in.argument(ib));
      case Cbor.AI_4:
        return (double) Float.intBitsToFloat((int) in.argument(ib));
      case Cbor.AI_8:
        return Double.longBitsToDouble(in.argument(ib));
      default:
        throw new CborException("unsupported simple value " + ai);
    }
  }

  /** A half-precision float's value: exact, since every half is a float. */
  private static double half(int h) {
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    double v;
    if (exp == 0) {
      v = mant * 0x1p-24; // subnormal: a multiple of 2^-24, exact in a double
    } else if (exp == 31) {
      v = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
    } else { // the float with the same sign-less bits, its exponent rebased from 15 to 127
      v = Float.intBitsToFloat(((exp + 112) << 23) | (mant << 13));
    }
    return (h & 0x8000) != 0 ? -v : v;
  }

  private String utf8(int off, int n) {
    // ASCII fast path: the common case for keys and short strings
    boolean ascii = true;
    for (int i = off; i < off + n; i++) {
      if (buf[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(buf, off, n, StandardCharsets.ISO_8859_1);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(buf, off, n))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CborException("text string is not valid UTF-8");
    }
  }
}
