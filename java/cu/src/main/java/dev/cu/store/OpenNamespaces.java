package dev.cu.store;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The namespaces of an {@link LmdbEnvironment} that are open in this JVM, each with the
 * cross-process {@link NamespaceLock} its store holds: who may open a store of a namespace, and
 * how long an opener waits for another store of it to close. Thread-safe: the map's monitor
 * guards it and wakes waiters when a namespace is released.
 */
final class OpenNamespaces {
  private final Path dir;

  /** The environment's check that it is not closed; throws {@link CuStoreException} if it is. */
  private final Runnable checkOpen;

  /**
   * The namespaces open in this JVM, with their cross-process locks (null while the lock is
   * being acquired); its monitor guards it.
   */
  private final Map<String, NamespaceLock> inUse = new HashMap<>();

  OpenNamespaces(Path dir, Runnable checkOpen) {
    this.dir = dir;
    this.checkOpen = checkOpen;
  }

  /** Marks {@code namespace} open in this JVM, waiting until the deadline for another store. */
  void claim(String namespace, long start, long deadline) {
    synchronized (inUse) {
      while (true) {
        checkOpen.run();
        if (!inUse.containsKey(namespace)) {
          inUse.put(namespace, null);
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new CuLockTimeoutException(
              "namespace "
                  + namespace
                  + " in "
                  + dir
                  + " is already open in this process (pid "
                  + ProcessHandle.current().pid()
                  + "); gave up after "
                  + (System.nanoTime() - start) / 1_000_000
                  + " ms",
              "pid=" + ProcessHandle.current().pid() + " (this process)");
        }
        try {
          inUse.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CuStoreException(
              "interrupted while waiting for namespace " + namespace + " in " + dir, e);
        }
      }
    }
  }

  /** Records the cross-process lock of {@code namespace}, claimed before. */
  void hold(String namespace, NamespaceLock lock) {
    synchronized (inUse) {
      checkOpen.run();
      inUse.put(namespace, lock);
    }
  }

  /**
   * Releases {@code namespace}: its lock file, then its mark in this JVM. The lock goes first,
   * so a waiter this wakes never finds the JVM still holding the file lock.
   */
  void release(String namespace) {
    synchronized (inUse) {
      NamespaceLock lock = inUse.remove(namespace);
      if (lock != null) {
        lock.close();
      }
      inUse.notifyAll();
    }
  }

  /** Releases every namespace: at the environment's close. */
  void releaseAll() {
    synchronized (inUse) {
      for (NamespaceLock l : inUse.values()) {
        if (l != null) {
          l.close();
        }
      }
      inUse.clear();
      inUse.notifyAll();
    }
  }
}
