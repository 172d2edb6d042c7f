package dev.cu;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The one-thread-at-a-time rule of a unit and its closing: a call claims the unit with one
 * CAS; a second thread, a re-entrant call (from a callback inside the unit's own call) and any
 * call after close are refused with {@link IllegalStateException}.
 */
final class Guard {
  private final AtomicReference<Thread> owner = new AtomicReference<>();
  private final Object lifecycle = new Object();
  private volatile boolean closing;
  private Runnable onEnter = () -> {};

  /** Runs {@code action} on the owning thread after each {@link #enter()} (pending releases). */
  void onEnter(Runnable action) {
    onEnter = action;
  }

  /** Whether the calling thread is inside a call of the unit. */
  boolean ownedByCurrentThread() {
    return owner.get() == Thread.currentThread();
  }

  /** Claims the unit for the calling thread. */
  void enter() {
    Thread me = Thread.currentThread();
    if (!owner.compareAndSet(null, me)) {
      Thread other = owner.get();
      if (other == me) {
        throw new IllegalStateException("compute unit called from inside its own call");
      }
      checkOpen();
      throw new IllegalStateException(
          "compute unit is in use by thread '"
              + (other == null ? "?" : other.getName())
              + "'; a unit belongs to one thread at a time");
    }
    if (closing) {
      owner.set(null);
      throw new IllegalStateException("compute unit is closed");
    }
    try {
      onEnter.run();
    } catch (RuntimeException | Error e) {
      owner.set(null);
      throw e;
    }
  }

  /** Runs {@code body} as a call of the unit. */
  void run(Runnable body) {
    enter();
    try {
      body.run();
    } finally {
      exit();
    }
  }

  /** Runs {@code body} as a call of the unit and returns its value. */
  <T> T get(java.util.function.Supplier<T> body) {
    enter();
    try {
      return body.get();
    } finally {
      exit();
    }
  }

  void exit() {
    owner.setRelease(null);
  }

  /** Whether the unit is closed or closing. */
  boolean closed() {
    return closing;
  }

  void checkOpen() {
    if (closing) {
      throw new IllegalStateException("compute unit is closed");
    }
  }

  /** Runs {@code action} unless the unit is closing; safe against a concurrent close. */
  void ifOpen(Runnable action) {
    synchronized (lifecycle) {
      if (!closing) {
        action.run();
      }
    }
  }

  /** Runs {@code read} while the unit cannot be freed; throws when it is closed. */
  <T> T whileOpen(java.util.function.Supplier<T> read) {
    synchronized (lifecycle) {
      checkOpen();
      return read.get();
    }
  }

  /**
   * Closes once: waits for a call in progress on another thread (calling {@code interrupt}
   * every millisecond meanwhile), then runs {@code release}.
   */
  void close(Runnable interrupt, Runnable release) {
    Thread me = Thread.currentThread();
    if (owner.get() == me) {
      throw new IllegalStateException("cannot close a compute unit from inside its own call");
    }
    synchronized (lifecycle) {
      if (closing) {
        return;
      }
      closing = true;
    }
    while (!owner.compareAndSet(null, me)) {
      interrupt.run();
      LockSupport.parkNanos(1_000_000);
    }
    try {
      synchronized (lifecycle) {
        release.run();
      }
    } finally {
      owner.set(null); // later calls find the unit closed, not owned
    }
  }
}
