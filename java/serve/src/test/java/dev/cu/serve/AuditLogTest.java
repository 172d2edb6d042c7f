package dev.cu.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log: appended lines read back, filtered, whole under concurrency and crashes. */
class AuditLogTest {
  @TempDir Path dir;

  private static AuditLog.Entry entry(String wallet, String key, int status) {
    return new AuditLog.Entry(
        Instant.parse("2026-12-03T10:00:00Z"),
        wallet,
        key,
        "POST /v1/units/{key}/compute",
        status == 200 ? "ok" : "lua",
        status,
        1234);
  }

  @Test
  void entriesAreReadBackInOrderAndFiltered() throws Exception {
    Path file = dir.resolve("serve/audit.log");
    try (AuditLog log = AuditLog.open(file)) {
      log.append(entry("0xA", "k1", 200));
      log.append(entry(null, null, 401));
      log.append(entry("0xA", "k2", 422));
    }
    try (AuditLog log = AuditLog.open(file)) {
      log.append(entry("0xB", "k1", 200)); // reopened: appended, nothing lost
    }
    assertThat(AuditLog.read(file, e -> true))
        .containsExactly(
            entry("0xA", "k1", 200),
            entry(null, null, 401),
            entry("0xA", "k2", 422),
            entry("0xB", "k1", 200));
    assertThat(AuditLog.read(file, e -> "0xA".equals(e.wallet()))).hasSize(2);
    assertThat(AuditLog.read(dir.resolve("none"), e -> true)).isEmpty();
  }

  @Test
  void concurrentAppendsStayWholeLinesAndATornLastLineIsSkipped() throws Exception {
    Path file = dir.resolve("audit.log");
    try (AuditLog log = AuditLog.open(file)) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String wallet = "0x" + t;
        Thread th =
            new Thread(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    try {
                      log.append(entry(wallet, "k" + i, 200));
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }
                });
        th.start();
        threads.add(th);
      }
      for (Thread th : threads) {
        th.join();
      }
    }
    Files.write(
        file,
        "{\"time\":\"2026-12-03T10:".getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.APPEND);
    assertThat(AuditLog.read(file, e -> true)).hasSize(2000);
    // the torn line ends at the next open: the first entry after the crash is whole
    Files.write(file, new byte[] {(byte) 0xe2, (byte) 0x82}, StandardOpenOption.APPEND);
    try (AuditLog log = AuditLog.open(file)) {
      log.append(entry("0xC", "after", 200));
    }
    List<AuditLog.Entry> all = AuditLog.read(file, e -> true);
    assertThat(all).hasSize(2001);
    assertThat(all.get(2000)).isEqualTo(entry("0xC", "after", 200));
  }
}
