package dev.cu.store;

import dev.cu.codec.Cbor;
import dev.cu.codec.CborException;
import java.util.Arrays;

/**
 * The references an encoded row value holds (docs/FORMAT.md): a table reference {@code
 * tag(EXTREF) uint}, a function reference {@code tag(FUNCREF) uint}, or a function row {@code
 * tag(FUNCTION) [bytecode, upvalues]} whose upvalues name boxes by {@code tag(BOX) uint}. Only
 * the value's top item is looked at, as the VM writes rows.
 */
final class Refs {
  private static final long[] NONE = new long[0];

  private Refs() {}

  /** True when {@code value} starts with a tag head (cheap, checks nothing else). */
  private static boolean startsWithTag(byte[] value) {
    return value != null && value.length > 1 && Cbor.major(value[0] & 0xff) == Cbor.MAJOR_TAG;
  }

  /** Reads a tag head; its tag, or -1 when it is truncated or nothing follows it. */
  private static long tag(Cbor.Reader r) {
    try {
      long tag = r.tag();
      return r.atEnd() ? -1 : tag;
    } catch (CborException e) {
      return -1; // a truncated tag head is no reference
    }
  }

  /** The tag of a value that is a tagged item, or -1 (not a tag, or nothing after the head). */
  static long tagOf(byte[] value) {
    return startsWithTag(value) ? tag(new Cbor.Reader(value)) : -1;
  }

  /** The table id {@code value} refers to, or -1 when it is not a table reference. */
  static long table(byte[] value) {
    if (!startsWithTag(value)) {
      return -1;
    }
    Cbor.Reader r = new Cbor.Reader(value);
    return tag(r) == Cbor.TAG_EXTREF ? id(r) : -1;
  }

  /**
   * The ids {@code value} keeps alive: the one it refers to, or the boxes of a function row.
   *
   * @throws CuStoreException when a reference or function row is malformed
   */
  static long[] of(byte[] value) {
    if (!startsWithTag(value)) {
      return NONE;
    }
    Cbor.Reader r = new Cbor.Reader(value);
    long tag = tag(r);
    if (tag == Cbor.TAG_EXTREF || tag == Cbor.TAG_FUNCREF) {
      return new long[] {id(r)};
    }
    return tag == Cbor.TAG_FUNCTION ? boxes(r) : NONE;
  }

  /** The id of a reference: the uint that fills the rest of the value. */
  private static long id(Cbor.Reader r) {
    try {
      long id = r.head(Cbor.MAJOR_UINT);
      if (!r.atEnd() || id < 0) {
        throw new CuStoreException("malformed table reference");
      }
      return id;
    } catch (CborException e) {
      throw new CuStoreException("malformed table reference: " + e.getMessage(), e);
    }
  }

  /** The box ids among the upvalues of a function row. */
  private static long[] boxes(Cbor.Reader r) {
    try {
      if (r.head(Cbor.MAJOR_ARRAY) != 2) {
        throw new CuStoreException("malformed function row");
      }
      r.skip(); // the bytecode
      int n = r.count(r.head(Cbor.MAJOR_ARRAY), 1);
      long[] ids = new long[n];
      int found = 0;
      for (int i = 0; i < n; i++) {
        if (r.tag() == Cbor.TAG_BOX) {
          ids[found++] = r.head(Cbor.MAJOR_UINT);
        } else {
          r.skip();
        }
      }
      return found == n ? ids : Arrays.copyOf(ids, found);
    } catch (CborException e) {
      throw new CuStoreException("malformed function row: " + e.getMessage(), e);
    }
  }

  /**
   * True when tag {@code tag} marks any item of {@code b}, at any depth (a key or value of a map
   * included). Reads at most one item; the caller checks that {@code b} is one well-formed item.
   */
  static boolean holdsTag(byte[] b, long tag) {
    Cbor.Reader r = new Cbor.Reader(b);
    try {
      for (long items = 1; items > 0; items--) { // items still to read, nesting flattened
        int ib = r.next();
        long a = r.argument(ib);
        switch (Cbor.major(ib)) {
          case Cbor.MAJOR_BYTES, Cbor.MAJOR_TEXT -> r.take(a);
          case Cbor.MAJOR_ARRAY -> items += r.count(a, 1);
          case Cbor.MAJOR_MAP -> items += 2L * r.count(a, 2);
          case Cbor.MAJOR_TAG -> {
            if (a == tag) {
              return true;
            }
            items++;
          }
          default -> {}
        }
      }
      return false;
    } catch (CborException e) {
      return false; // not an item: the caller refuses it
    }
  }
}
