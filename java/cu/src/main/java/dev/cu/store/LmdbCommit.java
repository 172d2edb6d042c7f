package dev.cu.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.PutFlags;
import org.lmdbjava.Txn;

/**
 * One commit of an {@link LmdbTableStore}: its work inside the write transaction (rows written
 * and deleted, the next id, manifests and reference counts updated, unreachable tables
 * reclaimed) and the {@link RefGraph} the {@link Reclaimer} sees, read from and written to that
 * transaction. Made and used once per commit.
 */
final class LmdbCommit implements RefGraph {
  private final LmdbRows nsRows;
  private final LmdbEnvironment env;
  private final String namespace;
  private final int ns;
  private final RowCodec codec;
  private final Txn<byte[]> txn;

  /**
   * The counts as they were stored before this commit, read once each ({@link #ABSENT} when no
   * record holds one): a count the commit brings back to its stored value is not written again.
   */
  private final LongCounts stored = new LongCounts();

  /** The counts this commit changed ({@link #adjust}, {@link #forget}): written at its end. */
  private final LongCounts changed = new LongCounts();

  /** A count that no record holds (a stored count is at most 2^63-1 rows, never this). */
  private static final long ABSENT = Long.MIN_VALUE;

  /** The cursor over the rows of the transaction while {@link #run} runs. */
  private Cursor<byte[]> cursor;

  /** Tables known to hold rows in this transaction (see {@link #hasRows}); a set. */
  private final LongCounts withRows = new LongCounts();

  /** Tables whose last known row this transaction deleted: {@link #hasRows} searches them. */
  private final LongCounts emptied = new LongCounts();

  /**
   * Where {@link #delete} left {@link #cursor}: -1 when unknown, else the table whose rows it
   * deleted last; the cursor then stands on the first row after that table's (on no row when
   * {@link #pastEnd}), and nothing has moved it or changed the rows since.
   */
  private long deletedLast = -1;

  /** With {@link #deletedLast}: the cursor stands past the last row of the DBI. */
  private boolean pastEnd;

  /**
   * Ids from here up are new to the namespace: no row has such a table id and no reference count
   * is stored for one. It is above the next id and above the largest table id of a row and of a
   * count, so it holds whatever ids earlier commits were given. For such an id {@link #count}
   * reads nothing and {@link #hasRows} searches nothing; a commit of new functions or tables saves
   * two LMDB lookups per table.
   */
  private final long fresh;

  private final LongCounts roots = new LongCounts();
  private final Manifest.Changes manifests;

  /** The references of every table, read by {@link #tables()} for a sweep. */
  private Map<Long, List<Long>> edges;

  LmdbCommit(LmdbRows nsRows, Txn<byte[]> txn) {
    this.nsRows = nsRows;
    this.env = nsRows.env;
    this.namespace = nsRows.namespace;
    this.ns = nsRows.ns;
    this.codec = nsRows.codec;
    this.manifests = new Manifest.Changes(ns);
    this.txn = txn;
    for (long root : nsRows.roots(txn).values()) {
      roots.put(root, 1);
    }
    long rows =
        lastId(env.rows, RowCodec.nsPrefix(ns), RowCodec.nsPrefix(ns + 1), RowCodec.PREFIX - 8);
    long refs =
        lastId(env.meta, Meta.nsKey(ns, Meta.REFS), Meta.nsKey(ns, (char) (Meta.REFS + 1)), 6);
    this.fresh =
        rows == Long.MAX_VALUE || refs == Long.MAX_VALUE
            ? Long.MAX_VALUE
            : Math.max(nsRows.next(txn), Math.max(rows, refs) + 1);
  }

  /**
   * The id (a u64 at {@code at}) in the last key under {@code prefix}, which sorts below {@code
   * bound}; -1 when there is none, {@link Long#MAX_VALUE} when the key is too short or its id is
   * out of range (then nothing counts as new).
   */
  private long lastId(Dbi<byte[]> dbi, byte[] prefix, byte[] bound, int at) {
    try (Cursor<byte[]> c = dbi.openCursor(txn)) {
      boolean ok = c.get(bound, GetOp.MDB_SET_RANGE) ? c.prev() : c.last();
      if (!ok || !StoreBytes.startsWith(c.key(), prefix)) {
        return -1;
      }
      byte[] k = c.key();
      long id = k.length >= at + 8 ? StoreBytes.getU64(k, at) : -1;
      return id < 0 || id == Long.MAX_VALUE ? Long.MAX_VALUE : id;
    }
  }

