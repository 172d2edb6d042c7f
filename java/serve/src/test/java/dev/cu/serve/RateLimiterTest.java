package dev.cu.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket, on a clock the test moves. */
class RateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Test
  void aBurstPassesThenTheRateLimits() {
    RateLimiter r = new RateLimiter(2, 3, now::get); // 2 a second, bursts of 3
    assertThat(r.tryAcquire("a")).isTrue();
    assertThat(r.tryAcquire("a")).isTrue();
    assertThat(r.tryAcquire("a")).isTrue();
    assertThat(r.tryAcquire("a")).isFalse();
    assertThat(r.retryAfterSeconds("a")).isEqualTo(1);
    assertThat(r.tryAcquire("b")).as("another wallet has its own bucket").isTrue();
    now.addAndGet(500_000_000L); // half a second: one token
    assertThat(r.tryAcquire("a")).isTrue();
    assertThat(r.tryAcquire("a")).isFalse();
    now.addAndGet(60_000_000_000L); // a minute: full, not more than the burst
    for (int i = 0; i < 3; i++) {
      assertThat(r.tryAcquire("a")).isTrue();
    }
    assertThat(r.tryAcquire("a")).isFalse();
  }

  @Test
  void idleWalletsAreForgottenWhenTheTableGrows() {
    RateLimiter r = new RateLimiter(1000, 1, now::get);
    for (int i = 0; i <= 100_001; i++) {
      r.tryAcquire("w" + i);
      now.addAndGet(1_000_000L); // each bucket is full again a millisecond later
    }
    assertThat(r.buckets()).isLessThan(100_000);
  }

  @Test
  void aFloodOfNewWalletsCannotGrowTheTable() {
    RateLimiter r = new RateLimiter(0.001, 1, now::get); // buckets never refill in this test
    for (int i = 0; i <= 250_000; i++) {
      r.tryAcquire("w" + i);
      assertThat(r.buckets()).isLessThanOrEqualTo(100_000);
    }
  }

  @Test
  void aFloodOfNewWalletsCannotResetALimitedWallet() {
    RateLimiter r = new RateLimiter(0.01, 1, now::get); // a token every 100 s
    assertThat(r.tryAcquire("limited")).isTrue();
    assertThat(r.tryAcquire("limited")).isFalse();
    for (int i = 0; i <= 150_000; i++) {
      r.tryAcquire("flood" + i);
      now.addAndGet(1_000_000L); // 150 s in all: flood buckets refill, and so does the limited
      if (i == 50_000) {
        assertThat(r.tryAcquire("limited")).isFalse(); // 50 s on: not refilled, not forgotten
      }
    }
    assertThat(r.buckets()).isLessThanOrEqualTo(100_000);
  }

  @Test
  void whenNoBucketIsFullAgainANewWalletWaitsForRoom() {
    RateLimiter r = new RateLimiter(0.001, 1, now::get);
    for (int i = 0; i < 100_000; i++) {
      assertThat(r.tryAcquire("w" + i)).isTrue();
    }
    assertThat(r.tryAcquire("newcomer")).isFalse();
    now.addAndGet(1_001_000_000_000L); // every bucket is full again
    assertThat(r.tryAcquire("newcomer")).isTrue();
  }

  @Test
  void ratesMustBePositive() {
    assertThatThrownBy(() -> new RateLimiter(0, 1, now::get))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateLimiter(1, 0, now::get))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
