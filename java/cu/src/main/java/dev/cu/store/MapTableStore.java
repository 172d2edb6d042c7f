package dev.cu.store;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;

/**
 * A {@link TableStore} over a {@link TableMap}: storage of another system that keeps one value per
 * table (its rows as one CBOR map, as {@link #load} returns them), the reference counts, the
 * roots and the next id. A load is one {@link TableMap#table} call; a commit reads and rewrites
 * each table it changes whole, so a table's size, not the store's, bounds the cost of a change,
 * except when the commit sweeps (it dropped a reference to a table that others still refer to):
 * the sweep reads every table, as every store's does.
 *
 * <p>A commit is computed in memory first: the changes, the counts and the reclamation ({@code
 * Reclaimer}, as every store here) work on copies of the tables they touch, and only when all of
 * that succeeded are the results written to the map. A malformed delta or a malformed stored table
 * therefore writes nothing. The writes themselves are not atomic: when the map throws in their
 * middle, the writes before it stay. A map whose owner replays from a consistent copy after such a
 * failure (Flink restores the last checkpoint when a task fails) keeps the contract; any other
 * must not be used after the exception.
 *
 * <p>The store keeps nothing but the map: several stores over one map see one content, and a new
 * store over a map continues where the last one stopped.
 */
public final class MapTableStore implements TableStore {
  private final TableMap map;
  private boolean closed;

  /**
   * A store over {@code map}, which the caller owns: {@link #close()} does not close it.
   *
   * @throws IllegalArgumentException when {@code map} is null
   */
  public MapTableStore(TableMap map) {
    if (map == null) {
      throw new IllegalArgumentException("table map is null");
    }
    this.map = map;
  }

  @Override
  public long root(String name) {
    open();
    if (name == null) {
      throw new IllegalArgumentException("root name is null");
    }
    Long id = map.root(name);
    if (id != null) {
      return id;
    }
    long next = nextId();
    map.putNextId(next + 1);
    map.putRoot(name, next);
    return next;
  }

  @Override
  public long nextId() {
    open();
    return Math.max(1, map.nextId());
  }

  @Override
  public byte[] load(long id) {
    open();
    return map.table(id);
  }

  @Override
  public long[] commit(Delta delta, long next) {
    open();
    List<Delta.Change> changes = delta.changes();
    long[][] newRefs = delta.checkedRefs(); // a bad change fails the commit before any change
    Pending graph = new Pending();
    Reclaimer reclaimer = new Reclaimer(graph);
    for (int i = 0; i < newRefs.length; i++) {
      Delta.Change c = changes.get(i);
      long id = c.table();
      Map<ByteBuffer, byte[]> rows = graph.rows(id);
      if (rows.isEmpty() && !graph.pinned(id)) {
        reclaimer.created(id); // new: kept only if something refers to it
      }
      ByteBuffer key = ByteBuffer.wrap(c.key());
      byte[] old = c.value() == null ? rows.remove(key) : rows.put(key, c.value());
      if (old != null && Arrays.equals(old, c.value())) {
        continue; // the same row: the graph does not change
      }
      reclaimer.referenced(newRefs[i]);
      reclaimer.dropped(Delta.refsOf(old));
    }
    long[] removed = reclaimer.reclaim();
    graph.write(Math.max(nextId(), next));
    return removed;
  }

  @Override
  public Set<Long> tableIds() {
    open();
    Set<Long> ids = new TreeSet<>();
    map.tableIds().forEach(ids::add);
    map.rootIds().forEach(ids::add);
    return ids;
  }

  /** Marks the store closed; the map stays as it is (its owner closes it). Idempotent. */
  @Override
  public void close() {
    closed = true;
  }

  private void open() {
    if (closed) {
      throw new CuStoreException("the table store is closed");
    }
  }

  /**
   * One commit's view of the map: the tables and counts it touched, as copies, over the map's
   * content; {@link #write} puts them into the map at the end.
   */
  private final class Pending implements RefGraph {
    /** The rows of each table the commit read or changed; empty for a table without rows. */
    private final Map<Long, Map<ByteBuffer, byte[]>> tables = new LinkedHashMap<>();

    /** The counts the commit changed; 0 or less for a count to drop. */
    private final Map<Long, Long> counts = new HashMap<>();

    /** The tables whose rows the commit changed. */
    private final Set<Long> changed = new HashSet<>();

    private Set<Long> roots;

    /** The rows of {@code id} for the commit to change (the table counts as changed). */
    Map<ByteBuffer, byte[]> rows(long id) {
      changed.add(id);
      return read(id);
    }

    private Map<ByteBuffer, byte[]> read(long id) {
      Map<ByteBuffer, byte[]> rows = tables.get(id);
      if (rows == null) {
        byte[] stored = map.table(id);
        rows = stored == null ? new LinkedHashMap<>() : StoreBytes.entries(stored);
        tables.put(id, rows);
      }
      return rows;
    }

    @Override
    public boolean pinned(long id) {
      if (roots == null) {
        roots = new HashSet<>();
        map.rootIds().forEach(roots::add);
      }
      return roots.contains(id);
    }

    @Override
    public long count(long id) {
      Long c = counts.get(id);
      return c != null ? c : map.count(id);
    }

    @Override
    public long adjust(long id, long delta) {
      long c = count(id) + delta;
      counts.put(id, c);
      return c;
    }

    @Override
    public void forget(long id) {
      counts.put(id, 0L);
    }

    @Override
    public void delete(long id, LongConsumer ref) {
      Map<ByteBuffer, byte[]> rows = rows(id);
      for (byte[] v : rows.values()) {
        for (long r : Delta.refsOf(v)) {
          ref.accept(r);
        }
      }
      rows.clear();
    }

    @Override
    public Set<Long> tables() {
      Set<Long> ids = new HashSet<>();
      map.tableIds().forEach(ids::add);
      for (Map.Entry<Long, Map<ByteBuffer, byte[]>> e : tables.entrySet()) {
        if (e.getValue().isEmpty()) {
          ids.remove(e.getKey());
        } else {
          ids.add(e.getKey());
        }
      }
      return ids;
    }

    @Override
    public void marks(LongConsumer id) {
      map.rootIds().forEach(id::accept);
    }

    @Override
    public void refs(long id, LongConsumer ref) {
      for (byte[] v : read(id).values()) {
        for (long r : Delta.refsOf(v)) {
          ref.accept(r);
        }
      }
    }

    /** Writes the changed tables and counts, then the next id, into the map. */
    void write(long next) {
      for (long id : changed) {
        Map<ByteBuffer, byte[]> rows = tables.get(id);
        if (rows.isEmpty()) {
          map.removeTable(id);
        } else {
          List<byte[][]> list = new ArrayList<>(rows.size());
          for (Map.Entry<ByteBuffer, byte[]> e : rows.entrySet()) {
            list.add(new byte[][] {e.getKey().array(), e.getValue()});
          }
          map.putTable(id, StoreBytes.map(list, list.size()));
        }
      }
      for (Map.Entry<Long, Long> e : counts.entrySet()) {
        if (e.getValue() > 0) {
          map.putCount(e.getKey(), e.getValue());
        } else {
          map.removeCount(e.getKey());
        }
      }
      if (next != map.nextId()) {
        map.putNextId(next);
      }
    }
  }
}
