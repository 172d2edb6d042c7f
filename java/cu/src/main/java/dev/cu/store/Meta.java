package dev.cu.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * Records of the "meta" DBI (docs/STORAGE.md). Every value is {@code CRC32C(key | payload)} as
 * u32 followed by the payload.
 *
 * <pre>
 * 'V'                          -&gt; u32 layout version (1)
 * 'K'                          -&gt; u32 last namespace number given out
 * 'N' name                     -&gt; u32 namespace number
 * 'P' ns u32 'n'               -&gt; the namespace's name (UTF-8)
 * 'P' ns u32 'i'               -&gt; u64 next table id
 * 'P' ns u32 'r' root name     -&gt; u64 table id of the root
 * 'P' ns u32 'c' table u64     -&gt; u64 number of rows that refer to the table (absent = 0)
 * 'P' ns u32 's' snapshot name -&gt; u64 time of saving (ms since the epoch)
 * 'P' ns u32 'g'               -&gt; u64 generation: changes of the namespace's state (absent = 0)
 * 'P' ns u32 'm' table u64     -&gt; count u64 | digest u64, the table's {@link Manifest}
 * 'P' ns u32 'l'               -&gt; the namespace's label (UTF-8), when one was set
 * </pre>
 */
final class Meta {
  static final byte[] VERSION = {'V'};
  static final byte[] COUNTER = {'K'};
  static final char NAME = 'n';
  static final char NEXT = 'i';
  static final char ROOT = 'r';
  static final char REFS = 'c';
  static final char SNAPSHOT = 's';
  static final char GENERATION = 'g';
  static final char LABEL = 'l';

  private Meta() {}

  static byte[] nameKey(String namespace) {
    return StoreBytes.concat(new byte[] {'N'}, namespace.getBytes(StandardCharsets.UTF_8));
  }

  /** The prefix of all records of namespace {@code ns}. */
  static byte[] nsKey(int ns) {
    byte[] k = new byte[5];
    k[0] = 'P';
    StoreBytes.putU32(k, 1, ns);
    return k;
  }

  static byte[] nsKey(int ns, char type) {
    return StoreBytes.concat(nsKey(ns), new byte[] {(byte) type});
  }

  static byte[] nsKey(int ns, char type, byte[] suffix) {
    return StoreBytes.concat(nsKey(ns), new byte[] {(byte) type}, suffix);
  }

  static byte[] nsKey(int ns, char type, String suffix) {
    return nsKey(ns, type, suffix.getBytes(StandardCharsets.UTF_8));
  }

  private static int crc(byte[] key, byte[] v, int from) {
    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
    c.update(key, 0, key.length);
    c.update(v, from, v.length - from);
    return (int) c.getValue();
  }

  /** The payload of meta record {@code key}, null when absent. */
  static byte[] get(Dbi<byte[]> meta, Txn<byte[]> txn, byte[] key) {
    byte[] v = meta.get(txn, key);
    return v == null ? null : verify(key, v);
  }

  /** True when the stored value {@code v} of record {@code key} has a matching CRC32C. */
  static boolean crcMatches(byte[] key, byte[] v) {
    return v.length >= 4 && crc(key, v, 4) == StoreBytes.getU32(v, 0);
  }

  static byte[] verify(byte[] key, byte[] v) {
    if (!crcMatches(key, v)) {
      throw new CuStateException(
          "corrupt meta record ("
              + describe(key)
              + "): "
              + (v.length < 4 ? "truncated" : "CRC32C mismatch"));
    }
    return java.util.Arrays.copyOfRange(v, 4, v.length);
  }

  static void put(Dbi<byte[]> meta, Txn<byte[]> txn, byte[] key, byte[] payload) {
    meta.put(txn, key, stored(key, payload));
  }

  /** The stored value of record {@code key} with {@code payload}: its CRC32C, then the payload. */
  private static byte[] stored(byte[] key, byte[] payload) {
    byte[] v = new byte[4 + payload.length];
    System.arraycopy(payload, 0, v, 4, payload.length);
    StoreBytes.putU32(v, 0, crc(key, v, 4));
    return v;
  }

  /**
   * Records to write or delete in one write transaction, applied together in the order they were
   * added. Added in key order, neighbouring records (the counts or manifests of consecutive ids)
   * are put and deleted through one cursor, and LMDB looks for a key on the leaf page the cursor
   * is on before it searches from the root ({@code mdb_del} would search from the root).
   */
  static final class Batch {
    private final List<byte[][]> records = new ArrayList<>();

    /** Record {@code key} is to hold {@code payload}. */
    void put(byte[] key, byte[] payload) {
      records.add(new byte[][] {key, payload});
    }

    /** Record {@code key} is to be absent. */
    void delete(byte[] key) {
      records.add(new byte[][] {key, null});
    }

    /** Writes the records in the order added (a key given twice ends as the later one says). */
    void apply(Dbi<byte[]> meta, Txn<byte[]> txn) {
      if (records.isEmpty()) {
        return;
      }
      try (Cursor<byte[]> c = meta.openCursor(txn)) {
        for (byte[][] r : records) {
          if (r[1] != null) {
            c.put(r[0], stored(r[0], r[1]));
          } else if (c.get(r[0], GetOp.MDB_SET)) {
            c.delete();
          }
        }
      }
      records.clear();
    }
  }

