package dev.cu.store;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A {@link TableMap} in plain hash maps that counts its writes, for tests of {@link
 * MapTableStore}.
 */
final class HeapTableMap implements TableMap {
  final Map<Long, byte[]> tables = new HashMap<>();
  final Map<Long, Long> counts = new HashMap<>();
  final Map<String, Long> roots = new HashMap<>();
  long next;
  int writes;

  @Override
  public byte[] table(long id) {
    return tables.get(id);
  }

  @Override
  public void putTable(long id, byte[] rows) {
    write();
    tables.put(id, rows);
  }

  @Override
  public void removeTable(long id) {
    write();
    tables.remove(id);
  }

  @Override
  public Iterable<Long> tableIds() {
    return new TreeSet<>(tables.keySet());
  }

  @Override
  public long count(long id) {
    return counts.getOrDefault(id, 0L);
  }

  @Override
  public void putCount(long id, long count) {
    write();
    if (count < 1) {
      throw new AssertionError("count " + count + " kept for table " + id);
    }
    counts.put(id, count);
  }

  @Override
  public void removeCount(long id) {
    write();
    counts.remove(id);
  }

  @Override
  public Long root(String name) {
    return roots.get(name);
  }

  @Override
  public void putRoot(String name, long id) {
    write();
    roots.put(name, id);
  }

  @Override
  public Iterable<Long> rootIds() {
    return new TreeSet<>(roots.values());
  }

  @Override
  public long nextId() {
    return next;
  }

  @Override
  public void putNextId(long next) {
    write();
    this.next = next;
  }

  private void write() {
    writes++;
  }
}
