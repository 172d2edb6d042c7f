package dev.cu.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nonces strictly increase per wallet, also across a restart and under racing requests. */
class NonceStoreTest {
  private static final String COW = "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826";
  private static final String BOB = "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB";

  @TempDir Path dir;

  private static BigInteger n(long v) {
    return BigInteger.valueOf(v);
  }

  @Test
  void aNonceIsAcceptedOnceAndOnlyAboveTheLast() throws Exception {
    try (NonceStore s = NonceStore.open(dir)) {
      assertThat(s.last(COW)).isEqualTo(n(-1));
      assertThat(s.accept(COW, n(0))).isTrue();
      assertThat(s.accept(COW, n(0))).isFalse();
      assertThat(s.accept(COW, n(5))).isTrue();
      assertThat(s.accept(COW, n(4))).isFalse();
      assertThat(s.accept(COW.toLowerCase(), n(5))).as("the same wallet in lower case").isFalse();
      assertThat(s.accept(BOB, n(1))).as("wallets are independent").isTrue();
      assertThat(s.last(COW)).isEqualTo(n(5));
    }
  }

  @Test
  void aRestartDoesNotReopenAReplayWindow() throws Exception {
    try (NonceStore s = NonceStore.open(dir)) {
      assertThat(s.accept(COW, n(41))).isTrue();
      assertThat(s.accept(COW, BigInteger.TWO.pow(200))).isTrue();
    }
    try (NonceStore s = NonceStore.open(dir)) {
      assertThat(s.accept(COW, n(42))).isFalse();
      assertThat(s.accept(COW, BigInteger.TWO.pow(200))).isFalse();
      assertThat(s.last(COW)).isEqualTo(BigInteger.TWO.pow(200));
    }
  }

  @Test
  void racingRequestsWithOneNonceHaveOneWinner() throws Exception {
    try (NonceStore s = NonceStore.open(dir)) {
      for (int round = 0; round < 50; round++) {
        BigInteger nonce = n(round);
        AtomicInteger accepted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          Thread th =
              new Thread(
                  () -> {
                    try {
                      start.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    if (s.accept(COW, nonce)) {
                      accepted.incrementAndGet();
                    }
                  });
          th.start();
          threads.add(th);
        }
        start.countDown();
        for (Thread th : threads) {
          th.join();
        }
        assertThat(accepted.get()).as("round %d", round).isEqualTo(1);
      }
    }
  }

  @Test
  void badNoncesAndAddressesAreRefused() throws Exception {
    try (NonceStore s = NonceStore.open(dir)) {
      assertThatThrownBy(() -> s.accept(COW, n(-1))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> s.accept(COW, BigInteger.TWO.pow(256)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> s.accept("0x1234", n(1)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
