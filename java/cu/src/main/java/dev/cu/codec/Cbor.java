package dev.cu.codec;

import java.util.Arrays;

/**
 * The wire layer of cu's value format (docs/FORMAT.md): every CBOR fact the Java side uses (major
 * types, simple values, initial bytes, tags, the nesting limit), one head writer ({@link Writer})
 * and one head reader ({@link Reader}). The codec and the table stores read and write CBOR only
 * through this class; the tag numbers and {@link #MAX_DEPTH} mirror the C shim's {@code
 * native/src/cu_cbor.h}.
 */
public final class Cbor {
  private Cbor() {}

  /** Major type 0: an unsigned integer. */
  public static final int MAJOR_UINT = 0;

  /** Major type 1: a negative integer, -1 - argument. */
  public static final int MAJOR_NEGINT = 1;

  /** Major type 2: a byte string. */
  public static final int MAJOR_BYTES = 2;

  /** Major type 3: a UTF-8 text string. */
  public static final int MAJOR_TEXT = 3;

  /** Major type 4: an array of argument items. */
  public static final int MAJOR_ARRAY = 4;

  /** Major type 5: a map of argument key/value pairs. */
  public static final int MAJOR_MAP = 5;

  /** Major type 6: a tag (the argument) on the item that follows. */
  public static final int MAJOR_TAG = 6;

  /** Major type 7: simple values and floats. */
  public static final int MAJOR_SIMPLE = 7;

  /** Additional information: a 1-byte argument follows the initial byte. */
  public static final int AI_1 = 24;

  /** Additional information: a 2-byte argument follows. */
  public static final int AI_2 = 25;

  /** Additional information: a 4-byte argument follows. */
  public static final int AI_4 = 26;

  /** Additional information: an 8-byte argument follows. */
  public static final int AI_8 = 27;

  /** Simple value false (additional information of major type 7). */
  public static final int SIMPLE_FALSE = 20;

  /** Simple value true. */
  public static final int SIMPLE_TRUE = 21;

  /** Simple value null (Lua's nil). */
  public static final int SIMPLE_NULL = 22;

  /** Simple value undefined (read as nil). */
  public static final int SIMPLE_UNDEFINED = 23;

  /** Initial byte of false. */
  public static final int FALSE = MAJOR_SIMPLE << 5 | SIMPLE_FALSE;

  /** Initial byte of true. */
  public static final int TRUE = MAJOR_SIMPLE << 5 | SIMPLE_TRUE;

  /** Initial byte of null. */
  public static final int NULL = MAJOR_SIMPLE << 5 | SIMPLE_NULL;

  /** Initial byte of the empty array. */
  public static final int EMPTY_ARRAY = MAJOR_ARRAY << 5;

  /** Initial byte of the empty map. */
  public static final int EMPTY_MAP = MAJOR_MAP << 5;

  /** Initial byte of a half-precision float (2 bytes follow). */
  public static final int FLOAT16 = MAJOR_SIMPLE << 5 | AI_2;

  /** Initial byte of a single-precision float (4 bytes follow). */
  public static final int FLOAT32 = MAJOR_SIMPLE << 5 | AI_4;

  /** Initial byte of a double-precision float (8 bytes follow). */
  public static final int FLOAT64 = MAJOR_SIMPLE << 5 | AI_8;

  /**
   * RFC 8949 unsigned bignum: a byte string, the big-endian magnitude (a Lua bigint; a {@link
   * java.math.BigInteger} beyond 64 bits).
   */
  public static final long TAG_BIGNUM = 2;

  /** RFC 8949 negative bignum: a byte string holding {@code -1 - n}, big-endian. */
  public static final long TAG_NEGBIGNUM = 3;

  /** RFC 8949 value sharing: marks an array or map that {@link #TAG_SHAREDREF} refers to. */
  public static final long TAG_SHAREABLE = 28;

  /** RFC 8949 value sharing: the n-th {@link #TAG_SHAREABLE} item of the value. */
  public static final long TAG_SHAREDREF = 29;

  /** cu: a value Java cannot hold, {@code [type, description]}. */
  public static final long TAG_OPAQUE = 0x63750001L;

  /** cu: a reference to an external table, {@code uint} id. */
  public static final long TAG_EXTREF = 0x63750002L;

  /** cu: a reference to a stored function, {@code uint} id. */
  public static final long TAG_FUNCREF = 0x63750003L;

  /** cu: a function row, {@code [bytecode, upvalues]}. */
  public static final long TAG_FUNCTION = 0x63750004L;

  /** cu: an upvalue of a function row that is the environment, {@code null}. */
  public static final long TAG_ENV = 0x63750005L;

  /** cu: an upvalue of a function row kept in a box, {@code uint} id. */
  public static final long TAG_BOX = 0x63750006L;

  /** cu: a standard or host function stored by name, {@code text}. */
  public static final long TAG_PERMANENT = 0x63750007L;

  /** cu: the key of a table's metatable row, {@code null}. */
  public static final long TAG_META = 0x63750008L;

  /** cu: the key of the row that makes a stored table an array (empty ones too), {@code null}. */
  public static final long TAG_ARRAY = 0x6375000BL;

