package dev.cu.store;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;

/**
 * A {@link TableStore} that keeps commits in memory on top of another store (typically an
 * {@link LmdbTableStore}) until {@link #flush()} writes them all in one backing commit, i.e. one
 * LMDB write transaction. Reads see the pending changes first: {@link #load} merges them over
 * the backing rows (a pending row replaces the backing one, a pending deletion hides it).
 * {@link #discard()} drops them.
 *
 * <p>Reclamation: a table the backing store already holds is only reclaimed by the backing store
 * when the flush drops its last reference (the ids come back from {@link #flush()}). A table
 * created since the last flush ("new": its id is at least the backing store's next id when the
 * pending changes began) can only be referred to from pending rows, so the overlay counts those
 * references and reclaims such a table in the commit that makes it unreachable from the roots and
 * from the tables of the backing store, with the {@code Reclaimer} every store uses (reference
 * counts, plus a mark-and-sweep when a dropped reference may leave a cycle); its rows are never
 * written and its id is returned by that commit.
 *
 * <p>Not for concurrent use (one compute unit at a time, like every store); methods are
 * synchronized so that a flush from another thread is safe.
 */
public final class OverlayTableStore implements TableStore {
  /** Marks a pending deletion of a backing row. */
  private static final byte[] DELETED = new byte[0];

  private final TableStore backing;

  /** Pending rows per table; {@link #DELETED} for a deletion. */
  private final Map<Long, Map<ByteBuffer, byte[]>> pending = new LinkedHashMap<>();

  /** New tables with at least one pending row. */
  private final Set<Long> newTables = new HashSet<>();

  /** Root ids seen through {@link #root}: never new, never reclaimed here; a set. */
  private final LongCounts roots = new LongCounts();

  /** The backing store's next id when the pending changes began; -1 when nothing is pending. */
  private long base = -1;

  private long pendingNext;
  private final Graph graph = new Graph();

  /** Wraps {@code backing}; the overlay owns it from now on and closes it in {@link #close()}. */
  public OverlayTableStore(TableStore backing) {
    if (backing == null) {
      throw new IllegalArgumentException("backing store is null");
    }
    this.backing = backing;
  }

  /** The wrapped store. */
  public TableStore backing() {
    return backing;
  }

  /**
   * {@inheritDoc} Roots live in the backing store. If pending commits handed out ids the backing
   * store does not know yet, its next id is raised first (an empty commit) so that a new root
   * cannot reuse one of them.
   */
  @Override
  public synchronized long root(String name) {
    if (pendingNext > backing.nextId()) {
      backing.commit(Delta.EMPTY, pendingNext);
    }
    long id = backing.root(name);
    roots.put(id, 1);
    return id;
  }

  @Override
  public synchronized long nextId() {
    return Math.max(backing.nextId(), pendingNext);
  }

  private boolean isNew(long id) {
    return base >= 0 && id >= base && !roots.contains(id);
  }

  /** {@inheritDoc} The backing rows with the pending changes applied. */
  @Override
  public synchronized byte[] load(long id) {
    Map<ByteBuffer, byte[]> p = pending.get(id);
    if (p == null) {
      return isNew(id) ? null : backing.load(id);
    }
    Map<ByteBuffer, byte[]> rows = new LinkedHashMap<>();
    if (!isNew(id)) {
      byte[] b = backing.load(id);
      if (b != null) {
        rows.putAll(StoreBytes.entries(b));
      }
    }
    for (Map.Entry<ByteBuffer, byte[]> e : p.entrySet()) {
      if (e.getValue() == DELETED) {
        rows.remove(e.getKey());
      } else {
        rows.put(e.getKey(), e.getValue());
      }
    }
    if (rows.isEmpty()) {
      return null;
    }
    List<byte[][]> list = new ArrayList<>(rows.size());
    for (Map.Entry<ByteBuffer, byte[]> e : rows.entrySet()) {
      list.add(new byte[][] {bytes(e.getKey()), e.getValue()});
    }
    return StoreBytes.map(list, list.size());
  }

