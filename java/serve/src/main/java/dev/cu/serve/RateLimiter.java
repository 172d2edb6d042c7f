package dev.cu.serve;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per wallet: up to {@code burst} requests at once, refilled at {@code perSecond}
 * requests a second. Its memory is bounded however many wallets call: when the table grows past
 * its bound, the wallets whose buckets are full again are forgotten (a full bucket is a new one),
 * and when that is not enough (a flood of new wallets, which anyone can make) all are, so a
 * flood costs wallets their partly used buckets rather than memory. A per-wallet limit cannot
 * stop a flood of new wallets: that is the service's limit on concurrent requests. Thread-safe.
 */
public final class RateLimiter {
  private static final int MAX_BUCKETS = 100_000;

  private final double burst;
  private final double perNano;
  private final LongSupplier nanos;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

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
    if (buckets.size() > MAX_BUCKETS) {
      buckets.values().removeIf(b -> full(b, now));
      if (buckets.size() > MAX_BUCKETS / 2) {
        buckets.clear(); // one sweep per many new wallets, never one per request
      }
    }
    Bucket b = buckets.computeIfAbsent(wallet, w -> new Bucket(burst, now));
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