  long[] run(Delta delta, long next) {
    Reclaimer reclaimer = new Reclaimer(this);
    long[] removed;
    try (Cursor<byte[]> c = env.rows.openCursor(txn)) {
      cursor = c;
      for (Delta.Change change : delta.changes()) {
        apply(cursor, change, reclaimer);
      }
      if (next > nsRows.next(txn)) {
        Meta.put(env.meta, txn, Meta.nsKey(ns, Meta.NEXT), StoreBytes.u64(next));
      }
      removed = reclaimer.reclaim();
    } finally {
      cursor = null;
    }
    // counts ('c') then manifests ('m'), each by id: the records in key order
    Meta.Batch out = new Meta.Batch();
    long[] ids = changed.keys();
    Arrays.sort(ids);
    for (long id : ids) {
      writeCount(out, id, changed.get(id));
    }
    manifests.apply(env.meta, txn, out);
    out.apply(env.meta, txn);
    return removed;
  }

  /**
   * Applies one change through {@code cursor}, which stays on the row it read: the old row is
   * found by one search, then replaced or deleted in place. A row rewritten with the bytes it
   * holds changes nothing, so the reclaimer does not hear of it (a dropped reference that is
   * also the new one would otherwise start a sweep).
   */
  private void apply(Cursor<byte[]> cursor, Delta.Change c, Reclaimer reclaimer) {
    deletedLast = -1; // the cursor moves
    long t = c.table();
    if (t < 0) {
      throw new CuStoreException("table id out of range: " + Long.toUnsignedString(t));
    }
    long[] newRefs = Delta.refsOf(c.value()); // a malformed reference aborts the txn
    byte[] lk = RowCodec.lmdbKey(ns, t, c.key());
    // a table new to the namespace has no row unless this commit wrote one: no search
    boolean found = !unwritten(t) && cursor.get(lk, GetOp.MDB_SET_KEY);
    byte[] oldStored = found ? cursor.val() : null;
    byte[] stored = c.value() == null ? null : codec.encode(ns, lk, t, c.key(), c.value());
    if (stored != null && Arrays.equals(stored, oldStored)) {
      withRows.put(t, 1);
      return; // the same row: nothing changes
    }
    if (!found && !roots.contains(t) && !hasRows(cursor, t)) {
      reclaimer.created(t); // new: kept only if something refers to it
      manifests.clear(t); // no rows now: its manifest is empty, no need to read it
    }
    long[] oldRefs = {};
    if (found) {
      oldRefs = nsRows.storedRefs(lk, oldStored);
    }
    if (stored == null) {
      if (found) {
        manifests.remove(t, lk, oldStored);
        cursor.delete();
        withRows.remove(t); // it may have been the last row
        emptied.put(t, 1);
      }
    } else {
      if (found) {
        manifests.replace(t, lk, oldStored, stored);
        cursor.put(lk, stored, PutFlags.MDB_CURRENT);
      } else {
        manifests.add(t, lk, stored);
        cursor.put(lk, stored);
      }
      withRows.put(t, 1);
    }
    reclaimer.referenced(newRefs);
    reclaimer.dropped(oldRefs);
  }

  /**
   * Whether table {@code t} has rows in the transaction: known for a table this commit wrote
   * (and did not delete from), else one range search with {@code cursor}.
   */
  private boolean hasRows(Cursor<byte[]> cursor, long t) {
    if (withRows.contains(t)) {
      return true;
    }
    if (t >= fresh && !emptied.contains(t)) {
      return false; // new, and no row of it was deleted: it never had one
    }
    byte[] p = RowCodec.prefix(ns, t);
    if (cursor.get(p, GetOp.MDB_SET_RANGE) && StoreBytes.startsWith(cursor.key(), p)) {
      withRows.put(t, 1);
      return true;
    }
    return false;
  }

  /**
   * True when table {@code t} is new to the namespace and this commit has neither written nor
   * deleted a row of it: then no row of it exists, and no search needs to say so.
   */
  private boolean unwritten(long t) {
    return t >= fresh && !withRows.contains(t) && !emptied.contains(t);
  }

