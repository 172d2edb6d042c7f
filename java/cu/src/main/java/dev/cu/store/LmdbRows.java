package dev.cu.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.lmdbjava.Cursor;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * The rows and state records of one namespace of an {@link LmdbEnvironment}, read and moved
 * inside a transaction the caller holds: chunked row scans, the references a row holds, the
 * roots and next id, and the wiping and copying of whole namespaces that snapshots use. Used by
 * {@link LmdbTableStore} and its {@link LmdbCommit}s; it keeps no state of its own beyond the
 * namespace's name and number.
 */
final class LmdbRows {
  private static final int CHUNK = 1024;

  final LmdbEnvironment env;
  final String namespace;
  final int ns;
  final RowCodec codec;

  LmdbRows(LmdbEnvironment env, String namespace, int ns) {
    this.env = env;
    this.namespace = namespace;
    this.ns = ns;
    this.codec = env.codec;
  }

  long next(Txn<byte[]> txn) {
    return Meta.getLong(env.meta, txn, Meta.nsKey(ns, Meta.NEXT), 1);
  }

  Map<String, Long> roots(Txn<byte[]> txn) {
    Map<String, Long> roots = new HashMap<>();
    Meta.scan(
        env.meta,
        txn,
        Meta.nsKey(ns, Meta.ROOT),
        (suffix, payload) -> {
          if (payload.length != 8) {
            throw new CuStateException("corrupt meta record (root of namespace " + namespace + ")");
          }
          roots.put(new String(suffix, StandardCharsets.UTF_8), StoreBytes.getU64(payload, 0));
        });
    return roots;
  }

  /**
   * Calls {@code each(lmdbKey, storedValue)} for every row under {@code prefix} in key order.
   * Rows are read in chunks, so {@code each} may write to the transaction.
   */
  void scanRows(Txn<byte[]> txn, byte[] prefix, BiConsumer<byte[], byte[]> each) {
    byte[] from = prefix;
    boolean skipFrom = false;
    while (true) {
      List<byte[][]> chunk = new ArrayList<>();
      try (Cursor<byte[]> c = env.rows.openCursor(txn)) {
        boolean ok = c.get(from, GetOp.MDB_SET_RANGE);
        if (ok && skipFrom && Arrays.equals(c.key(), from)) {
          ok = c.next();
        }
        while (ok && chunk.size() < CHUNK) {
          byte[] k = c.key();
          if (!StoreBytes.startsWith(k, prefix)) {
            break;
          }
          chunk.add(new byte[][] {k, c.val()});
          ok = c.next();
        }
      }
      for (byte[][] kv : chunk) {
        each.accept(kv[0], kv[1]);
      }
      if (chunk.size() < CHUNK) {
        return;
      }
      from = chunk.get(chunk.size() - 1)[0];
      skipFrom = true;
    }
  }

  private static final long[] NONE = new long[0];

  /**
   * The references stored row {@code stored} under {@code lk} holds: none for a plain scalar
   * whose CRC matches ({@link RowCodec#plainScalar}), the one id of a plain reference whose CRC
   * matches ({@link RowCodec#plainRef}), else those of its decoded value (CRC checked, HMAC
   * not).
   *
   * @throws CuStateException when the row is damaged
   */
  long[] storedRefs(byte[] lk, byte[] stored) {
    if (RowCodec.plainScalar(ns, lk, stored)) {
      return NONE;
    }
    long ref = RowCodec.plainRef(ns, lk, stored);
    if (ref >= 0) {
      return new long[] {ref};
    }
    return refsOf(lk, codec.decode(namespace, ns, lk, stored, false).value());
  }

  long[] refsOf(byte[] lk, byte[] value) {
    try {
      return Delta.refsOf(value);
    } catch (CuStoreException e) {
      throw new CuStateException(
          "corrupt row (" + RowCodec.describe(namespace, lk) + "): " + e.getMessage(), e);
    }
  }

  /** Deletes the rows of namespace {@code num} and its meta records (all, or the state only). */
  void wipe(Txn<byte[]> txn, int num, boolean all) {
    Meta.deletePrefix(env.rows, txn, RowCodec.nsPrefix(num));
    if (all) {
      Meta.deletePrefix(env.meta, txn, Meta.nsKey(num));
    } else {
      for (char type : new char[] {Meta.NEXT, Meta.ROOT, Meta.REFS, Manifest.TYPE}) {
        Meta.deletePrefix(env.meta, txn, Meta.nsKey(num, type));
      }
    }
  }

  /** Copies rows and state meta records of namespace {@code src} into {@code dst}. */
  void copy(Txn<byte[]> txn, int src, String srcName, int dst, String dstName) {
    byte[] dstPrefix = RowCodec.nsPrefix(dst);
    Manifest.Changes manifests = new Manifest.Changes(dst);
    scanRows(
        txn,
        RowCodec.nsPrefix(src),
        (lk, stored) -> {
          RowCodec.Row r = codec.decode(srcName, src, lk, stored, true);
          byte[] dlk = StoreBytes.concat(dstPrefix, Arrays.copyOfRange(lk, 4, lk.length));
          byte[] moved = codec.move(dst, dlk, r, stored);
          env.rows.put(txn, dlk, moved);
          manifests.add(r.table(), dlk, moved);
        });
    manifests.apply(env.meta, txn); // dst was wiped: its manifests start from nothing
    for (char type : new char[] {Meta.NEXT, Meta.ROOT, Meta.REFS}) {
      List<byte[][]> records = new ArrayList<>();
      Meta.scan(
          env.meta,
          txn,
          Meta.nsKey(src, type),
          (suffix, payload) -> records.add(new byte[][] {suffix, payload}));
      for (byte[][] r : records) {
        Meta.put(env.meta, txn, Meta.nsKey(dst, type, r[0]), r[1]);
      }
    }
  }
}
