package dev.cu.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Pointer;

/**
 * A state's slots ({@code cu_Slots} in cu.h): the scalars of one crossing, written and read in
 * native memory without CBOR. A call whose arguments are all scalars (null, booleans, integers,
 * floats, strings and byte arrays that fit) puts them here; results that are all scalars come
 * back here. Anything else crosses as CBOR, and {@link #put} says so by returning false.
 *
 * <p>Each crossing uses the slots only between its start and the moment its receiver has read
 * them, and nothing else runs in between; so one block per state serves nested calls too. Not
 * thread-safe: used by the thread that holds the unit.
 */
public final class NativeSlots {
  private static final int MAX = CuLib.CU_SLOTS_MAX;
  private static final int TEXT_MAX = CuLib.CU_SLOTS_TEXT;
  private static final long COUNT = 0;
  private static final long SLOT = 16;
  private static final int SLOT_SIZE = 16;
  private static final long TYPE = 8;
  private static final long LEN = 12;
  private static final long TEXT = SLOT + (long) SLOT_SIZE * MAX;

  /** Strings up to this length cross byte by byte, not through an array copy. */
  private static final int SHORT = 32;

  private final Pointer p;
  private int used;

  NativeSlots(Pointer p) {
    this.p = p;
  }

  /**
   * Writes {@code values} (a null array: one nil) and returns true when all are scalars that fit;
   * otherwise returns false and the slots hold nothing usable.
   */
  public boolean put(Object[] values) {
    if (values == null) {
      return putOne(null);
    }
    int n = values.length;
    if (n > MAX) {
      return false;
    }
    used = 0;
    for (int i = 0; i < n; i++) {
      if (!slot(i, values[i])) {
        return false;
      }
    }
    p.putInt(COUNT, n);
    return true;
  }

  /** {@link #put(Object[])} of {@code count} values, all {@code value} (1 or 2 of them). */
  private boolean put(Object value, int count) {
    used = 0;
    for (int i = 0; i < count; i++) {
      if (!slot(i, value)) {
        return false;
      }
    }
    p.putInt(COUNT, count);
    return true;
  }

  /** Writes one value (a result, a key); false as for {@link #put(Object[])}. */
  public boolean putOne(Object value) {
    return put(value, 1);
  }

  /** Writes two values (a key and a value); false as for {@link #put(Object[])}. */
  public boolean putTwo(Object key, Object value) {
    used = 0;
    if (!slot(0, key) || !slot(1, value)) {
      return false;
    }
    p.putInt(COUNT, 2);
    return true;
  }

  private boolean slot(int i, Object v) {
    long at = SLOT + (long) i * SLOT_SIZE;
    int type;
    long bits = 0;
    int len = 0;
    if (v == null) {
      type = CuLib.CU_SLOT_NIL;
    } else if (v instanceof Boolean b) {
      type = b ? CuLib.CU_SLOT_TRUE : CuLib.CU_SLOT_FALSE;
    } else if (v instanceof Long
        || v instanceof Integer
        || v instanceof Short
        || v instanceof Byte) {
      type = CuLib.CU_SLOT_INT;
      bits = ((Number) v).longValue();
    } else if (v instanceof Double || v instanceof Float) {
      type = CuLib.CU_SLOT_FLOAT;
      bits = Double.doubleToRawLongBits(((Number) v).doubleValue());
    } else if (v instanceof String s) {
      if (s.length() > TEXT_MAX - used) { // a char is at least one byte
        return false;
      }
      type = CuLib.CU_SLOT_TEXT;
      bits = used;
      if (s.length() <= SHORT && ascii(s)) {
        len = s.length();
        used += len;
      } else {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (!text(b)) {
          return false;
        }
        len = b.length;
      }
    } else if (v instanceof byte[] b) {
      if (!text(b)) {
        return false;
      }
      type = CuLib.CU_SLOT_BYTES;
      bits = used - b.length;
      len = b.length;
    } else {
      return false; // tables, handles, objects: CBOR's work
    }
    p.putLong(at, bits);
    p.putInt(at + TYPE, type);
    p.putInt(at + LEN, len);
    return true;
  }

  /**
   * Writes {@code s} at the free text when all its chars are ASCII, byte by byte: for a short
   * string cheaper than encoding it into a new array and copying that over.
   */
  private boolean ascii(String s) {
    long at = TEXT + used;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c > 0x7f) {
        return false;
      }
      p.putByte(at + i, (byte) c);
    }
    return true;
  }

  private boolean text(byte[] b) {
    if (b.length > TEXT_MAX - used) {
      return false;
    }
    p.put(TEXT + used, b, 0, b.length);
    used += b.length;
    return true;
  }

  /** How many values the slots hold, or {@link CuLib#CU_SLOTS_CBOR} when they are CBOR's. */
  public int count() {
    return p.getInt(COUNT);
  }

  /** Whether the last crossing's values are here rather than in the payload. */
  public boolean holdsValues() {
    return p.getInt(COUNT) >= 0;
  }

  /** Value {@code i}: null, Boolean, Long, Double, String or byte[]. */
  public Object get(int i) {
    long at = SLOT + (long) i * SLOT_SIZE;
    int type = p.getInt(at + TYPE);
    return switch (type) {
      case CuLib.CU_SLOT_NIL -> null;
      case CuLib.CU_SLOT_FALSE -> Boolean.FALSE;
      case CuLib.CU_SLOT_TRUE -> Boolean.TRUE;
      case CuLib.CU_SLOT_INT -> p.getLong(at);
      case CuLib.CU_SLOT_FLOAT -> Double.longBitsToDouble(p.getLong(at));
      case CuLib.CU_SLOT_TEXT -> string(at);
      case CuLib.CU_SLOT_BYTES -> bytes(at);
      default -> throw new IllegalStateException("cu: bad slot type " + type);
    };
  }

  private String string(long at) {
    long off = p.getLong(at);
    int len = p.getInt(at + LEN);
    if (len > SHORT || off < 0 || len < 0 || off + len > TEXT_MAX) {
      return new String(bytes(at), StandardCharsets.UTF_8);
    }
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      byte c = p.getByte(TEXT + off + i);
      if (c < 0) { // not ASCII: decoded as UTF-8
        return new String(bytes(at), StandardCharsets.UTF_8);
      }
      b[i] = c;
    }
    return new String(b, StandardCharsets.ISO_8859_1); // ASCII: the same chars, no decoding
  }

  private byte[] bytes(long at) {
    long off = p.getLong(at);
    int len = p.getInt(at + LEN);
    if (off < 0 || len < 0 || off + len > TEXT_MAX) {
      throw new IllegalStateException("cu: slot text out of range");
    }
    byte[] b = new byte[len];
    p.get(TEXT + off, b, 0, len);
    return b;
  }

  /** The last value, or null when there is none. */
  public Object last() {
    int n = count();
    return n <= 0 ? null : get(n - 1);
  }

  /** All values, in a new mutable list. */
  public List<Object> all() {
    int n = count();
    List<Object> values = new ArrayList<>(Math.max(n, 0));
    for (int i = 0; i < n; i++) {
      values.add(get(i));
    }
    return values;
  }
}
