package dev.cu.store;

import dev.cu.codec.Cbor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/** Deltas, encoded items and raw LMDB access for the store tests. */
final class LmdbTestSupport {
  private LmdbTestSupport() {}

  /** Builds a delta in the VM's form: an array of [table, key, value] with encoded items. */
  static final class DeltaBuilder {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private long count;

    DeltaBuilder set(long table, byte[] key, byte[] value) {
      head(body, Cbor.MAJOR_ARRAY, 3);
      head(body, Cbor.MAJOR_UINT, table);
      body.writeBytes(key);
      body.writeBytes(value);
      count++;
      return this;
    }

    DeltaBuilder set(long table, String key, byte[] value) {
      return set(table, text(key), value);
    }

    DeltaBuilder delete(long table, String key) {
      return set(table, text(key), new byte[] {(byte) Cbor.NULL});
    }

    DeltaBuilder delete(long table, byte[] key) {
      return set(table, key, new byte[] {(byte) Cbor.NULL});
    }

    byte[] bytes() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(Cbor.MAJOR_ARRAY << 5 | Cbor.AI_8); // an 8-byte count, as the VM writes it
      for (int i = 7; i >= 0; i--) {
        out.write((int) (count >>> (8 * i)));
      }
      out.writeBytes(body.toByteArray());
      return out.toByteArray();
    }