  private static byte[] bytes(ByteBuffer b) {
    if (b.hasArray()
        && b.arrayOffset() == 0
        && b.position() == 0
        && b.remaining() == b.array().length) {
      return b.array(); // a key wraps the bytes of its change, which nobody changes
    }
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  /**
   * {@inheritDoc} Applies the changes to memory only.
   *
   * @return the new tables that became unreachable (see the class comment)
   * @throws CuStoreException when a change is malformed; nothing is applied then
   */
  @Override
  public synchronized long[] commit(Delta delta, long nextId) {
    List<Delta.Change> changes = delta.changes();
    long[][] newRefs = delta.checkedRefs(); // a bad change fails the commit before any change
    if (base < 0) {
      base = backing.nextId();
      pendingNext = base;
    }
    Reclaimer reclaimer = new Reclaimer(graph);
    for (int i = 0; i < newRefs.length; i++) {
      Delta.Change c = changes.get(i);
      long t = c.table();
      boolean fresh = isNew(t);
      if (fresh && !newTables.contains(t)) {
        reclaimer.created(t); // new: kept only if something refers to it
      }
      Map<ByteBuffer, byte[]> rows = pending.computeIfAbsent(t, x -> new LinkedHashMap<>());
      ByteBuffer key = ByteBuffer.wrap(c.key());
      byte[] old;
      if (c.value() != null) {
        old = rows.put(key, c.value());
      } else if (fresh) {
        old = rows.remove(key);
      } else {
        old = rows.put(key, DELETED);
      }
      // a backing row cannot refer to a new table, so only pending values matter; a value
      // rewritten with the same bytes changes nothing
      if (old == null || old == DELETED || !Arrays.equals(old, c.value())) {
        reclaimer.referenced(newRefs[i]);
        if (old != null && old != DELETED) {
          reclaimer.dropped(Delta.refsOf(old));
        }
      }
      if (fresh) {
        if (rows.isEmpty()) {
          pending.remove(t);
          newTables.remove(t);
        } else {
          newTables.add(t);
        }
      }
    }
    pendingNext = Math.max(pendingNext, nextId);
    return reclaimer.reclaim();
  }

  /**
   * The new tables as the {@code Reclaimer} sees them: only references to new tables are
   * counted, and the mark starts from the references that rows of the other tables (the roots
   * and the backing tables, whose rows can refer to new tables only through pending values)
   * hold. Used under the overlay's lock.
   */
  private final class Graph extends CountedRefGraph {
    @Override
    public boolean counted(long id) {
      return isNew(id);
    }

    @Override
    public boolean pinned(long id) {
      return !isNew(id);
    }

    @Override
    public void delete(long id, LongConsumer ref) {
      newTables.remove(id);
      refsOf(pending.remove(id), ref);
    }

    @Override
    public Set<Long> tables() {
      return newTables;
    }

    @Override
    public void marks(LongConsumer id) {
      for (Map.Entry<Long, Map<ByteBuffer, byte[]>> e : pending.entrySet()) {
        if (!isNew(e.getKey())) {
          refsOf(e.getValue(), id);
        }
      }
    }

    @Override
    public void refs(long id, LongConsumer ref) {
      refsOf(pending.get(id), ref);
    }

    /** Passes the references of pending values (none for deletions). */
    private static void refsOf(Map<ByteBuffer, byte[]> rows, LongConsumer ref) {
      if (rows == null) {
        return;
      }
      for (byte[] v : rows.values()) {
        if (v != DELETED) {
          for (long r : Delta.refsOf(v)) {
            ref.accept(r);
          }
        }
      }
    }
  }

  /**
   * {@inheritDoc} The backing store's tables and roots with the pending changes applied (loads
   * the tables with pending changes).
   */
  @Override
  public synchronized Set<Long> tableIds() {
    Set<Long> ids = new TreeSet<>(backing.tableIds());
    for (Long id : pending.keySet()) {
      if (load(id) != null) {
        ids.add(id);
      } else if (!roots.contains(id)) {
        ids.remove(id);
      }
    }
    roots.forEach((root, one) -> ids.add(root));
    return ids;
  }

  /** True when commits or a raised next id wait for {@link #flush()}. */
  public synchronized boolean hasPending() {
    return !pending.isEmpty() || pendingNext > backing.nextId();
  }

  /**
   * Writes all pending changes and the next id to the backing store in one commit and clears
   * the overlay. The caller passes the returned ids on like those of {@link #commit}: they are
   * tables the backing store reclaimed because the flushed changes dropped their last reference.
   *
   * @return the ids the backing store removed (empty when nothing was pending)
   * @throws CuStoreException when the backing commit fails; the changes stay pending then
   */
  public synchronized long[] flush() {
    if (!hasPending()) {
      return new long[0];
    }
    List<Delta.Change> changes = new ArrayList<>();
    for (Map.Entry<Long, Map<ByteBuffer, byte[]>> t : pending.entrySet()) {
      for (Map.Entry<ByteBuffer, byte[]> e : t.getValue().entrySet()) {
        byte[] v = e.getValue();
        changes.add(new Delta.Change(t.getKey(), bytes(e.getKey()), v == DELETED ? null : v));
      }
    }
    // every pending row came from a delta, so its key and value are single items already
    long[] removed = backing.commit(Delta.ofChecked(changes), pendingNext);
    clear();
    return removed;
  }

  /** Drops all pending changes. A compute unit that cached them must not be used afterwards. */
  public synchronized void discard() {
    clear();
  }

  private void clear() {
    pending.clear();
    graph.forgetAll();
    newTables.clear();
    base = -1;
    pendingNext = 0;
  }

  /** Drops pending changes (without flushing them) and closes the backing store. */
  @Override
  public synchronized void close() {
    clear();
    backing.close();
  }
}
