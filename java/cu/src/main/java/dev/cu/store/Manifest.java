package dev.cu.store;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Txn;

/**
 * The manifest of a table: how many rows it has and a digest over them, stored in the meta DBI
 * as {@code 'P' ns 'm' table u64 -> count u64 | digest u64} (absent = no rows). The digest is the
 * sum (mod 2^64) over the table's rows of a 64-bit mix of CRC32C(LMDB key) and the row's stored
 * CRC32C, so it changes when a row is added, lost, rewritten or its key damaged, and can be
 * updated per row. A load compares the rows it found with the manifest: a row that vanished
 * (its key damaged so that it sorts into another table, or a page lost) fails loudly instead of
 * giving a smaller table. Commits keep manifests current inside their write transaction.
 */
final class Manifest {
  static final char TYPE = 'm';
  private static final int SIZE = 16;

  private Manifest() {}

  /** The digest term of one row: {@code lk} its LMDB key, {@code stored} its stored value. */
  static long term(byte[] lk, byte[] stored) {
    return term(keyCrc(lk), stored);
  }

  /** CRC32C of LMDB key {@code lk}, the key's part of {@link #term}. */
  static long keyCrc(byte[] lk) {
    CRC32C c = new CRC32C();
    c.update(lk, 0, lk.length);
    return c.getValue();
  }

  /** The digest term of a row whose LMDB key has CRC32C {@code keyCrc} ({@link #keyCrc}). */
  static long term(long keyCrc, byte[] stored) {
    long x = (keyCrc << 32) | (StoreBytes.getU32(stored, 1) & 0xffffffffL);
    x ^= x >>> 33; // a 64-bit finalizer (MurmurHash3's fmix64): every input bit moves the sum
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return x;
  }

  static byte[] key(int ns, long table) {
    return Meta.nsKey(ns, TYPE, StoreBytes.u64(table));
  }

  /** {count, digest} of table {@code table}, or {0, 0} when it has no manifest. */
  static long[] read(Dbi<byte[]> meta, Txn<byte[]> txn, int ns, long table) {
    byte[] k = key(ns, table);
    byte[] p = Meta.get(meta, txn, k);
    if (p == null) {
      return new long[] {0, 0};
    }
    if (p.length != SIZE) {
      throw new CuStateException(
          "corrupt meta record ("
              + Meta.describe(k)
              + "): "
              + p.length
              + " bytes where "
              + SIZE
              + " belong");
    }
    return new long[] {StoreBytes.getU64(p, 0), StoreBytes.getU64(p, 8)};
  }

  /** Adds the manifest record of {@code table} to {@code out}: absent when it has no rows. */
  static void write(Meta.Batch out, int ns, long table, long count, long digest) {
    if (count == 0 && digest == 0) {
      out.delete(key(ns, table));
      return;
    }
    byte[] p = new byte[SIZE];
    StoreBytes.putU64(p, 0, count);
    StoreBytes.putU64(p, 8, digest);
    out.put(key(ns, table), p);
  }

  /**
   * Compares what a scan of table {@code table} found with its manifest.
   *
   * @throws CuStateException naming the table when they differ
   */
  static void check(String nsName, long table, long count, long digest, long[] manifest) {
    if (count == manifest[0] && digest == manifest[1]) {
      return;
    }
    throw new CuStateException(
        "corrupt table (namespace "
            + nsName
            + ", table "
            + table
            + "): "
            + (count == manifest[0]
                ? "its rows do not match its manifest (a key is damaged)"
                : count
                    + " rows found where its manifest lists "
                    + manifest[0]
                    + " (rows lost, or keys damaged)"));
  }

  /** Manifest changes of one write transaction, applied at its end. */
  static final class Changes {
    private final int ns;

    /** table -> its place in the arrays below, plus one. */
    private final LongCounts places = new LongCounts();

    /** The changed tables, in the order met. */
    private long[] tables = new long[16];

    /** Per place: count delta, digest delta, 1 when the stored manifest is to be ignored. */
    private long[] deltas = new long[48];

    private int size;

    Changes(int ns) {
      this.ns = ns;
    }

    /** The offset in {@link #deltas} of {@code table}'s three values, made when missing. */
    private int of(long table) {
      int place = (int) places.get(table) - 1;
      if (place < 0) {
        if (size == tables.length) {
          tables = Arrays.copyOf(tables, size * 2);
          deltas = Arrays.copyOf(deltas, size * 6);
        }
        place = size++;
        tables[place] = table;
        places.put(table, place + 1);
      }
      return 3 * place;
    }

    void add(long table, byte[] lk, byte[] stored) {
      int d = of(table);
      deltas[d]++;
      deltas[d + 1] += term(lk, stored);
    }

    void remove(long table, byte[] lk, byte[] stored) {
      int d = of(table);
      deltas[d]--;
      deltas[d + 1] -= term(lk, stored);
    }

    /**
     * Row {@code lk} of {@code table} is rewritten: {@code oldStored} replaced by {@code stored}
     * (as {@link #remove} then {@link #add}, the key's CRC computed once).
     */
    void replace(long table, byte[] lk, byte[] oldStored, byte[] stored) {
      int d = of(table);
      long k = keyCrc(lk);
      deltas[d + 1] += term(k, stored) - term(k, oldStored);
    }

    /** The table has no rows at this point of the transaction (lost them all, or never had any). */
    void clear(long table) {
      int d = of(table);
      deltas[d] = 0;
      deltas[d + 1] = 0;
      deltas[d + 2] = 1;
    }

    /** Every changed table's stored manifest is to be ignored: they start from no rows. */
    void fromNothing() {
      for (int i = 0; i < size; i++) {
        deltas[3 * i + 2] = 1;
      }
    }

    void apply(Dbi<byte[]> meta, Txn<byte[]> txn) {
      Meta.Batch out = new Meta.Batch();
      apply(meta, txn, out);
      out.apply(meta, txn);
    }

    /**
     * Reads the stored manifests the changes start from and adds the new ones to {@code out},
     * which the caller applies before the transaction ends.
     */
    void apply(Dbi<byte[]> meta, Txn<byte[]> txn, Meta.Batch out) {
      long[] ids = Arrays.copyOf(tables, size);
      Arrays.sort(ids); // table ids are at most 2^63-1: their order is their keys' order
      for (long t : ids) {
        int d = 3 * ((int) places.get(t) - 1);
        long[] m = deltas[d + 2] == 1 ? new long[] {0, 0} : read(meta, txn, ns, t);
        write(out, ns, t, m[0] + deltas[d], m[1] + deltas[d + 1]);
      }
    }
  }

  /**
   * Writes the manifest of every table of every namespace from the rows as they are (for a
   * store of layout version 1, which had none). Rows are not verified here; loads check them.
   */
  static void buildAll(Dbi<byte[]> rows, Dbi<byte[]> meta, Txn<byte[]> txn) {
    Map<Integer, Changes> byNs = new HashMap<>();
    try (Cursor<byte[]> c = rows.openCursor(txn)) {
      boolean ok = c.first();
      while (ok) {
        byte[] lk = c.key();
        byte[] v = c.val();
        if (lk.length > RowCodec.PREFIX && v.length >= RowCodec.HEADER) {
          int ns = StoreBytes.getU32(lk, 0);
          byNs.computeIfAbsent(ns, Changes::new).add(StoreBytes.getU64(lk, 4), lk, v);
        }
        ok = c.next();
      }
    }
    for (Changes ch : byNs.values()) {
      ch.fromNothing();
      ch.apply(meta, txn);
    }
  }
}
