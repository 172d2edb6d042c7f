package dev.cu.store;

import dev.cu.codec.Cbor;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link TableStore} in the JVM heap: the default when no storage is configured. Its content
 * lives as long as the store object. Tables no longer reachable from a root are removed by the
 * commit that dropped the last reference to them: reference counts find most of them at once;
 * when a reference is dropped to a table that others still refer to, a mark-and-sweep from the
 * roots also finds garbage cycles.
 */
public final class InMemoryTableStore implements TableStore {
  private final Map<Long, Map<RowKey, byte[]>> tables = new HashMap<>();
  private final Map<String, Long> roots = new LinkedHashMap<>();
  private final Set<Long> rootIds = new HashSet<>();
  /** How many rows refer to each table. */
  private final Map<Long, Integer> refs = new HashMap<>();
  private long nextId = 1;

  @Override
  public synchronized long root(String name) {
    return roots.computeIfAbsent(name, n -> {
      rootIds.add(nextId);
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
    for (Delta.Change c : changes) {
      Delta.refsOf(c.value());  // a malformed reference fails the commit before any change
    }
    Set<Long> released = new HashSet<>();
    Set<Long> lowered = new HashSet<>();  // counts that fell to zero or below
    boolean shared = false;
    long current = 0;
    Map<RowKey, byte[]> t = null;  // the rows of table 'current', null when it has none
    for (Delta.Change c : changes) {
      long id = c.table();
      if (t == null || id != current) {
        current = id;
        t = tables.get(id);
      }
      if (t == null) {
        if (!rootIds.contains(id)) {
          released.add(id);  // new: kept only if something refers to it
        }
        t = new LinkedHashMap<>();
        tables.put(id, t);
      }
      RowKey key = new RowKey(c.key());
      byte[] old = c.value() == null ? t.remove(key) : t.put(key, c.value());
      for (long ref : Delta.refsOf(c.value())) {
        refs.merge(ref, 1, Integer::sum);
      }
      for (long ref : Delta.refsOf(old)) {
        released.add(ref);
        int n = refs.merge(ref, -1, Integer::sum);
        shared |= n > 0;
        if (n <= 0) {
          lowered.add(ref);
        }
      }
      if (t.isEmpty()) {
        tables.remove(id);
        t = null;
      }
    }
    nextId = Math.max(nextId, next);
    Set<Long> removed = new HashSet<>();
    ArrayDeque<Long> todo = new ArrayDeque<>(released);
    while (!todo.isEmpty()) {
      long id = todo.poll();
      if (refs.getOrDefault(id, 0) > 0 || rootIds.contains(id) || removed.contains(id)) {
        continue;
      }
      removed.add(id);
      refs.remove(id);
      Map<RowKey, byte[]> rows = tables.remove(id);
      for (byte[] v : rows == null ? List.<byte[]>of() : rows.values()) {
        for (long ref : Delta.refsOf(v)) {
          if (refs.merge(ref, -1, Integer::sum) <= 0) {
            lowered.add(ref);
            todo.add(ref);
          }
        }
      }
    }
    if (shared) {
      removed.addAll(sweep(lowered));  // a still-referenced table may sit on a garbage cycle
    }
    for (Long id : lowered) {  // counts of removed tables must not linger below zero
      Integer n = refs.get(id);
      if (n != null && n <= 0) {
        refs.remove(id);
      }
    }
    long[] ids = removed.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(ids);
    return ids;
  }

  /**
   * Removes every table not reachable from a root; returns their ids. Ids whose count falls to
   * zero or below are added to {@code lowered}.
   */
  private Set<Long> sweep(Set<Long> lowered) {
    Set<Long> live = new HashSet<>(rootIds);
    ArrayDeque<Long> todo = new ArrayDeque<>(live);
    while (!todo.isEmpty()) {
      Map<RowKey, byte[]> t = tables.get(todo.poll());
      if (t == null) {
        continue;
      }
      for (byte[] v : t.values()) {
        for (long ref : Delta.refsOf(v)) {
          if (live.add(ref)) {
            todo.add(ref);
          }
        }
      }
    }
    Set<Long> dead = new TreeSet<>(tables.keySet());
    dead.removeAll(live);
    for (Long id : dead) {
      for (byte[] v : tables.remove(id).values()) {
        for (long ref : Delta.refsOf(v)) {
          if (refs.merge(ref, -1, Integer::sum) <= 0) {
            lowered.add(ref);
          }
        }
      }
      refs.remove(id);
    }
    return dead;
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
