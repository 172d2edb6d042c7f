package dev.cu.codec;

import dev.cu.LuaOpaque;
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
 * Long, Double, String, byte[], List, Map (insertion-ordered) and {@link LuaOpaque}. Shared
 * values (tags 28/29) decode to the same Java object. {@link #decode} refuses a cycle (a tag 29
 * inside the tag 28 it names), since Java collections that contain themselves break {@code
 * equals} and {@code hashCode}; {@link #decodeGraph} accepts it.
 *
 * <p>Every malformed input ends in a {@link CborException}; nothing is read past the end.
 */
public final class CborDecoder {
  /** cu's tag for values Java cannot hold: [type, description]. */
  public static final long TAG_OPAQUE = 0x63750001L;

  public static final int MAX_DEPTH = 512;
  private static final Object PENDING = new Object();

  private final byte[] buf;
  private final int end;
  private int pos;
  private List<Object> shared;
  private final boolean cycles;

  private CborDecoder(byte[] buf, int offset, int length, boolean cycles) {
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
    this.cycles = cycles;
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
    return decode(data, 0, data.length, true);
  }

  /** Decodes exactly one value that fills {@code data}. */
  public static Object decode(byte[] data) {
    return decode(data, 0, data.length);
  }

  /** Decodes exactly one value that fills {@code data[offset, offset + length)}. */
  public static Object decode(byte[] data, int offset, int length) {
    return decode(data, offset, length, false);
  }

  private static Object decode(byte[] data, int offset, int length, boolean cycles) {
    java.util.Objects.checkFromIndexSize(offset, length, data.length);
    CborDecoder d = new CborDecoder(data, offset, length, cycles);
    Object v = d.read(0);
    if (d.pos != d.end) {
      throw new CborException("trailing bytes after the value at offset " + d.pos);
    }
    return v;
  }

  private int u8() {
    if (pos >= end) {
      throw new CborException("truncated input");
    }
    return buf[pos++] & 0xff;
  }

  /** The argument of a head; unsigned, so values above Long.MAX_VALUE come back negative. */
  private long arg(int ai) {
    if (ai < 24) {
      return ai;
    }
    int n;
    switch (ai) {
      case 24: n = 1; break;
      case 25: n = 2; break;
      case 26: n = 4; break;
      case 27: n = 8; break;
      default: throw new CborException("unsupported additional info " + ai + " at offset " + (pos - 1));
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 8) | u8();
    }
    return v;
  }

  private int length(long n) {
    if (n < 0 || n > end - pos) {
      throw new CborException("length " + Long.toUnsignedString(n) + " exceeds the input");
    }
    return (int) n;
  }

  private Object read(int depth) {
    if (depth > MAX_DEPTH) {
      throw new CborException("value nested too deeply");
    }
    int ib = u8();
    int major = ib >>> 5;
    int ai = ib & 31;
    switch (major) {
      case 0: {
        long v = arg(ai);
        if (v < 0) {
          throw new CborException("integer out of Lua's range");
        }
        return v;
      }
      case 1: {
        long v = arg(ai);
        if (v < 0) {
          throw new CborException("integer out of Lua's range");
        }
        return -1 - v;
      }
      case 2: {
        int n = length(arg(ai));
        byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
      }
      case 3: {
        int n = length(arg(ai));
        String s = utf8(pos, n);
        pos += n;
        return s;
      }
      case 4:
        return fillArray(arg(ai), -1, depth);
      case 5:
        return fillMap(arg(ai), -1, depth);
      case 6:
        return tagged(arg(ai), depth);
      default:
        return simple(ai);
    }
  }

  private List<Object> fillArray(long count, int slot, int depth) {
    int n = length(count);  // every element takes at least one byte
    List<Object> list = new ArrayList<>(Math.min(n, 1024));
    if (slot >= 0 && cycles) {
      shared.set(slot, list);  // before the content: a reference from inside is a cycle
    }
    for (int i = 0; i < n; i++) {
      list.add(read(depth + 1));
    }
    if (slot >= 0 && !cycles) {
      shared.set(slot, list);  // only now: a reference from inside is a cycle
    }
    return list;
  }

  private Map<Object, Object> fillMap(long n, int slot, int depth) {
    if (n < 0 || n > (end - pos) / 2) {
      throw new CborException("map size exceeds the input");
    }
    Map<Object, Object> map = new LinkedHashMap<>((int) Math.min(n * 2, 1024));
    if (slot >= 0 && cycles) {
      shared.set(slot, map);  // before the content: a reference from inside is a cycle
    }
    for (long i = 0; i < n; i++) {
      Object k = read(depth + 1);
      if (k == null) {
        throw new CborException("nil cannot be a table key");
      }
      if (k instanceof List || k instanceof Map) {
        // value-hashing a container key costs time exponential in its sharing
        throw new CborException("an array or map cannot be a map key");
      }
      Object v = read(depth + 1);
      map.put(k, v);
    }
    if (slot >= 0 && !cycles) {
      shared.set(slot, map);  // only now: a reference from inside is a cycle
    }
    return map;
  }

  private Object tagged(long tag, int depth) {
    if (tag == 28) {
      if (shared == null) {
        shared = new ArrayList<>();
      }
      int slot = shared.size();
      shared.add(PENDING);
      int ib = u8();
      int major = ib >>> 5;
      long n = arg(ib & 31);
      if (major == 4) {
        return fillArray(n, slot, depth);
      }
      if (major == 5) {
        return fillMap(n, slot, depth);
      }
      throw new CborException("tag 28 must mark an array or a map");
    }
    if (tag == 29) {
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
      if (v instanceof List<?> l && l.size() == 2 && l.get(0) instanceof String t
          && l.get(1) instanceof String d) {
        return new LuaOpaque(t, d);
      }
      throw new CborException("malformed opaque value");
    }
    throw new CborException("unsupported tag " + Long.toUnsignedString(tag));
  }

  private long readUnsigned() {
    int ib = u8();
    if ((ib >>> 5) != 0) {
      throw new CborException("expected an unsigned integer");
    }
    return arg(ib & 31);
  }

  private Object simple(int ai) {
    switch (ai) {
      case 20: return Boolean.FALSE;
      case 21: return Boolean.TRUE;
      case 22:
      case 23: return null;
      case 25: return half((int) arg(25));
      case 26: return (double) Float.intBitsToFloat((int) arg(26));
      case 27: return Double.longBitsToDouble(arg(27));
      default: throw new CborException("unsupported simple value " + ai);
    }
  }

  private static double half(int h) {
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    double v;
    if (exp == 0) {
      v = mant * Math.pow(2, -24);
    } else if (exp == 31) {
      v = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
    } else {
      v = (1024 + mant) * Math.pow(2, exp - 25);
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
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(buf, off, n))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CborException("text string is not valid UTF-8");
    }
  }
}
