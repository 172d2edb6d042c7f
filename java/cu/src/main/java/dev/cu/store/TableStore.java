package dev.cu.store;

import dev.cu.codec.Cbor;
import java.util.Set;

/**
 * Where the content of external tables ({@code _home} and everything reachable from it) lives: the
 * service provider interface between the VM and a store. The VM loads a table's entries on first
 * access and commits each successful compute's changes in one call. {@link InMemoryTableStore},
 * {@link LmdbTableStore}, {@link OverlayTableStore} and {@link MapTableStore} implement it; the
 * test {@code dev.cu.store.TableStoreContract} checks the contract below against each of them and
 * can be run against any other implementation.
 *
 * <h2>Ids</h2>
 *
 * Every table has an id in {@code [0, 2^63-1]}. Tables, function rows and upvalue boxes share
 * one id space. A store hands out ids only through {@link #root} and {@link #nextId}: the VM gives
 * a new table the current next id and counts up from there, and reports its next free id with
 * each {@link #commit}. The next id never decreases and a root's id is below it, so an id once
 * handed out (to a root or through {@link #nextId}) is not handed out again, also after a table
 * of that id was removed. (Operations outside this interface that replace the whole content, such
 * as {@link LmdbTableStore#clear()}, start the ids over with it.)
 *
 * <h2>Rows</h2>
 *
 * A table is a set of rows, each a key and a value as encoded CBOR items (docs/FORMAT.md): a key is
 * a scalar; a value is a scalar, a reference to another table (tag {@link Cbor#TAG_EXTREF} + id), a
 * function reference (tag {@link Cbor#TAG_FUNCREF} + id) or a function row (tag {@link
 * Cbor#TAG_FUNCTION}, whose upvalue boxes are ids). A store keeps the bytes as given (two keys are
 * the same row when their bytes are equal) and need not understand values beyond the ids they refer
 * to, which {@link Delta#refsOf} finds. A table with no rows is not stored: {@link #load} answers
 * null for it, as for an id never used.
 *
 * <h2>Roots</h2>
 *
 * {@link #root} names the tables the VM starts from ({@code "home"}, {@code "io"}). A root's id is
 * stable for the store's content, and a root is never reclaimed, whatever refers to it.
 *
 * <h2>Commit</h2>
 *
 * {@link #commit} applies one compute's {@link Delta} as one atomic step: each change sets (or,
 * with a null value, deletes) one row, in order, so a later change to the same row wins. The step
 * also raises the next id to the VM's, updates the reference counts and reclaims. It either
 * happens whole or not at all: when it throws, the store's rows, roots, next id and counts are
 * those from before the call, and the store stays usable. After it returns, {@link #load}, {@link
 * #tableIds} and {@link #nextId} show it; a store that persists keeps it across closing and
 * reopening.
 *
 * <h2>Reference counting and reclamation</h2>
 *
 * A table is reachable when a chain of references from a root leads to it. A store must never
 * remove a reachable table, must report every table it removes (its rows and its count) by id,
 * and should remove unreachable tables soon, so that the content does not grow with garbage.
 * {@link #commit} returns the ids it removed (also of tables that had no rows), because the VM may
 * still hold such a table in a Lua variable: if the script attaches it again, the VM writes it in
 * full in a later commit, where it counts as a new table. A store that removes some tables later
 * than the commit that made them unreachable reports their ids where it removes them ({@link
 * OverlayTableStore#flush()}, for the tables its backing store holds), and its owner passes them
 * on to the VM like those of {@link #commit}. Tables of any depth and cycles must be handled
 * without exhausting the stack.
 *
 * <p>The stores of this package share one algorithm ({@code Reclaimer}): each keeps, per table,
 * the number of rows whose value refers to it (references to tables, to function rows and to
 * upvalue boxes all count). The commit that drops a count to zero, or creates a table that nothing
 * refers to, removes that table and, in cascade, every table whose count the removed rows bring
 * to zero. When a reference dropped by one of the commit's changes leaves a table that others
 * still refer to, a mark from the roots and a sweep then remove every unreachable table, garbage
 * cycles included. A cycle that only tables removed in cascade referred to therefore stays until
 * the next commit that sweeps.
 *
 * <h2>Threads</h2>
 *
 * A store serves one compute unit at a time, and its methods are called by one thread at a time:
 * the thread that runs the unit, which may change between calls, so a call's effects must be
 * visible to the next call from another thread. Nothing else needs synchronization.
 */
public interface TableStore extends AutoCloseable {
  /**
   * The id of the root table {@code name}, created empty (from the next id, which it raises) on
   * first use; the same id for the same name from then on.
   *
   * @throws IllegalArgumentException when the store cannot hold such a name (e.g. null, or longer
   *     than the store allows)
   * @throws CuStoreException when the store cannot be read or written, or is closed
   */
  long root(String name);

  /**
   * The first id the VM may give a new table: above every id handed out so far, and never lower
   * than at an earlier call.
   *
   * @throws CuStoreException when the store cannot be read, or is closed
   */
  long nextId();

  /**
   * The rows of table {@code id} as one CBOR map (one entry per row, keys and values as they were
   * committed, in any order), or null when the table has none (also for an id never used or a
   * removed table). Called once per table per unit, on first access.
   *
   * @throws CuStoreException when the table cannot be read (its subclass {@link CuStateException}
   *     when stored data fails an integrity check), or the store is closed
   */
  byte[] load(long id);

  /**
   * Applies one compute's changes atomically: each {@link Delta.Change} sets or (value null)
   * deletes one entry. {@code nextId} is the VM's next free id after the compute; the store's next
   * id becomes the larger of the two. Then the store removes the tables that are no longer
   * reachable from a root (see the class comment) and returns their ids, so that the VM can write
   * such a table again in full if a Lua variable still holds it and re-attaches it.
   *
   * @return the ids of the tables removed as unreachable, ascending (empty when none)
   * @throws CuStoreException when the changes cannot be applied (a malformed table reference or
   *     function row in a value, a negative table id, a failure of the storage), or the store is
   *     closed; nothing is applied then
   */
  long[] commit(Delta delta, long nextId);

  /**
   * The ids of all tables that hold at least one entry, plus the roots.
   *
   * @throws CuStoreException when the store cannot be read, or is closed
   */
  Set<Long> tableIds();

  /**
   * Releases what the store holds (a persistent store keeps its committed content for the next
   * opening). Idempotent. Other methods may throw {@link CuStoreException} afterwards.
   */
  @Override
  void close();
}
