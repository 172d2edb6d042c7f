package dev.cu.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One compute's changes to external tables, as the VM sends them: a CBOR array of
 * {@code [tableId, key, value]} where key and value stay encoded (value null means delete).
 */
public final class Delta {
  /** CBOR tag of a table reference: {@code tag(0x63750002) uint}. */
  public static final long TAG_EXTREF = 0x63750002L;

  /**
   * One changed entry.
   *
   * @param table the table id
   * @param key the encoded key
   * @param value the encoded value, or null when the entry is deleted
   */
  public record Change(long table, byte[] key, byte[] value) {}

  private final List<Change> changes;

  private Delta(List<Change> changes) {
    this.changes = changes;
  }

  public List<Change> changes() {
    return changes;
  }

  /**
   * Parses the VM's encoding.
   *
   * @throws CuStoreException when the bytes are not a well-formed delta
   */
  public static Delta parse(byte[] b) {
    try {
      int[] pos = {0};
      long count = expect(b, pos, 4);
      if (count < 0 || count > b.length) {
        throw new CuStoreException("delta count " + Long.toUnsignedString(count)
            + " exceeds its " + b.length + " bytes");
      }
      List<Change> list = new ArrayList<>((int) Math.min(count, 1 << 16));
      for (long i = 0; i < count; i++) {
        if (expect(b, pos, 4) != 3) {
          throw new CuStoreException("delta entry is not a triple");
        }
        long table = expect(b, pos, 0);
        int k = pos[0];
        int v = skip(b, k);
        int end = skip(b, v);
        byte[] value = (end - v == 1 && b[v] == (byte) 0xf6) ? null : Arrays.copyOfRange(b, v, end);
        list.add(new Change(table, Arrays.copyOfRange(b, k, v), value));
        pos[0] = end;
      }
      if (pos[0] != b.length) {
        throw new CuStoreException("trailing bytes after the delta");
      }
      return new Delta(Collections.unmodifiableList(list));
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new CuStoreException("truncated delta", e);
    }
  }

  private static final long[] NO_REFS = new long[0];

  /** CBOR tag of a function reference: {@code tag(0x63750003) uint}. */
  public static final long TAG_FUNCREF = 0x63750003L;
  /** CBOR tag of a function row: {@code tag(0x63750004) [bytecode, upvalues]}. */
  public static final long TAG_FUNCTION = 0x63750004L;
  /** CBOR tag of an upvalue box in a function row. */
  public static final long TAG_BOX = 0x63750006L;

  /**
   * The ids an encoded value keeps alive: a table or function reference, or the upvalue boxes
   * of a function row. Empty for plain values.
   *
   * @throws CuStoreException when a reference is malformed
   */
  public static long[] refsOf(byte[] value) {
    long tag = tagOf(value);
    if (tag == TAG_EXTREF || tag == TAG_FUNCREF) {
      return new long[] {refOf(value, tag)};
    }
    if (tag != TAG_FUNCTION) {
      return NO_REFS;
    }
    try {
      int[] pos = {5};
      if (expect(value, pos, 4) != 2) {
        throw new CuStoreException("malformed function row");
      }
      pos[0] = skip(value, pos[0]);  // the bytecode
      long n = expect(value, pos, 4);
      List<Long> boxes = new ArrayList<>();
      for (long i = 0; i < n; i++) {
        long t = expect(value, pos, 6);
        if (t == TAG_BOX) {
          boxes.add(expect(value, pos, 0));
        } else {
          pos[0] = skip(value, pos[0]);
        }
      }
      return boxes.stream().mapToLong(Long::longValue).toArray();
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new CuStoreException("truncated function row", e);
    }
  }

  private static long tagOf(byte[] value) {
    if (value == null || value.length < 6 || (value[0] & 0xff) != 0xda) {
      return -1;
    }
    return ((value[1] & 0xffL) << 24) | ((value[2] & 0xffL) << 16)
        | ((value[3] & 0xffL) << 8) | (value[4] & 0xffL);
  }

  /** The table id an encoded value refers to, or -1 when it is not a table reference. */
  public static long refOf(byte[] value) {
    return tagOf(value) == TAG_EXTREF ? refOf(value, TAG_EXTREF) : -1;
  }

  private static long refOf(byte[] value, long tag) {
    try {
      int[] pos = {5};
      long id = expect(value, pos, 0);
      if (pos[0] != value.length || id < 0) {
        throw new CuStoreException("malformed table reference");
      }
      return id;
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new CuStoreException("truncated table reference", e);
    }
  }

  /** Reads a head of major type {@code major} at pos[0]; returns its argument. */
  private static long expect(byte[] b, int[] pos, int major) {
    int ib = b[pos[0]++] & 0xff;
    if ((ib >>> 5) != major) {
      throw new CuStoreException("unexpected CBOR major type " + (ib >>> 5) + " in delta");
    }
    return arg(b, pos, ib & 31);
  }

  private static long arg(byte[] b, int[] pos, int ai) {
    if (ai < 24) {
      return ai;
    }
    int n = switch (ai) {
      case 24 -> 1;
      case 25 -> 2;
      case 26 -> 4;
      case 27 -> 8;
      default -> throw new CuStoreException("unsupported CBOR length in delta");
    };
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 8) | (b[pos[0]++] & 0xff);
    }
    return v;
  }

  /** The position just after the CBOR item that starts at {@code p}. */
  static int skip(byte[] b, int p) {
    int[] pos = {p};
    skipItem(b, pos, 0);
    return pos[0];
  }

  private static void skipItem(byte[] b, int[] pos, int depth) {
    if (depth > 512) {
      throw new CuStoreException("delta nested too deeply");
    }
    int ib = b[pos[0]++] & 0xff;
    int major = ib >>> 5;
    long a = arg(b, pos, ib & 31);
    switch (major) {
      case 2, 3 -> {
        if (a < 0 || a > b.length - pos[0]) {
          throw new CuStoreException("string longer than the delta");
        }
        pos[0] += (int) a;
      }
      case 4 -> {
        for (long i = 0; i < a; i++) {
          skipItem(b, pos, depth + 1);
        }
      }
      case 5 -> {
        for (long i = 0; i < 2 * a; i++) {
          skipItem(b, pos, depth + 1);
        }
      }
      case 6 -> skipItem(b, pos, depth + 1);
      default -> { }
    }
  }
}
