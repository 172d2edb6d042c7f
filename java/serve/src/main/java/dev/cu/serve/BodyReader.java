package dev.cu.serve;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads an upstream's response body under a time limit and a size cap. The HTTP client's
 * request timeout ends when the headers arrive; here each read is watched by a timer that closes
 * the stream when its time is up, which wakes the blocked read (the client's body stream then
 * fails), and the failure becomes a 504. More than the cap is a 502, as is any other failure.
 * Thread confinement: one thread reads; the timer only closes.
 */
final class BodyReader implements AutoCloseable {
  private final InputStream in;
  private final ScheduledExecutorService timer;
  private final String name;
  private final long cap;
  private long total;
  private volatile boolean timedOut;
  private boolean closed;

  BodyReader(InputStream in, ScheduledExecutorService timer, String name, long cap) {
    this.in = in;
    this.timer = timer;
    this.name = name;
    this.cap = cap;
  }

  /**
   * Reads up to {@code buf.length} bytes, waiting at most until {@code untilNanos} ({@link
   * System#nanoTime}); returns how many, or -1 at the end of the body.
   *
   * @throws RelayException 504 when the time runs out, 502 when the body passes the cap or the
   *     connection fails (the stream is closed then)
   */
  int read(byte[] buf, long untilNanos) {
    if (closed) {
      throw new IllegalStateException("the body is closed");
    }
    long wait = untilNanos - System.nanoTime();
    if (wait <= 0) {
      close();
      throw timedOut(name);
    }
    ScheduledFuture<?> watch =
        timer.schedule(
            () -> {
              timedOut = true;
              closeQuietly();
            },
            wait,
            TimeUnit.NANOSECONDS);
    int n;
    try {
      n = in.read(buf, 0, buf.length);
    } catch (IOException e) {
      close();
      if (timedOut) {
        throw timedOut(name);
      }
      throw new RelayException(
          502, "relay: upstream " + RelayCall.quoted(name) + " failed while answering", 0, e);
    } finally {
      watch.cancel(false);
    }
    if (timedOut) { // the timer fired as the read returned
      close();
      throw timedOut(name);
    }
    if (n > 0) {
      total += n;
      if (total > cap) {
        close();
        throw new RelayException(
            502,
            "relay: upstream " + RelayCall.quoted(name) + " answered more than " + cap + " bytes");
      }
    }
    return n;
  }

  /** Reads the whole body (at most the cap) until {@code untilNanos}; see {@link #read}. */
  byte[] readAll(long untilNanos) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = read(buf, untilNanos)) >= 0; ) {
        out.write(buf, 0, n);
      }
    } finally {
      close();
    }
    return out.toByteArray();
  }

  static RelayException timedOut(String name) {
    return new RelayException(504, "relay: upstream " + RelayCall.quoted(name) + " timed out");
  }

  boolean isClosed() {
    return closed;
  }

  /** Closes the body (the connection is released or dropped). Idempotent. */
  @Override
  public void close() {
    closed = true;
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      in.close();
    } catch (IOException | RuntimeException ignored) {
      // nothing more to release
    }
  }
}
