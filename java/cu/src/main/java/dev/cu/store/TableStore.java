package dev.cu.store;

import java.util.Set;

/**
 * Where the content of external tables ({@code _home} and everything reachable from it) lives.
 * The VM loads a table's entries on first access and commits each successful compute's changes
 * in one call. Keys and values are CBOR items (docs/FORMAT.md): a key is a scalar; a value is a
 * scalar, a reference to another table (tag {@code 0x63750002} + id) or a function reference
 * (tag {@code 0x63750003}). Implementations need not understand values beyond finding table
 * references, which {@link Delta} does for them.
 *
 * <p>A store is used by one compute unit at a time, from the thread that runs it.
 */
public interface TableStore extends AutoCloseable {
  /** The id of the root table {@code name} ("home", "io"), created empty if absent. */
  long root(String name);

  /** The first id the VM may give a new table; grows with every commit. */
  long nextId();

  /**
   * The entries of table {@code id} as one CBOR map, or null when the table has none. Called
   * once per table per unit, on first access.
   *
   * @throws CuStoreException when the table cannot be read
   */
  byte[] load(long id);

  /**
   * Applies one compute's changes atomically: each {@link Delta.Change} sets or (value null)
   * deletes one entry. {@code nextId} is the VM's next free id after the compute. A store may
   * then remove tables no longer reachable from a root; it returns their ids, so that the VM
   * can write such a table again in full if a Lua variable still holds it and re-attaches it.
   *
   * @return the ids of the tables removed as unreachable (empty when none)
   * @throws CuStoreException when the changes cannot be applied; nothing is applied then
   */
  long[] commit(Delta delta, long nextId);

  /** The ids of all tables that hold at least one entry, plus the roots. */
  Set<Long> tableIds();

  @Override
  void close();
}
