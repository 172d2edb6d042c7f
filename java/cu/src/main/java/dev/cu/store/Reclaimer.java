package dev.cu.store;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reclamation of one commit, the same for every store: reference counts find most
 * unreachable tables at once, and a mark-and-sweep finds garbage cycles. One instance per commit.
 *
 * <p>While the store applies the commit's changes, it reports for each changed row the table it
 * created ({@link #created}), then the references the new value holds ({@link #referenced}), then
 * those of the value it replaced or deleted ({@link #dropped}). After the last change (and after
 * the next id is stored), {@link #reclaim} removes:
 *
 * <ul>
 *   <li>every candidate (a created table, a table that lost a reference) whose count is zero or
 *       less and that is not pinned, and, in cascade, every table whose count the removed rows
 *       bring to zero or less (a work list, not recursion: chains of any length);
 *   <li>when a dropped reference left a table that others still refer to (it may sit on a
 *       garbage cycle), every table with rows that is not reachable from {@link RefGraph#marks}
 *       (a mark from the roots, then a sweep in ascending id order).
 * </ul>
 *
 * <p>The candidates are removed in ascending order of id, each followed by the tables its removal
 * brings to zero (a closure's boxes, whose ids follow its own): what is removed does not depend on
 * the order, and the LMDB store, which deletes rows through one cursor, finds the next table's
 * first row where the previous deletion left the cursor.
 *
 * <p>Only the references that the commit's changes drop can start a sweep, not those that the
 * cascade's removed rows drop: a sweep reads every row of an LMDB namespace, so a garbage cycle
 * that only removed tables referred to is left to the next commit that sweeps.
 *
 * <p>Finally every count that fell to zero or below and stayed there is dropped, so a table that
 * was removed and is attached again later (the VM writes it in full) counts from zero. Invariant:
 * for every table that is not removed, its count equals the number of rows that refer to it,
 * provided the counts were exact before the commit.
 */
final class Reclaimer {
  private static final long[] NONE = new long[0];

  private final RefGraph graph;

  /** Tables that may have become unreachable: created, or lost a reference (repeats allowed). */
  private final Ids candidates = new Ids();

  /** Counts that fell to zero or below; dropped at the end unless raised again (repeats too). */
  private final Ids lowered = new Ids();

  /** A dropped reference left a table that others still refer to. */
  private boolean shared;

  Reclaimer(RefGraph graph) {
    this.graph = graph;
  }

  /** Table {@code id} got rows in this commit and is not pinned: kept only if referred to. */
  void created(long id) {
    candidates.add(id);
  }

  /** A row's new value holds {@code refs}. */
  void referenced(long[] refs) {
    for (long ref : refs) {
      if (graph.counted(ref)) {
        graph.adjust(ref, 1);
      }
    }
  }

  /** A row's old value, replaced or deleted, held {@code refs}. */
  void dropped(long[] refs) {
    for (long ref : refs) {
      if (graph.counted(ref)) {
        candidates.add(ref);
        shared |= lower(ref) > 0;
      }
    }
  }

  private long lower(long ref) {
    long n = graph.adjust(ref, -1);
    if (n <= 0) {
      lowered.add(ref);
    }
    return n;
  }

  /**
   * Removes what the commit made unreachable (see the class comment).
   *
   * @return the removed ids, ascending (empty when none)
   * @throws CuStoreException when the graph fails to read or delete a row
   */
  long[] reclaim() {
    if (candidates.size == 0) {
      return NONE; // no table created, no reference dropped: nothing can have become garbage
    }
    LongCounts gone = new LongCounts(); // the removed ids, as a set
    Ids removed = new Ids();
    Ids todo = candidates; // a stack: the order of removal does not change what is removed
    todo.sortDescending(); // popped in ascending order: a store deletes its rows front to back
    while (todo.size > 0) {
      long id = todo.ids[--todo.size];
      if (graph.count(id) > 0 || graph.pinned(id) || gone.contains(id)) {
        continue;
      }
      gone.put(id, 1);
      removed.add(id);
      graph.forget(id);
      graph.delete(
          id,
          ref -> {
            if (graph.counted(ref) && lower(ref) <= 0) {
              todo.add(ref);
            }
          });
    }
    if (shared) {
      for (long id : sweep()) { // a still-referenced table may sit on a garbage cycle
        if (!gone.contains(id)) {
          gone.put(id, 1);
          removed.add(id);
        }
      }
    }
    for (int i = 0; i < lowered.size; i++) { // counts of removed tables must not linger below 0
      long id = lowered.ids[i];
      if (graph.count(id) <= 0) {
        graph.forget(id);
      }
    }
    if (removed.size == 0) {
      return NONE;
    }
    long[] ids = Arrays.copyOf(removed.ids, removed.size);
    Arrays.sort(ids);
    return ids;
  }

  /** Removes every table with rows that the mark does not reach; returns their ids. */
  private Set<Long> sweep() {
    Set<Long> dead = new TreeSet<>(graph.tables());
    Set<Long> live = new HashSet<>();
    ArrayDeque<Long> todo = new ArrayDeque<>();
    graph.marks(
        id -> {
          if (graph.counted(id) && live.add(id)) {
            todo.add(id);
          }
        });
    while (!todo.isEmpty()) {
      graph.refs(
          todo.poll(),
          ref -> {
            if (graph.counted(ref) && live.add(ref)) {
              todo.add(ref);
            }
          });
    }
    dead.removeAll(live);
    for (long id : dead) {
      graph.delete(
          id,
          ref -> {
            if (graph.counted(ref)) {
              lower(ref);
            }
          });
      graph.forget(id);
    }
    return dead;
  }

  /** A growable list of ids. */
  private static final class Ids {
    long[] ids = new long[16];
    int size;

    void add(long id) {
      if (size == ids.length) {
        ids = Arrays.copyOf(ids, size * 2);
      }
      ids[size++] = id;
    }

    /** Puts the ids in descending order, so that the last one (popped first) is the smallest. */
    void sortDescending() {
      Arrays.sort(ids, 0, size);
      for (int i = 0, j = size - 1; i < j; i++, j--) {
        long t = ids[i];
        ids[i] = ids[j];
        ids[j] = t;
      }
    }
  }
}
