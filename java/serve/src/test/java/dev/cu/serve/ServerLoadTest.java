package dev.cu.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two client threads against one server for {@code cu.serve.loadSeconds} seconds (30 by
 * default), each signing its requests with its own wallet and spreading them over keys its wallet
 * may use: no request fails, and every key's counter equals the requests acknowledged for it (no
 * lost update). Prints requests per second and the 99th percentile of the latency.
 */
class ServerLoadTest {
  static final int KEYS_PER_CLIENT = 8;

  @TempDir Path state;

  @Test
  void twoClientThreadsLoseNoUpdate() throws Exception {
    long seconds = Long.getLong("cu.serve.loadSeconds", 30);
    SecureRandom random = new SecureRandom();
    Wallet[] wallets = {Wallet.generate(random), Wallet.generate(random)};
    StringBuilder acl = new StringBuilder();
    for (Wallet w : wallets) {
      acl.append(acl.length() == 0 ? "" : ", ")
          .append('"')
          .append(w.address())
          .append("\": [\"*\"]");
    }
    ServeConfig config =
        ServeConfig.parse(
            "{\"port\": 0, \"rateLimit\": {\"perSecond\": 1000000, \"burst\": 1000000},"
                + " \"acl\": {"
                + acl
                + "}}",
            "load");
    Map<String, AtomicLong> acked = new ConcurrentHashMap<>();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    long requests;
    long elapsed;
    try (Server server = Server.start(state, config, null)) {
      URI base = URI.create("http://127.0.0.1:" + server.port());
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      List<Thread> threads = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int t = 0; t < wallets.length; t++) {
        Client c = new Client(base, wallets[t], config.domain().signing());
        String prefix = "load-" + t + "-";
        Thread th =
            new Thread(
                () -> {
                  int i = 0;
                  try {
                    while (System.nanoTime() < end) {
                      String key = prefix + (i++ % KEYS_PER_CLIENT);
                      long s = System.nanoTime();
                      Object v =
                          c.compute(key, "_home.n = (_home.n or 0) + 1 return _home.n", null)
                              .get("value");
                      latencies.add(System.nanoTime() - s);
                      long n = acked.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
                      assertThat(((Number) v).longValue()).isEqualTo(n);
                    }
                  } catch (Throwable e) {
                    errors.add(e);
                  }
                });
        threads.add(th);
        th.start();
      }
      for (Thread th : threads) {
        th.join();
      }
      elapsed = System.nanoTime() - t0;
      assertThat(errors).isEmpty();
      Client check = new Client(base, wallets[0], config.domain().signing());
      for (Map.Entry<String, AtomicLong> e : acked.entrySet()) {
        Object home = check.state(e.getKey());
        assertThat(home).isEqualTo(Map.of("n", (int) e.getValue().get()));
      }
      requests = latencies.size();
    }
    assertThat(acked).hasSize(2 * KEYS_PER_CLIENT);
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    long p99 = sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1));
    long p50 = sorted.get(sorted.size() / 2);
    System.out.printf(
        "serve load: 2 client threads, %d s, %d requests, %.0f requests/s, p50 %.2f ms,"
            + " p99 %.2f ms%n",
        seconds, requests, requests / (elapsed / 1e9), p50 / 1e6, p99 / 1e6);
  }
}