  @Override
  public boolean pinned(long id) {
    return roots.contains(id);
  }

  /** The persisted count, read once per commit, then kept until the commit writes it. */
  @Override
  public long count(long id) {
    if (changed.contains(id)) {
      return changed.get(id);
    }
    long v = storedCount(id);
    return v == ABSENT ? 0 : v;
  }

  /** The count stored before this commit, or {@link #ABSENT}; read once per commit. */
  private long storedCount(long id) {
    if (stored.contains(id)) {
      return stored.get(id);
    }
    long v =
        id >= fresh
            ? ABSENT
            : Meta.getLong(env.meta, txn, Meta.nsKey(ns, Meta.REFS, StoreBytes.u64(id)), ABSENT);
    stored.put(id, v);
    return v;
  }

  @Override
  public long adjust(long id, long d) {
    long v = count(id) + d;
    changed.put(id, v);
    return v;
  }

  @Override
  public void forget(long id) {
    storedCount(id); // what is stored decides whether a record is to be deleted
    changed.put(id, 0);
  }

  /**
   * Writes the count {@code v} of {@code id} as the commit leaves it: a positive count is
   * stored, any other is no record. A record that already says so is left alone.
   */
  private void writeCount(Meta.Batch out, long id, long v) {
    long old = storedCount(id);
    if (v > 0 ? v == old : old == ABSENT) {
      return;
    }
    byte[] key = Meta.nsKey(ns, Meta.REFS, StoreBytes.u64(id));
    if (v > 0) {
      out.put(key, StoreBytes.u64(v));
    } else {
      out.delete(key);
    }
  }

  /** Deletes the rows of table {@code id}, each CRC-checked, passing on their references. */
  @Override
  public void delete(long id, LongConsumer ref) {
    if (unwritten(id)) {
      manifests.clear(id); // created in this commit and never given a row
      emptied.put(id, 1);
      return;
    }
    byte[] p = RowCodec.prefix(ns, id);
    // one search finds the first row, unless the last deletion left the cursor on it or past
    // it; a deletion leaves the cursor on the row after it
    boolean more = following(id, p) ? !pastEnd : cursor.get(p, GetOp.MDB_SET_RANGE);
    while (more && StoreBytes.startsWith(cursor.key(), p)) {
      byte[] lk = cursor.key();
      byte[] row = cursor.val();
      long[] refs = nsRows.storedRefs(lk, row);
      cursor.delete();
      for (long r : refs) {
        ref.accept(r);
      }
      more = cursor.next();
    }
    withRows.remove(id);
    emptied.put(id, 1);
    manifests.clear(id);
    deletedLast = id;
    pastEnd = !more;
  }

  /**
   * True when the cursor already stands where a search for the first row of table {@code id}
   * (prefix {@code p}) would put it: the last deletion emptied a table of a smaller id, so every
   * row between that table's and the cursor's is gone, and the cursor's row (if any) is not
   * below {@code p}; then the loop of {@link #delete} starts there.
   */
  private boolean following(long id, byte[] p) {
    if (deletedLast < 0 || id <= deletedLast) {
      return false;
    }
    return pastEnd || Arrays.compareUnsigned(cursor.key(), p) >= 0;
  }

  /** Reads every row of the namespace once: the tables that hold rows, and their references. */
  @Override
  public Set<Long> tables() {
    edges = new HashMap<>();
    Set<Long> present = new HashSet<>();
    nsRows.scanRows(
        txn,
        RowCodec.nsPrefix(ns),
        (lk, stored) -> {
          RowCodec.Row r = codec.decode(namespace, ns, lk, stored, false);
          present.add(r.table());
          for (long ref : nsRows.refsOf(lk, r.value())) {
            edges.computeIfAbsent(r.table(), x -> new ArrayList<>()).add(ref);
          }
        });
    return present;
  }

  @Override
  public void marks(LongConsumer id) {
    roots.forEach((root, one) -> id.accept(root));
  }

  /** The references {@link #tables()} read for table {@code id}. */
  @Override
  public void refs(long id, LongConsumer ref) {
    for (long r : edges.getOrDefault(id, List.of())) {
      ref.accept(r);
    }
  }
}
