package dev.cu.pool;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of pools: daemon threads named {@code cu-pool-<pool>-<thread>}, each knowing its
 * pool, so that a pool can refuse to wait for itself on one of its own threads.
 */
final class PoolThreads {
  private static final AtomicInteger POOLS = new AtomicInteger();
  private static final ThreadLocal<Object> OWNER = new ThreadLocal<>();

  private PoolThreads() {}

  static ExecutorService executor(int threads, Object owner) {
    int pool = POOLS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    ThreadFactory f =
        r -> {
          Thread t =
              new Thread(
                  () -> {
                    OWNER.set(owner);
                    r.run();
                  },
                  "cu-pool-" + pool + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return Executors.newFixedThreadPool(threads, f);
  }

  /**
   * Refuses {@code what} on a thread of {@code owner}: a request waiting for its own pool (from a
   * host function, or a callback of a request's future, which runs on the pool's thread) would
   * wait for itself.
   *
   * @throws IllegalStateException on a thread of {@code owner}
   */
  static void refuseOwnThread(Object owner, String what) {
    if (OWNER.get() == owner) {
      throw new IllegalStateException(
          what
              + " waits for the pool, and this is one of its threads (a host function or a"
              + " future's callback): use submit or call and do not wait for them here");
    }
  }

  /** Hands {@code t}, which no caller can receive, to the thread's uncaught-exception handler. */
  static void report(Throwable t) {
    Thread me = Thread.currentThread();
    me.getUncaughtExceptionHandler().uncaughtException(me, t);
  }
}
