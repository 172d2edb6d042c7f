package dev.cu.store;

/**
 * Where a {@link MapTableStore} keeps its content, for storage that another system owns (Flink's
 * keyed state, for one): each table's rows by table id, the reference counts by table id, the
 * roots by name, and the next id. The store decides the content and the format; an
 * implementation only keeps what it is given and answers it back.
 *
 * <p>Values are handed over as they are: {@link #putTable} may keep the array (the store never
 * changes it afterwards), and {@link #table} may return the array it keeps (the store never
 * changes it). A {@link MapTableStore} writes only after a commit was fully computed, so a
 * failing commit writes nothing; an exception of the map itself in the middle of the writes
 * leaves the writes before it in place (see {@link MapTableStore}).
 *
 * <p>Methods are called by one thread at a time, as the store's are. Exceptions an
 * implementation throws reach the store's caller; a {@link CuStoreException} is the expected one.
 */
public interface TableMap {
  /** The rows of table {@code id} as one CBOR map with at least one entry, or null. */
  byte[] table(long id);

  /** Stores the rows of table {@code id}: one CBOR map with at least one entry. */
  void putTable(long id, byte[] rows);

  /** Removes table {@code id}'s rows; nothing happens when it has none. */
  void removeTable(long id);

  /** The ids of every table with rows, in any order; not changed while the caller iterates. */
  Iterable<Long> tableIds();

  /** How many rows refer to table {@code id}; zero when no count is kept. */
  long count(long id);

  /** Keeps {@code count} (at least 1) as table {@code id}'s count. */
  void putCount(long id, long count);

  /** Drops table {@code id}'s count: afterwards {@link #count} answers zero. */
  void removeCount(long id);

  /** The id of the root {@code name}, or null when there is no such root. */
  Long root(String name);

  /** Keeps {@code id} as the id of the root {@code name}. */
  void putRoot(String name, long id);

  /** The ids of every root, in any order. */
  Iterable<Long> rootIds();

  /** The next id kept by {@link #putNextId}; zero when none was kept. */
  long nextId();

  /** Keeps {@code next} as the next id. */
  void putNextId(long next);
}
