package dev.cu.store;

/**
 * A {@link RefGraph} whose reference counts live in a map on the heap, as the in-memory and
 * overlay stores keep them; the store supplies the rest of the graph.
 */
abstract class CountedRefGraph implements RefGraph {
  /** How many rows refer to each table; an absent id counts zero. */
  private final LongCounts counts = new LongCounts();

  @Override
  public long count(long id) {
    return counts.get(id);
  }

  @Override
  public long adjust(long id, long delta) {
    return counts.add(id, delta);
  }

  @Override
  public void forget(long id) {
    counts.remove(id);
  }

  /** Drops every count. */
  void forgetAll() {
    counts.clear();
  }
}