  /** cu: {@code json.null} as a stored value (a null value deletes a row), {@code null}. */
  public static final long TAG_NULL = 0x6375000CL;

  /**
   * cu: an exported Java object, {@code [uint id, uint class]}: only between Java and Lua (the
   * plain codec), never in a store's rows.
   */
  public static final long TAG_OBJECT = 0x6375000AL;

  /**
   * cu: a handle, {@code unsigned reference}: a Lua value Java holds by reference (a function in
   * results; any handle in values from Java). Never in stored rows.
   */
  public static final long TAG_HANDLE = 0x63750009L;

  /**
   * The deepest nesting of one value, shared with C ({@code CU_MAXDEPTH}): a writer refuses an
   * item more than {@code MAX_DEPTH} levels below the value's top item.
   */
  public static final int MAX_DEPTH = 200;

  /**
   * The deepest item a reader accepts. The VM counts only tables toward {@link #MAX_DEPTH}, wraps
   * several values in one array (results, arguments) and writes a value Java cannot hold as
   * {@link #TAG_OPAQUE} around an array of texts, so the deepest item of what it writes lies 4
   * levels further down.
   */
  static final int READ_DEPTH = MAX_DEPTH + 4;

  /** The major type of initial byte {@code ib} (0 to 255). */
  public static int major(int ib) {
    return ib >>> 5;
  }

  /** The additional information of initial byte {@code ib} (0 to 255). */
  public static int info(int ib) {
    return ib & 31;
  }

  /** The length of the shortest head with argument {@code v} (unsigned). */
  static int headLength(long v) {
    if (v >= 0 && v < AI_1) {
      return 1;
    }
    if (v >= 0 && v <= 0xffff) {
      return v <= 0xff ? 2 : 3;
    }
    return v >= 0 && v <= 0xffffffffL ? 5 : 9;
  }

  /**
   * Writes CBOR into a growing byte array: heads, single initial bytes, floats and raw bytes
   * (items already encoded). Not thread-safe.
   */
  public static final class Writer {
    private byte[] buf;
    private int n;

    /** An empty writer with room for {@code capacity} bytes before it grows. */
    public Writer(int capacity) {
      buf = new byte[Math.max(capacity, 16)];
    }

    /** An empty writer. */
    public Writer() {
      this(64);
    }

    /**
     * Makes room for {@code extra} more bytes.
     *
     * @throws IllegalArgumentException when the content would not fit in one array
     */
    void ensure(int extra) {
      if (buf.length - n < extra) {
        long cap = Math.max((long) buf.length * 2, (long) n + extra);
        if (cap > Integer.MAX_VALUE - 8) {
          throw new IllegalArgumentException("value too large to encode");
        }
        buf = Arrays.copyOf(buf, (int) cap);
      }
    }

    /**
     * Writes the shortest head of major type {@code major} with argument {@code v}; a negative
     * {@code v} stands for an unsigned value above {@link Long#MAX_VALUE} (8 bytes).
     */
    public void head(int major, long v) {
      ensure(9);
      byte[] b = buf;
      int p = n;
      int m = major << 5;
      if (v >= 0 && v < AI_1) {
        b[p++] = (byte) (m | (int) v);
      } else if (v >= 0 && v <= 0xff) {
        b[p++] = (byte) (m | AI_1);
        b[p++] = (byte) v;
      } else if (v >= 0 && v <= 0xffff) {
        b[p++] = (byte) (m | AI_2);
        b[p++] = (byte) (v >>> 8);
        b[p++] = (byte) v;
      } else if (v >= 0 && v <= 0xffffffffL) {
        b[p++] = (byte) (m | AI_4);
        b[p++] = (byte) (v >>> 24);
        b[p++] = (byte) (v >>> 16);
        b[p++] = (byte) (v >>> 8);
        b[p++] = (byte) v;
      } else {
        b[p++] = (byte) (m | AI_8);
        for (int i = 56; i >= 0; i -= 8) {
          b[p++] = (byte) (v >>> i);
        }
      }
      n = p;
    }

    /** Writes one initial byte that is a whole item, such as {@link #NULL} or {@link #TRUE}. */
    public void initial(int ib) {
      ensure(1);
      buf[n++] = (byte) ib;
    }

    /** Writes a double-precision float. */
    public void float64(double d) {
      ensure(9);
      long bits = Double.doubleToRawLongBits(d);
      buf[n++] = (byte) FLOAT64;
      for (int i = 56; i >= 0; i -= 8) {
        buf[n++] = (byte) (bits >>> i);
      }
    }

    /** Appends bytes as they are (an encoded item, or a string's content). */
    public void raw(byte[] b) {
      raw(b, 0, b.length);
    }

    /** Appends {@code b[off, off + len)} as they are. */
    public void raw(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, n, len);
      n += len;
    }

    /** The number of bytes written. */
    public int size() {
      return n;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
      return Arrays.copyOf(buf, n);
    }

