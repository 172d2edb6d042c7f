package dev.cu;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.codec.CborEncoder;
import dev.cu.internal.NativeUnit;
import dev.cu.store.Delta;
import dev.cu.store.TableStore;

/**
 * The external-table upcalls of one unit, answered by its {@link TableStore}: a table's rows
 * on a miss, and at the end of each successful run its changes, whose commit may remove tables
 * that became unreachable (their ids go back to the VM).
 */
final class StoreBridge implements NativeUnit.Store {
  private final TableStore store;
  private final ObjectMapper mapper;

  StoreBridge(TableStore store, ObjectMapper mapper) {
    this.store = store;
    this.mapper = mapper;
  }

  @Override
  public byte[] load(long id) {
    return store.load(id);
  }

  @Override
  public byte[] commit(byte[] delta, long nextId) {
    long[] removed = store.commit(Delta.parse(delta), nextId);
    return removed.length == 0 ? null : CborEncoder.encode(removed, mapper);
  }
}
