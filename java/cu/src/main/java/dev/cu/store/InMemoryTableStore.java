package dev.cu.store;

import dev.cu.codec.Cbor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;

/**
 * A {@link TableStore} in the JVM heap: the default when no storage is configured. Its content
 * lives as long as the store object. Tables no longer reachable from a root are removed by the
 * commit that dropped the last reference to them ({@code Reclaimer}): reference counts find most
 * of them at once; when a reference is dropped to a table that others still refer to, a
 * mark-and-sweep from the roots also finds garbage cycles.
 */
public final class InMemoryTableStore implements TableStore {
  private final Map<Long, Map<RowKey, byte[]>> tables = new HashMap<>();
  private final Map<String, Long> roots = new LinkedHashMap<>();

  /** The ids of {@link #roots}, for lookups without boxing (a commit asks once per new table). */
  private final LongCounts rootIds = new LongCounts();

  private long nextId = 1;
  private final Graph graph = new Graph();

  @Override
  public synchronized long root(String name) {
    return roots.computeIfAbsent(
        name,
        n -> {
          rootIds.put(nextId, 1);
          return nextId++;
        });
  }

  @Override
  public synchronized long nextId() {
    return nextId;
  }

  @Override
  public synchronized byte[] load(long id) {
    Map<RowKey, byte[]> t = tables.get(id);
    if (t == null || t.isEmpty()) {
      return null;
    }
    Cbor.Writer out = new Cbor.Writer();
    out.head(Cbor.MAJOR_MAP, t.size());
    for (Map.Entry<RowKey, byte[]> e : t.entrySet()) {
      out.raw(e.getKey().bytes);
      out.raw(e.getValue());
    }
    return out.toByteArray();
  }

  @Override
  public synchronized long[] commit(Delta delta, long next) {
    List<Delta.Change> changes = delta.changes();
    long[][] newRefs = delta.checkedRefs(); // a bad change fails the commit before any change
    Reclaimer reclaimer = new Reclaimer(graph);
    long current = 0;
    Map<RowKey, byte[]> t = null; // the rows of table 'current', null when it has none
    for (int i = 0; i < newRefs.length; i++) {
      Delta.Change c = changes.get(i);
      long id = c.table();
      if (t == null || id != current) {
        current = id;
        t = tables.get(id);
      }
      if (t == null) {
        if (!rootIds.contains(id)) {
          reclaimer.created(id); // new: kept only if something refers to it
        }
        t = new LinkedHashMap<>();
        tables.put(id, t);
      }
      RowKey key = new RowKey(c.key());
      byte[] old = c.value() == null ? t.remove(key) : t.put(key, c.value());
      if (old != null && Arrays.equals(old, c.value())) {
        continue; // the same row: the graph does not change
      }
      reclaimer.referenced(newRefs[i]);
      reclaimer.dropped(Delta.refsOf(old));
      if (t.isEmpty()) {
        tables.remove(id);
        t = null;
      }
    }
    nextId = Math.max(nextId, next);
    return reclaimer.reclaim();
  }

  /** The store's maps as the {@code Reclaimer} sees them; used under the store's lock. */
  private final class Graph extends CountedRefGraph {
    @Override
    public boolean pinned(long id) {
      return rootIds.contains(id);
    }

    @Override
    public void delete(long id, LongConsumer ref) {
      Map<RowKey, byte[]> rows = tables.remove(id);
      if (rows != null) {
        for (byte[] v : rows.values()) {
          refsOf(v, ref);
        }
      }
    }

    @Override
    public Set<Long> tables() {
      return tables.keySet();
    }

    @Override
    public void marks(LongConsumer id) {
      roots.values().forEach(id::accept);
    }

    @Override
    public void refs(long id, LongConsumer ref) {
      Map<RowKey, byte[]> rows = tables.get(id);
      if (rows != null) {
        for (byte[] v : rows.values()) {
          refsOf(v, ref);
        }
      }
    }

    private static void refsOf(byte[] value, LongConsumer ref) {
      for (long r : Delta.refsOf(value)) {
        ref.accept(r);
      }
    }
  }

  @Override
  public synchronized Set<Long> tableIds() {
    Set<Long> ids = new TreeSet<>(tables.keySet());
    ids.addAll(roots.values());
    return ids;
  }

  /** An encoded key with its hash computed once (ByteBuffer recomputes it on every call). */
  private static final class RowKey {
    final byte[] bytes;
    private final int hash;

    RowKey(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RowKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }
  }

  @Override
  public void close() {
    // nothing to release: the content goes with the object
  }
}