    /** Drops the bytes written after the first {@code size}. */
    void truncate(int size) {
      n = size;
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
      int size = headLength(count);
      int end = n;
      if (size > 1) {
        ensure(size - 1);
        System.arraycopy(buf, pos + 1, buf, pos + size, end - pos - 1);
      }
      n = pos;
      head(major, count);
      n = end + size - 1;
    }
  }

  /**
   * Reads CBOR from {@code buf[offset, offset + length)}: heads, byte ranges, and whole items
   * skipped at most {@link #READ_DEPTH} levels deep. It never reads outside its range; every
   * malformed input ends in a {@link CborException}. Not thread-safe.
   */
  public static final class Reader {
    private final byte[] buf;
    private final int end;
    private int pos;

    /** A reader of all of {@code buf}. */
    public Reader(byte[] buf) {
      this(buf, 0, buf.length);
    }

    /** A reader of {@code buf[offset, offset + length)}. */
    public Reader(byte[] buf, int offset, int length) {
      java.util.Objects.checkFromIndexSize(offset, length, buf.length);
      this.buf = buf;
      this.pos = offset;
      this.end = offset + length;
    }

    /** The offset in the buffer of the next byte to read. */
    public int position() {
      return pos;
    }

    /** True when every byte was read. */
    public boolean atEnd() {
      return pos == end;
    }

    /** The number of bytes left. */
    public int remaining() {
      return end - pos;
    }

    /**
     * Reads one initial byte.
     *
     * @return the byte, 0 to 255
     * @throws CborException when no byte is left
     */
    public int next() {
      if (pos >= end) {
        throw new CborException("truncated input");
      }
      return buf[pos++] & 0xff;
    }

    /** The next byte, 0 to 255, without reading it; -1 when no byte is left. */
    int peek() {
      return pos < end ? buf[pos] & 0xff : -1;
    }

    /**
     * Reads the argument of the head whose initial byte {@code ib} was just read: unsigned, so
     * values above {@link Long#MAX_VALUE} come back negative. For major type 7 it is the simple
     * value or the float's bits.
     *
     * @throws CborException for additional information 28 to 31 (reserved, indefinite) or a
     *     truncated argument
     */
    public long argument(int ib) {
      int ai = info(ib);
      if (ai < AI_1) {
        return ai;
      }
      if (ai > AI_8) {
        throw badInfo(ai, pos - 1);
      }
      int len = 1 << (ai - AI_1);
      if (end - pos < len) {
        throw new CborException("truncated input");
      }
      long v = 0;
      for (int i = 0; i < len; i++) {
        v = (v << 8) | (buf[pos++] & 0xff);
      }
      return v;
    }

    /**
     * Reads a head of major type {@code major}; returns its argument (unsigned, see {@link
     * #argument}).
     *
     * @throws CborException when the head is of another major type, or malformed
     */
    public long head(int major) {
      int ib = next();
      if (major(ib) != major) {
        throw badMajor(major, ib, pos - 1);
      }
      return argument(ib);
    }

    /** Reads a tag head; returns the tag number. */
    public long tag() {
      return head(MAJOR_TAG);
    }

    /**
     * Checks that {@code count} items of at least {@code unit} bytes each can follow; returns
     * the count.
     *
     * @throws CborException when they cannot (a count above {@link Long#MAX_VALUE} included)
     */
    public int count(long count, int unit) {
      if (count < 0 || count > (end - pos) / unit) {
        throw tooLong(count);
      }
      return (int) count;
    }

    /**
     * Passes over {@code length} bytes (a string's content); returns the offset where they
     * start.
     *
     * @throws CborException when fewer bytes are left
     */
    public int take(long length) {
      int n = count(length, 1);
      int at = pos;
      pos += n;
      return at;
    }

    /**
     * Passes over one well-formed item (RFC 8949 definite-length items; tags and simple values
     * are not interpreted).
     *
     * @throws CborException when the item is malformed, truncated or nested deeper than {@link
     *     #READ_DEPTH}
     */
    public void skip() {
      skip(0);
    }

    private void skip(int depth) {
      if (depth > READ_DEPTH) {
        throw new CborException("value nested too deeply");
      }
      int ib = next();
      long a = argument(ib);
      switch (major(ib)) {
        case MAJOR_BYTES, MAJOR_TEXT -> take(a);
        case MAJOR_ARRAY -> {
          for (int i = count(a, 1); i > 0; i--) {
            skip(depth + 1);
          }
        }
        case MAJOR_MAP -> {
          for (int i = count(a, 2); i > 0; i--) {
            skip(depth + 1);
            skip(depth + 1);
          }
        }
        case MAJOR_TAG -> skip(depth + 1);
        default -> {} // integers, simple values and floats: the head is the item
      }
    }

    // the messages are built out of line: the readers above stay small enough to inline

    private static CborException badInfo(int ai, int at) {
      return new CborException("unsupported additional info " + ai + " at offset " + at);
    }

    private static CborException badMajor(int major, int ib, int at) {
      return new CborException(
          "expected major type " + major + ", found " + major(ib) + " at offset " + at);
    }

    private static CborException tooLong(long count) {
      return new CborException("length " + Long.toUnsignedString(count) + " exceeds the input");
    }
  }
}
