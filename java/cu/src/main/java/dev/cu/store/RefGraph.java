package dev.cu.store;

import java.util.Set;
import java.util.function.LongConsumer;

/**
 * The reference graph of a store's tables as one commit sees it, for the {@link Reclaimer}. A node
 * is a table id (a table of rows, a function row's table or an upvalue box: they share one id
 * space); an edge is a reference that a row's value holds ({@link Delta#refsOf}). Each store
 * supplies one over its own rows and counts ({@link CountedRefGraph} keeps counts on the heap):
 * {@link InMemoryTableStore} over its maps, {@link LmdbTableStore} inside the commit's write
 * transaction, {@link OverlayTableStore} over the tables created since its last flush, {@link
 * MapTableStore} over copies of the tables a commit touches.
 *
 * <p>A reference count is the number of rows whose value refers to the table; a table that holds
 * no count has count zero. The reclaimer calls these methods from the committing thread only,
 * while the store holds whatever makes the commit exclusive.
 */
interface RefGraph {
  /**
   * Whether references to {@code id} are counted by this graph. False for tables that live
   * elsewhere (the overlay's backing tables): the reclaimer then neither counts nor follows
   * references to them.
   */
  default boolean counted(long id) {
    return true;
  }

  /** Whether {@code id} may never be reclaimed through this graph (a root, a backing table). */
  boolean pinned(long id);

  /** The reference count of {@code id} (zero when it holds none). */
  long count(long id);

  /** Adds {@code delta} to the count of {@code id}; returns the new count, which may be negative. */
  long adjust(long id, long delta);

  /** Drops the count of {@code id}: afterwards {@link #count} answers zero. */
  void forget(long id);

  /**
   * Deletes every row of table {@code id} and passes each reference those rows held to
   * {@code ref}, once per row that holds it. Does nothing when the table has no rows.
   *
   * @throws CuStoreException when a row cannot be read; the commit then fails
   */
  void delete(long id, LongConsumer ref);

  /**
   * The tables that hold rows and are candidates for the sweep. Called once at the start of a
   * sweep, before {@link #marks} and {@link #refs}; the set is not changed by the caller.
   */
  Set<Long> tables();

  /** Passes the ids the sweep's mark starts from: the roots, plus what a larger graph refers to. */
  void marks(LongConsumer id);

  /** Passes each reference held by the rows of table {@code id} (none when it has no rows). */
  void refs(long id, LongConsumer ref);
}
