package dev.cu.serve;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per wallet: up to {@code burst} requests at once, refilled at {@code perSecond}
 * requests a second. Its memory is bounded however many wallets call: when the table is full,
 * the wallets whose buckets are full again are forgotten (a full bucket is a new one), at most
 * once a second; when none is, a wallet without a bucket is refused until one is. So a flood of
 * new wallets (which anyone can make) delays other new wallets for a while, but never resets the
 * partly used bucket of a wallet that is being limited. A per-wallet limit cannot stop such a
 * flood: that is the service's limit on concurrent requests. Thread-safe.
 */
public final class RateLimiter {
  private static final int MAX_BUCKETS = 100_000;
  private static final long SWEEP_EVERY_NANOS = 1_000_000_000L;

  private final double burst;
  private final double perNano;
  private final LongSupplier nanos;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private long lastSweep = Long.MIN_VALUE / 2; // guarded by buckets

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }

  /**
   * A limiter of {@code perSecond} requests a second with bursts of {@code burst}, on the clock
   * {@code nanos} ({@code System::nanoTime} in a service; a test's own clock in tests).
   *
   * @throws IllegalArgumentException when a rate or burst is not positive
   */
  public RateLimiter(double perSecond, int burst, LongSupplier nanos) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("a rate limit needs a positive rate and burst");
    }
    this.burst = burst;
    this.perNano = perSecond / 1e9;
    this.nanos = nanos;
  }

  /** Takes one token of {@code wallet}'s bucket; false when it is empty (over the limit). */
  public boolean tryAcquire(String wallet) {
    long now = nanos.getAsLong();
    Bucket b = buckets.get(wallet);
    if (b == null) {
      if (buckets.size() >= MAX_BUCKETS && !sweep(now)) {
        return false; // no room: a newcomer waits rather than anyone's bucket being reset
      }
      b = buckets.computeIfAbsent(wallet, w -> new Bucket(burst, now));
    }
    synchronized (b) {
      refill(b, now);
      if (b.tokens < 1) {
        return false;
      }
      b.tokens -= 1;
      return true;
    }
  }

  /** Seconds until {@code wallet} has a token again (0 when it has one): a Retry-After. */
  public long retryAfterSeconds(String wallet) {
    Bucket b = buckets.get(wallet);
    if (b == null) {
      return 0;
    }
    synchronized (b) {
      refill(b, nanos.getAsLong());
      return b.tokens >= 1 ? 0 : (long) Math.ceil((1 - b.tokens) / perNano / 1e9);
    }
  }

  /**
   * Forgets the wallets whose buckets are full again, at most once a second (a sweep walks the
   * whole table); returns whether there is room for a new bucket.
   */
  private boolean sweep(long now) {
    synchronized (buckets) {
      if (buckets.size() >= MAX_BUCKETS && now - lastSweep >= SWEEP_EVERY_NANOS) {
        lastSweep = now;
        buckets.values().removeIf(b -> full(b, now));
      }
      return buckets.size() < MAX_BUCKETS;
    }
  }

  private void refill(Bucket b, long now) {
    b.tokens = Math.min(burst, b.tokens + (now - b.at) * perNano);
    b.at = now;
  }

  private boolean full(Bucket b, long now) {
    synchronized (b) {
      return b.tokens + (now - b.at) * perNano >= burst;
    }
  }

  /** How many wallets the limiter holds a bucket for (for tests). */
  int buckets() {
    return buckets.size();
  }
}
