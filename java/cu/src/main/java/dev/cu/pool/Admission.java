package dev.cu.pool;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which requests the pool takes: at most {@code capacity} accepted and not finished, none once
 * it closes. Invariant: {@code inflight} counts the accepted requests not finished, and a
 * request is accepted only while the pool is open, both under this object's lock, so a close
 * that saw {@code inflight} reach zero sees no request after it.
 */
final class Admission {
  private static final int OPEN = 0;
  private static final int CLOSING = 1;
  private static final int CLOSED = 2;

  private final Semaphore room;
  private final int capacity;
  private final long timeoutNanos;
  private final PoolCounters counters;
  private final AtomicInteger queued = new AtomicInteger();
  private int inflight;
  private int state = OPEN;

  Admission(int capacity, java.time.Duration timeout, PoolCounters counters) {
    this.room = new Semaphore(capacity);
    this.capacity = capacity;
    this.timeoutNanos = timeout.toNanos();
    this.counters = counters;
  }

  /**
   * Takes a request, waiting up to the timeout for room.
   *
   * @throws PoolBusyException when there is no room
   * @throws IllegalStateException when the pool is closed or closing
   */
  void accept() {
    checkOpen();
    boolean got;
    try {
      got =
          timeoutNanos == 0
              ? room.tryAcquire()
              : room.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for room in the pool's queue", e);
    }

    if (!got) {
      counters.failed(FailureKind.REJECTED);
      throw new PoolBusyException(
          "the pool's queue is full: " + capacity + " requests are waiting or running");
    }
    synchronized (this) {
      if (state != OPEN) {
        room.release();
        throw closedError();
      }
      inflight++;
    }
    queued.incrementAndGet();
  }

  /** An accepted request starts running. */
  void started() {
    queued.decrementAndGet();
  }

  /** An accepted request is done; {@code unstarted} when it was cancelled before it started. */
  void finished(boolean unstarted) {
    if (unstarted) {
      queued.decrementAndGet();
    }
    room.release();
    synchronized (this) {
      if (--inflight == 0) {
        notifyAll();
      }
    }
  }

  int queued() {
    return queued.get();
  }

  /** Stops taking requests; false when the pool was closing or closed already. */
  synchronized boolean close() {
    if (state != OPEN) {
      return false;
    }
    state = CLOSING;
    return true;
  }

  /**
   * Waits until every accepted request is finished, running {@code tick} (outside this object's
   * lock) every 10 ms meanwhile; keeps an interrupt for later.
   */
  void awaitIdle(Runnable tick) {
    boolean interrupted = false;
    while (true) {
      synchronized (this) {
        if (inflight == 0) {
          break;
        }
        try {
          wait(10);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      tick.run();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  synchronized void closed() {
    state = CLOSED;
    notifyAll();
  }

  /** Waits until the close another thread started is done. */
  synchronized void awaitClosed() {
    waitWhile(() -> state != CLOSED);
  }

  private synchronized void checkOpen() {
    if (state != OPEN) {
      throw closedError();
    }
  }

  private static IllegalStateException closedError() {
    return new IllegalStateException("the unit pool is closed");
  }

  /** Waits on this object's monitor (held) while {@code cond}; keeps an interrupt for later. */
  private void waitWhile(java.util.function.BooleanSupplier cond) {
    boolean interrupted = false;
    while (cond.getAsBoolean()) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
