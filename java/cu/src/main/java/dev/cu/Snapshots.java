package dev.cu;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.codec.CborEncoder;
import dev.cu.internal.NativeUnit;
import dev.cu.store.TableStore;
import java.util.List;

/**
 * The saved states of a unit with storage: saving, loading (the last saved state or a named
 * one), listing and deleting. Keeps the VM in step with the store: tables the store removes
 * are reported to the VM, and after a load the VM forgets its tables and binds the roots
 * again. The caller holds the unit (see {@link Guard}) around each method.
 */
final class Snapshots {
  private final Storage storage;
  private final NativeUnit unit;
  private final TableStore store;
  private final Roots roots;
  private final ObjectMapper mapper;

  /** {@code storage} is null for a unit without storage: every method then throws. */
  Snapshots(Storage storage, NativeUnit unit, TableStore store, Roots roots, ObjectMapper mapper) {
    this.storage = storage;
    this.unit = unit;
    this.store = store;
    this.roots = roots;
    this.mapper = mapper;
  }

  void save() {
    detached(storage().save());
  }

  void save(String name) {
    detached(storage().save(name));
  }

  void load() {
    storage().load();
    reset();
  }

  void load(String name) {
    storage().load(name);
    reset();
  }

  List<String> list() {
    return storage().list();
  }

  boolean delete(String name) {
    return storage().delete(name);
  }

  /** Tables the store removed may still be held by Lua variables: the VM must know. */
  private void detached(long[] removed) {
    if (removed.length > 0) {
      unit.detached(CborEncoder.encode(removed, mapper));
    }
  }

  /** The VM forgets the tables of the state it had, then binds the roots of the new one. */
  private void reset() {
    unit.resetTables(store.nextId());
    roots.bind(unit);
  }

  private Storage storage() {
    if (storage == null) {
      throw new IllegalStateException("this unit has no storage: use builder().storage(dir)");
    }
    return storage;
  }
}
