package dev.cu.store;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link TableStore} in the JVM heap: the default when no storage is configured. Its content
 * lives as long as the store object. Tables no longer reachable from a root are removed after
 * the commit that dropped the last reference to them.
 */
public final class InMemoryTableStore implements TableStore {
  private final Map<Long, Map<ByteBuffer, byte[]>> tables = new HashMap<>();
  private final Map<String, Long> roots = new LinkedHashMap<>();
  private long nextId = 1;

  @Override
  public synchronized long root(String name) {
    return roots.computeIfAbsent(name, n -> nextId++);
  }

  @Override
  public synchronized long nextId() {
    return nextId;
  }

  @Override
  public synchronized byte[] load(long id) {
    Map<ByteBuffer, byte[]> t = tables.get(id);
    if (t == null || t.isEmpty()) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeHead(out, 5, t.size());
    for (Map.Entry<ByteBuffer, byte[]> e : t.entrySet()) {
      ByteBuffer k = e.getKey();
      out.write(k.array(), k.arrayOffset(), k.remaining());
      out.writeBytes(e.getValue());
    }
    return out.toByteArray();
  }

  @Override
  public synchronized void commit(Delta delta, long next) {
    boolean dropped = false;
    for (Delta.Change c : delta.changes()) {
      Map<ByteBuffer, byte[]> t = tables.computeIfAbsent(c.table(), id -> new LinkedHashMap<>());
      ByteBuffer key = ByteBuffer.wrap(c.key());
      byte[] old = c.value() == null ? t.remove(key) : t.put(key, c.value());
      dropped |= Delta.refOf(old) >= 0;
      if (t.isEmpty()) {
        tables.remove(c.table());
      }
    }
    nextId = Math.max(nextId, next);
    if (dropped) {
      sweep();
    }
  }

  /** Removes every table not reachable from a root. */
  private void sweep() {
    Set<Long> live = new HashSet<>(roots.values());
    ArrayDeque<Long> todo = new ArrayDeque<>(live);
    while (!todo.isEmpty()) {
      Map<ByteBuffer, byte[]> t = tables.get(todo.poll());
      if (t == null) {
        continue;
      }
      for (byte[] v : t.values()) {
        long ref = Delta.refOf(v);
        if (ref >= 0 && live.add(ref)) {
          todo.add(ref);
        }
      }
    }
    tables.keySet().retainAll(live);
  }

  @Override
  public synchronized Set<Long> tableIds() {
    Set<Long> ids = new TreeSet<>(tables.keySet());
    ids.addAll(roots.values());
    return ids;
  }

  @Override
  public void close() {
    // nothing to release: the content goes with the object
  }

  private static void writeHead(ByteArrayOutputStream out, int major, long v) {
    int m = major << 5;
    if (v < 24) {
      out.write(m | (int) v);
    } else if (v <= 0xff) {
      out.write(m | 24);
      out.write((int) v);
    } else if (v <= 0xffff) {
      out.write(m | 25);
      out.write((int) (v >>> 8));
      out.write((int) v);
    } else {
      out.write(m | 27);
      for (int i = 7; i >= 0; i--) {
        out.write((int) (v >>> (8 * i)));
      }
    }
  }
}
