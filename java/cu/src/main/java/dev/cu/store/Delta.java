package dev.cu.store;

import dev.cu.codec.Cbor;
import dev.cu.codec.CborException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One compute's changes to external tables, as the VM sends them: a CBOR array of
 * {@code [tableId, key, value]} where key and value stay encoded (value null means delete).
 * A delta is parsed from the VM's bytes ({@link #parse}) or built from changes ({@link #of}),
 * and {@link #encode}s back to that form.
 */
public final class Delta {
  /** CBOR tag of a table reference, {@code tag uint}: {@link Cbor#TAG_EXTREF}. */
  public static final long TAG_EXTREF = Cbor.TAG_EXTREF;

  /** The delta without changes. */
  public static final Delta EMPTY = new Delta(List.of());

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

  /** The changes in order; the list cannot be modified. */
  public List<Change> changes() {
    return changes;
  }

  /**
   * The ids each change's value keeps alive ({@link #refsOf}), change by change, after checking
   * every change: a store calls it before it changes anything, so that a bad delta fails whole.
   *
   * @throws CuStoreException when a change's table id is above 2^63-1 or a value holds a
   *     malformed reference
   */
  long[][] checkedRefs() {
    long[][] refs = new long[changes.size()][];
    for (int i = 0; i < refs.length; i++) {
      Change c = changes.get(i);
      if (c.table() < 0) {
        throw new CuStoreException("table id out of range: " + Long.toUnsignedString(c.table()));
      }
      refs[i] = refsOf(c.value());
    }
    return refs;
  }

  /**
   * A delta of the given changes, in order. A value that encodes nil is a deletion, as in
   * {@link #parse}: the change holds null for it.
   *
   * @throws IllegalArgumentException when a change's key is not exactly one CBOR item, or its
   *     value is neither null nor exactly one item
   */
  public static Delta of(List<Change> changes) {
    List<Change> list = new ArrayList<>(changes.size());
    for (Change c : changes) {
      if (!StoreBytes.isOneItem(c.key())) {
        throw new IllegalArgumentException(
            "the key of a change to table "
                + Long.toUnsignedString(c.table())
                + " is not one CBOR item");
      }
      byte[] value = c.value();
      if (value != null && !StoreBytes.isOneItem(value)) {
        throw new IllegalArgumentException(
            "the value of a change to table "
                + Long.toUnsignedString(c.table())
                + " is not one CBOR item");
      }
      list.add(
          isNil(value, 0, value == null ? 0 : value.length)
              ? new Change(c.table(), c.key(), null)
              : c);
    }
    return list.isEmpty() ? EMPTY : new Delta(Collections.unmodifiableList(list));
  }

  /**
   * A delta of changes whose keys and values are already known to be single CBOR items, with
   * deletions as null (the rows of parsed or built deltas): nothing is checked again.
   */
  static Delta ofChecked(List<Change> changes) {
    return changes.isEmpty() ? EMPTY : new Delta(Collections.unmodifiableList(changes));
  }

  private static boolean isNil(byte[] b, int from, int to) {
    return to - from == 1 && (b[from] & 0xff) == Cbor.NULL;
  }

  /**
   * The VM's encoding of this delta, which {@link #parse} reads back: shortest heads, a deletion
   * as a nil value.
   */
  public byte[] encode() {
    Cbor.Writer w = new Cbor.Writer(16 + 16 * changes.size());
    w.head(Cbor.MAJOR_ARRAY, changes.size());
    for (Change c : changes) {
      w.head(Cbor.MAJOR_ARRAY, 3);
      w.head(Cbor.MAJOR_UINT, c.table());
      w.raw(c.key());
      if (c.value() == null) {
        w.initial(Cbor.NULL);
      } else {
        w.raw(c.value());
      }
    }
    return w.toByteArray();
  }

  /**
   * Parses the VM's encoding.
   *
   * @throws CuStoreException when the bytes are not a well-formed delta
   */
  public static Delta parse(byte[] b) {
    try {
      Cbor.Reader r = new Cbor.Reader(b);
      long count = r.head(Cbor.MAJOR_ARRAY);
      if (count < 0 || count > b.length) {
        throw new CuStoreException(
            "delta count " + Long.toUnsignedString(count) + " exceeds its " + b.length + " bytes");
      }
      List<Change> list = new ArrayList<>((int) Math.min(count, 1 << 16));
      for (long i = 0; i < count; i++) {
        if (r.head(Cbor.MAJOR_ARRAY) != 3) {
          throw new CuStoreException("delta entry is not a triple");
        }
        long table = r.head(Cbor.MAJOR_UINT);
        int k = r.position();
        r.skip();
        int v = r.position();
        r.skip();
        int end = r.position();
        byte[] value = isNil(b, v, end) ? null : Arrays.copyOfRange(b, v, end);
        list.add(new Change(table, Arrays.copyOfRange(b, k, v), value));
      }
      if (!r.atEnd()) {
        throw new CuStoreException("trailing bytes after the delta");
      }
      return new Delta(Collections.unmodifiableList(list));
    } catch (CborException e) {
      throw new CuStoreException("malformed delta: " + e.getMessage(), e);
    }
  }

  /** CBOR tag of a function reference, {@code tag uint}: {@link Cbor#TAG_FUNCREF}. */
  public static final long TAG_FUNCREF = Cbor.TAG_FUNCREF;

  /** CBOR tag of a function row, {@code tag [bytecode, upvalues]}: {@link Cbor#TAG_FUNCTION}. */
  public static final long TAG_FUNCTION = Cbor.TAG_FUNCTION;

  /** CBOR tag of an upvalue box in a function row: {@link Cbor#TAG_BOX}. */
  public static final long TAG_BOX = Cbor.TAG_BOX;

  /**
   * The ids an encoded value keeps alive: a table or function reference, or the upvalue boxes
   * of a function row. Empty for plain values.
   *
   * @throws CuStoreException when a reference is malformed
   */
  public static long[] refsOf(byte[] value) {
    return Refs.of(value);
  }

  /** The table id an encoded value refers to, or -1 when it is not a table reference. */
  public static long refOf(byte[] value) {
    return Refs.table(value);
  }
}