    Delta build() {
      return Delta.parse(bytes());
    }
  }

  static void head(ByteArrayOutputStream out, int major, long v) {
    Cbor.Writer w = new Cbor.Writer(9);
    w.head(major, v);
    out.writeBytes(w.toByteArray());
  }

  static byte[] text(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    head(out, Cbor.MAJOR_TEXT, b.length);
    out.writeBytes(b);
    return out.toByteArray();
  }

  static byte[] bytes(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    head(out, Cbor.MAJOR_BYTES, b.length);
    out.writeBytes(b);
    return out.toByteArray();
  }

  static byte[] integer(long v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (v >= 0) {
      head(out, Cbor.MAJOR_UINT, v);
    } else {
      head(out, Cbor.MAJOR_NEGINT, -1 - v);
    }
    return out.toByteArray();
  }

  static byte[] ref(long id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    head(out, Cbor.MAJOR_TAG, Cbor.TAG_EXTREF);
    head(out, Cbor.MAJOR_UINT, id);
    return out.toByteArray();
  }

  /** A function reference: tag {@link Cbor#TAG_FUNCREF} id. */
  static byte[] funcref(long id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    head(out, Cbor.MAJOR_TAG, Cbor.TAG_FUNCREF);
    head(out, Cbor.MAJOR_UINT, id);
    return out.toByteArray();
  }

  /** A function row value whose one upvalue is box {@code box} (docs/FORMAT.md). */
  static byte[] closure(String code, long box) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    head(out, Cbor.MAJOR_TAG, Cbor.TAG_FUNCTION);
    head(out, Cbor.MAJOR_ARRAY, 2);
    byte[] b = code.getBytes(StandardCharsets.UTF_8);
    head(out, Cbor.MAJOR_BYTES, b.length);
    out.writeBytes(b);
    head(out, Cbor.MAJOR_ARRAY, 1);
    head(out, Cbor.MAJOR_TAG, Cbor.TAG_BOX);
    head(out, Cbor.MAJOR_UINT, box);
    return out.toByteArray();
  }

  /**
   * A function row value: tag {@link Cbor#TAG_FUNCTION} [bytecode bytes, no upvalues]
   * (docs/FORMAT.md).
   */
  static byte[] function(String body) {
    return function(body.getBytes(StandardCharsets.UTF_8));
  }

  /** A serialized function row value around the bytes {@code b}. */
  static byte[] function(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    head(out, Cbor.MAJOR_TAG, Cbor.TAG_FUNCTION);
    head(out, Cbor.MAJOR_ARRAY, 2);
    head(out, Cbor.MAJOR_BYTES, b.length);
    out.writeBytes(b);
    out.write(Cbor.EMPTY_ARRAY);
    return out.toByteArray();
  }

  /**
   * The reference counts namespace {@code namespace} stores ('c' meta records), and the counts
   * its rows imply (per table, the number of rows whose value refers to it): a commit must leave
   * them equal.
   */
  static Map<String, Map<Long, Long>> counts(LmdbEnvironment env, String namespace) {
    return env.read(
        txn -> {
          int ns = Meta.namespaceNumber(env.meta, txn, namespace, false);
          Map<Long, Long> stored = new TreeMap<>();
          Meta.scan(
              env.meta,
              txn,
              Meta.nsKey(ns, Meta.REFS),
              (suffix, payload) ->
                  stored.put(StoreBytes.getU64(suffix, 0), StoreBytes.getU64(payload, 0)));
          Map<Long, Long> implied = new TreeMap<>();
          new LmdbRows(env, namespace, ns)
              .scanRows(
                  txn,
                  RowCodec.nsPrefix(ns),
                  (lk, row) -> {
                    byte[] value = env.codec.decode(namespace, ns, lk, row, true).value();
                    for (long ref : Delta.refsOf(value)) {
                      implied.merge(ref, 1L, Long::sum);
                    }
                  });
          return Map.of("stored", stored, "implied", implied);
        });
  }

  /** A table decoded by the codec; a table reference becomes the text "ref:" + id. */
  static Map<Object, Object> decoded(TableStore s, long id) {
    byte[] b = s.load(id);
    if (b == null) {
      return null;
    }
    Map<Object, Object> out = new LinkedHashMap<>();
    for (Map.Entry<ByteBuffer, byte[]> e : StoreBytes.entries(b).entrySet()) {
      long ref = Delta.refOf(e.getValue());
      byte[] k = new byte[e.getKey().remaining()];
      e.getKey().duplicate().get(k);
      out.put(
          dev.cu.codec.CborDecoder.decode(k),
          ref >= 0 ? "ref:" + ref : dev.cu.codec.CborDecoder.decode(e.getValue()));
    }
    return out;
  }

  /** The rows of a table as hex key -> hex value (order-independent), or null. */
  static Map<String, String> rows(TableStore s, long id) {
    return rows(s.load(id));
  }

  /** A loaded table as hex key -> hex value, or null. */
  static Map<String, String> rows(byte[] b) {
    if (b == null) {
      return null;
    }
    Map<String, String> m = new TreeMap<>();
    for (Map.Entry<ByteBuffer, byte[]> e : StoreBytes.entries(b).entrySet()) {
      m.put(hex(e.getKey()), StoreBytes.hex(e.getValue()));
    }
    return m;
  }

  static String hex(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return StoreBytes.hex(a);
  }

  static String hex(byte[] b) {
    return StoreBytes.hex(b);
  }

  /** Content of every table reachable from {@code roots}, by table id. */
  static Map<Long, Map<String, String>> reachable(TableStore s, long... roots) {
    Map<Long, Map<String, String>> out = new TreeMap<>();
    ArrayDeque<Long> todo = new ArrayDeque<>();
    Set<Long> seen = new HashSet<>();
    for (long r : roots) {
      if (seen.add(r)) {
        todo.add(r);
      }
    }
    while (!todo.isEmpty()) {
      long id = todo.poll();
      byte[] b = s.load(id);
      out.put(id, rows(b));
      if (b == null) {
        continue;
      }
      for (byte[] v : StoreBytes.entries(b).values()) {
        long ref = Delta.refOf(v);
        if (ref >= 0 && seen.add(ref)) {
          todo.add(ref);
        }
      }
    }
    return out;
  }

  static LmdbOptions fast() {
    return LmdbOptions.defaults().withDurability(LmdbOptions.Durability.NO_SYNC);
  }

  // ---- raw LMDB access, with the environment closed ----

  private static Env<byte[]> rawEnv(Path dir) {
    dev.cu.internal.LmdbNative.prepare();
    return Env.create(org.lmdbjava.ByteArrayProxy.PROXY_BA)
        .setMaxDbs(2)
        .setMapSize(64L << 20)
        .open(dir.toFile(), EnvFlags.MDB_NOTLS);
  }

  /** Every record of DBI {@code dbi}, in key order, keys as hex. */
  static Map<String, byte[]> raw(Path dir, String dbi) {
    try (Env<byte[]> env = rawEnv(dir)) {
      Dbi<byte[]> d = env.openDbi(dbi);
      Map<String, byte[]> out = new LinkedHashMap<>();
      try (Txn<byte[]> txn = env.txnRead();
          CursorIterable<byte[]> it = d.iterate(txn)) {
        for (CursorIterable.KeyVal<byte[]> kv : it) {
          out.put(StoreBytes.hex(kv.key()), kv.val());
        }
      }
      return out;
    }
  }

  /** Writes records into DBI {@code dbi} directly (keys as hex). */
  static void rawPut(Path dir, String dbi, Map<String, byte[]> records) {
    try (Env<byte[]> env = rawEnv(dir)) {
      Dbi<byte[]> d = env.openDbi(dbi);
      try (Txn<byte[]> txn = env.txnWrite()) {
        for (Map.Entry<String, byte[]> e : records.entrySet()) {
          d.put(txn, unhex(e.getKey()), e.getValue());
        }
        txn.commit();
      }
    }
  }

  /** Deletes records of DBI {@code dbi} directly (keys as hex). */
  static void rawDelete(Path dir, String dbi, Iterable<String> keys) {
    try (Env<byte[]> env = rawEnv(dir)) {
      Dbi<byte[]> d = env.openDbi(dbi);
      try (Txn<byte[]> txn = env.txnWrite()) {
        for (String k : keys) {
          d.delete(txn, unhex(k));
        }
        txn.commit();
      }
    }
  }

  /** A meta record's stored value as docs/STORAGE.md defines it: CRC32C(key | payload), payload. */
  static byte[] metaValue(byte[] key, byte[] payload) {
    CRC32C c = new CRC32C();
    c.update(key);
    c.update(payload);
    ByteBuffer b = ByteBuffer.allocate(4 + payload.length);
    b.putInt((int) c.getValue()).put(payload);
    return b.array();
  }

  static byte[] unhex(String h) {
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  /**
   * A stored row value with its CRC32C recomputed as docs/STORAGE.md defines it:
   * CRC32C(LMDB key | format byte | bytes after the CRC). What a writer without the HMAC key can
   * do.
   */
  static byte[] withValidCrc(byte[] lmdbKey, byte[] stored) {
    byte[] out = stored.clone();
    CRC32C c = new CRC32C();
    c.update(lmdbKey);
    c.update(out, 0, 1);
    c.update(out, 5, out.length - 5);
    int crc = (int) c.getValue();
    out[1] = (byte) (crc >>> 24);
    out[2] = (byte) (crc >>> 16);
    out[3] = (byte) (crc >>> 8);
    out[4] = (byte) crc;
    return out;
  }

  /** The LMDB key of a row, as docs/STORAGE.md defines it. */
  static byte[] rowKey(int ns, long table, byte[] key) {
    ByteBuffer b = ByteBuffer.allocate(12 + (12 + key.length > 480 ? 33 : key.length));
    b.putInt(ns).putLong(table);
    if (12 + key.length > 480) {
      try {
        b.put((byte) 0xff).put(java.security.MessageDigest.getInstance("SHA-256").digest(key));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    } else {
      b.put(key);
    }
    return b.array();
  }
}