  static long getLong(Dbi<byte[]> meta, Txn<byte[]> txn, byte[] key, long absent) {
    byte[] p = get(meta, txn, key);
    if (p == null) {
      return absent;
    }
    if (p.length != 8) {
      throw new CuStateException(
          "corrupt meta record (" + describe(key) + "): " + p.length + " bytes where 8 belong");
    }
    return StoreBytes.getU64(p, 0);
  }

  static int getInt(Dbi<byte[]> meta, Txn<byte[]> txn, byte[] key, int absent) {
    byte[] p = get(meta, txn, key);
    if (p == null) {
      return absent;
    }
    if (p.length != 4) {
      throw new CuStateException(
          "corrupt meta record (" + describe(key) + "): " + p.length + " bytes where 4 belong");
    }
    return StoreBytes.getU32(p, 0);
  }

  static void putInt(Dbi<byte[]> meta, Txn<byte[]> txn, byte[] key, int v) {
    byte[] p = new byte[4];
    StoreBytes.putU32(p, 0, v);
    put(meta, txn, key, p);
  }

  /** The number of {@code name}, assigned when absent and {@code create}; else -1 if absent. */
  static int namespaceNumber(Dbi<byte[]> meta, Txn<byte[]> txn, String name, boolean create) {
    byte[] nk = nameKey(name);
    int n = getInt(meta, txn, nk, -1);
    if (n != -1 || !create) {
      return n;
    }
    n = getInt(meta, txn, COUNTER, 0) + 1;
    if (n <= 0) {
      throw new CuStoreException("no namespace numbers left");
    }
    putInt(meta, txn, COUNTER, n);
    putInt(meta, txn, nk, n);
    put(meta, txn, nsKey(n, NAME), name.getBytes(StandardCharsets.UTF_8));
    return n;
  }

  /** Calls {@code each(key suffix after prefix, verified payload)} for every record under prefix. */
  static void scan(
      Dbi<byte[]> meta, Txn<byte[]> txn, byte[] prefix, BiConsumer<byte[], byte[]> each) {
    scan(meta, txn, prefix, true, each);
  }

  /** As {@link #scan}, with the stored values as they are (CRC not checked). */
  static void scanRaw(
      Dbi<byte[]> meta, Txn<byte[]> txn, byte[] prefix, BiConsumer<byte[], byte[]> each) {
    scan(meta, txn, prefix, false, each);
  }

  private static void scan(
      Dbi<byte[]> meta,
      Txn<byte[]> txn,
      byte[] prefix,
      boolean verified,
      BiConsumer<byte[], byte[]> each) {
    try (Cursor<byte[]> c = meta.openCursor(txn)) {
      boolean ok = c.get(prefix, GetOp.MDB_SET_RANGE);
      while (ok && StoreBytes.startsWith(c.key(), prefix)) {
        byte[] k = c.key();
        byte[] v = c.val();
        each.accept(
            java.util.Arrays.copyOfRange(k, prefix.length, k.length), verified ? verify(k, v) : v);
        ok = c.next();
      }
    }
  }

  /** Deletes every record under {@code prefix}. */
  static void deletePrefix(Dbi<byte[]> dbi, Txn<byte[]> txn, byte[] prefix) {
    try (Cursor<byte[]> c = dbi.openCursor(txn)) {
      while (c.get(prefix, GetOp.MDB_SET_RANGE) && StoreBytes.startsWith(c.key(), prefix)) {
        c.delete();
      }
    }
  }

  /** Names a meta record for error messages. */
  static String describe(byte[] key) {
    if (key.length >= 6 && key[0] == 'P') {
      int ns = StoreBytes.getU32(key, 1);
      String rest = new String(key, 6, key.length - 6, StandardCharsets.UTF_8);
      return switch (key[5]) {
        case NAME -> "name of namespace #" + ns;
        case NEXT -> "next id of namespace #" + ns;
        case ROOT -> "root '" + rest + "' of namespace #" + ns;
        case REFS ->
            "reference count of table "
                + (key.length == 14 ? StoreBytes.getU64(key, 6) : -1)
                + " in namespace #"
                + ns;
        case SNAPSHOT -> "snapshot '" + rest + "' of namespace #" + ns;
        case GENERATION -> "generation of namespace #" + ns;
        case LABEL -> "label of namespace #" + ns;
        case Manifest.TYPE ->
            "manifest of table "
                + (key.length == 14 ? StoreBytes.getU64(key, 6) : -1)
                + " in namespace #"
                + ns;
        default -> "key " + StoreBytes.hex(key);
      };
    }
    if (key.length >= 1 && key[0] == 'N') {
      return "number of namespace '"
          + new String(key, 1, key.length - 1, StandardCharsets.UTF_8)
          + "'";
    }
    return "key " + StoreBytes.hex(key);
  }
}
