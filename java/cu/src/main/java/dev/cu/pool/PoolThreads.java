package dev.cu.pool;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The threads of pools: daemon threads named {@code cu-pool-<pool>-<thread>}. */
final class PoolThreads {
  private static final AtomicInteger POOLS = new AtomicInteger();

  private PoolThreads() {}

  static ExecutorService executor(int threads) {
    int pool = POOLS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    ThreadFactory f =
        r -> {
          Thread t = new Thread(r, "cu-pool-" + pool + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return Executors.newFixedThreadPool(threads, f);
  }
}
