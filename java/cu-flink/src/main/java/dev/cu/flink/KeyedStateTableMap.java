package dev.cu.flink;

import dev.cu.store.CuStoreException;
import dev.cu.store.TableMap;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * One key's {@link TableMap} in Flink's keyed state: four states of the operator (tables, counts,
 * roots, next id), which Flink scopes to the key it is processing. Checkpoints, savepoints,
 * restores and rescaling carry them like any keyed state, on every state backend.
 *
 * <p>Invariant: the map is used only while Flink's current key is this map's key. Every call
 * checks it and throws {@link CuStoreException} otherwise, so a unit can never read or write
 * another key's state. Every failure of the state is a {@link CuStoreException} too, which fails
 * the task rather than the event.
 */
final class KeyedStateTableMap implements TableMap {
  /** The states every key's map uses; Flink keeps one value of each per key. */
  static final class States {
    final MapState<Long, byte[]> tables;
    final MapState<Long, Long> counts;
    final MapState<String, Long> roots;
    final ValueState<Long> next;

    States(RuntimeContext context) {
      tables =
          context.getMapState(
              new MapStateDescriptor<>(
                  "cu.tables", Types.LONG, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
      counts = context.getMapState(new MapStateDescriptor<>("cu.counts", Types.LONG, Types.LONG));
      roots = context.getMapState(new MapStateDescriptor<>("cu.roots", Types.STRING, Types.LONG));
      next = context.getState(new ValueStateDescriptor<>("cu.next", Types.LONG));
    }
  }

  private final States states;
  private final Object key;
  private final Supplier<Object> currentKey;

  /** The first failure not yet taken ({@link #takeFailure}). */
  private CuStoreException failure;

  /** The map of {@code key}; {@code currentKey} answers the key Flink is processing now. */
  KeyedStateTableMap(States states, Object key, Supplier<Object> currentKey) {
    this.states = states;
    this.key = key;
    this.currentKey = currentKey;
  }

  /** A state read that may throw, as Flink's state methods do. */
  private interface Access<T> {
    T get() throws Exception;
  }

  /** A state write that may throw, as Flink's state methods do. */
  private interface Write {
    void run() throws Exception;
  }

  private void write(Write w) {
    access(
        () -> {
          w.run();
          return null;
        });
  }

  /**
   * The first failure since the last call, or null; forgets it. A script can catch a failure of
   * the store ({@code pcall}) or turn it into another error, so its owner asks here after each
   * step rather than trusting the exception it got.
   */
  CuStoreException takeFailure() {
    CuStoreException f = failure;
    failure = null;
    return f;
  }

  private <T> T access(Access<T> a) {
    Object now = currentKey.get();
    if (!key.equals(now)) {
      throw remember(
          new CuStoreException(
              "the state of key " + key + " was used while Flink processes key " + now));
    }
    try {
      return a.get();
    } catch (CuStoreException e) {
      throw remember(e);
    } catch (Exception e) { // checked or not (RocksDB's iterators throw unchecked ones)
      throw remember(new CuStoreException("Flink keyed state failed: " + e, e));
    }
  }

  private CuStoreException remember(CuStoreException e) {
    if (failure == null) {
      failure = e;
    }
    return e;
  }

  @Override
  public byte[] table(long id) {
    return access(() -> states.tables.get(id));
  }

  @Override
  public void putTable(long id, byte[] rows) {
    write(() -> states.tables.put(id, rows));
  }

  @Override
  public void removeTable(long id) {
    write(() -> states.tables.remove(id));
  }

  @Override
  public Iterable<Long> tableIds() {
    return access(() -> copy(states.tables.keys()));
  }

  @Override
  public long count(long id) {
    Long c = access(() -> states.counts.get(id));
    return c == null ? 0 : c;
  }

  @Override
  public void putCount(long id, long count) {
    write(() -> states.counts.put(id, count));
  }

  @Override
  public void removeCount(long id) {
    write(() -> states.counts.remove(id));
  }

  @Override
  public Long root(String name) {
    return access(() -> states.roots.get(name));
  }

  @Override
  public void putRoot(String name, long id) {
    write(() -> states.roots.put(name, id));
  }

  @Override
  public Iterable<Long> rootIds() {
    return access(() -> copy(states.roots.values()));
  }

  @Override
  public long nextId() {
    Long n = access(states.next::value);
    return n == null ? 0 : n;
  }

  @Override
  public void putNextId(long next) {
    write(() -> states.next.update(next));
  }

  private static List<Long> copy(Iterable<Long> ids) {
    List<Long> out = new ArrayList<>();
    if (ids != null) {
      ids.forEach(out::add);
    }
    return out;
  }
}
