package dev.cu.pool;

import dev.cu.ComputeUnit;
import dev.cu.store.LmdbTableStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One key's requests: an actor that runs them one at a time, in arrival order, on the pool's
 * threads. While it has requests it is scheduled on the executor once; it runs at most {@link
 * #BATCH} of them before it schedules itself again, so busy keys take turns with the others.
 *
 * <p>Invariants: {@code scheduled} is true while the slot is queued on or running on the
 * executor, so at most one thread runs a key's requests; a retired slot takes no request ({@link
 * #offer} returns false) and the pool's map replaces it, or drops it, at once. {@code
 * live} and {@code closing} are guarded by the {@link LiveUnits} lock; the queue and the flags
 * by this object's. Lock order: {@link LiveUnits}, then a slot.
 */
final class KeySlot implements Runnable {
  static final int BATCH = 16;

  /** A live unit and the store of its namespace, which the pool closes after the unit. */
  record Live(ComputeUnit unit, LmdbTableStore store) {}

  /** Work for a key's unit, run on the slot's turn. */
  @FunctionalInterface
  interface Work {
    Object run(KeySlot slot) throws Exception;
  }

  /** An accepted request. */
  record Request(Work work, CompletableFuture<Object> future, long acceptedNanos) {}

  final String key;
  final String namespace;
  private final UnitPool pool;

  private final ArrayDeque<Request> queue = new ArrayDeque<>();
  private boolean scheduled;
  private boolean retired;

  /** The key's unit while it is live (LiveUnits lock). */
  Live live;

  /** The close of the key's last evicted unit, which a new unit waits for (LiveUnits lock). */
  CompletableFuture<Void> closing;

  KeySlot(UnitPool pool, String key, String namespace) {
    this.pool = pool;
    this.key = key;
    this.namespace = namespace;
  }

  /** Queues {@code r}; false when the slot is retired (nothing queued). */
  boolean offer(Request r) {
    synchronized (this) {
      if (retired) {
        return false;
      }
      queue.add(r);
      if (scheduled) {
        return true;
      }
      scheduled = true;
    }
    pool.schedule(this);
    return true;
  }

  /** Whether the slot is retired: it takes no request, and the pool's map replaces it. */
  synchronized boolean retired() {
    return retired;
  }

  /** Takes every queued request out (the pool's cancelling close). */
  synchronized List<Request> drain() {
    List<Request> all = new ArrayList<>(queue);
    queue.clear();
    return all;
  }

  /**
   * Retires the slot when it has nothing queued and is not scheduled; the caller holds the
   * LiveUnits lock and has seen that the slot has no live unit.
   */
  synchronized boolean retireIfIdle() {
    if (scheduled || !queue.isEmpty() || retired) {
      return false;
    }
    retired = true;
    return true;
  }

  @Override
  public void run() {
    for (int i = 0; i < BATCH; i++) {
      Request r;
      synchronized (this) {
        r = queue.poll();
        if (r == null) {
          scheduled = false; // an offer from now on schedules the slot again
        }
      }
      if (r == null) {
        pool.idle(this);
        return;
      }
      pool.execute(this, r);
    }
    boolean more;
    synchronized (this) {
      more = !queue.isEmpty();
      scheduled = more; // requests left are accepted ones: the pool's executor still runs
    }
    if (more) {
      pool.schedule(this); // the next turn is this slot's again
    } else {
      pool.idle(this);
    }
  }

  @Override
  public String toString() {
    return "KeySlot[" + key + "]";
  }
}
