package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.serve.AuditLog;
import dev.cu.serve.StateLayout;
import dev.cu.serve.Wallet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cu serve audit} and {@code cu serve} without a command. */
class ServeAuditCommandTest {
  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final String COMPUTE = "POST /v1/units/{key}/compute";

  private final String alice = Wallet.generate(new SecureRandom()).address();
  private final String bob = Wallet.generate(new SecureRandom()).address();

  private Path state() {
    return dir.resolve("state");
  }

  private void write(AuditLog.Entry... entries) throws Exception {
    try (AuditLog log = AuditLog.open(StateLayout.audit(state()))) {
      for (AuditLog.Entry e : entries) {
        log.append(e);
      }
    }
  }

  private static AuditLog.Entry entry(int minute, String wallet, String key, String outcome) {
    return new AuditLog.Entry(
        T0.plusSeconds(60L * minute),
        wallet,
        key,
        COMPUTE,
        outcome,
        outcome.equals("ok") ? 200 : 400,
        1000L + minute);
  }

  private Cli.Run audit(String... args) {
    List<String> all = new ArrayList<>(List.of("serve", "audit", "--state", state().toString()));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  /** The JSON lines of a {@code --json} run, parsed; the minutes after T0 of their times. */
  private static List<Long> minutes(Cli.Run r) throws Exception {
    assertThat(r.exit()).as(r.err()).isZero();
    List<Long> out = new ArrayList<>();
    for (String line : r.out().lines().toList()) {
      JsonNode n = JSON.readTree(line);
      out.add((Instant.parse(n.get("time").asText()).getEpochSecond() - T0.getEpochSecond()) / 60);
    }
    return out;
  }

  private void writeSample() throws Exception {
    write(
        entry(0, alice, "counter", "ok"),
        entry(1, bob, "counter", "runtime"),
        entry(2, alice, "other", "ok"),
        entry(3, null, null, "unauthorized"),
        entry(4, bob, "other", "ok"));
  }

  @Test
  void filtersByWalletInAnyCase() throws Exception {
    writeSample();
    assertThat(minutes(audit("--json", "--wallet", alice))).containsExactly(0L, 2L);
    assertThat(minutes(audit("--json", "--wallet", alice.toLowerCase(Locale.ROOT))))
        .containsExactly(0L, 2L);
    String upper = "0x" + bob.substring(2).toUpperCase(Locale.ROOT);
    assertThat(minutes(audit("--json", "--wallet", upper))).containsExactly(1L, 4L);

    Cli.Run bad = audit("--wallet", "0x1234");
    assertThat(bad.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(bad.err()).startsWith("cu: usage: bad --wallet '0x1234'");
  }

  @Test
  void filtersByKeyOutcomeAndTime() throws Exception {
    writeSample();
    assertThat(minutes(audit("--json", "--key", "counter"))).containsExactly(0L, 1L);
    assertThat(minutes(audit("--json", "--outcome", "ok"))).containsExactly(0L, 2L, 4L);
    assertThat(minutes(audit("--json", "--outcome", "ok", "--key", "other", "--wallet", bob)))
        .containsExactly(4L);
    assertThat(minutes(audit("--json", "--since", "2025-03-01T10:02:00Z")))
        .containsExactly(2L, 3L, 4L);
    assertThat(minutes(audit("--json", "--until", "2025-03-01T10:02:00Z"))).containsExactly(0L, 1L);
    assertThat(
            minutes(
                audit(
                    "--json",
                    "--since",
                    "2025-03-01T11:01:00+01:00",
                    "--until",
                    T0.plusSeconds(240).toString())))
        .containsExactly(1L, 2L, 3L);
    assertThat(minutes(audit("--json", "--limit", "2"))).containsExactly(3L, 4L);
    assertThat(minutes(audit("--json", "--outcome", "ok", "--limit", "1"))).containsExactly(4L);
    assertThat(minutes(audit("--json", "--outcome", "nothing-matches"))).isEmpty();

    assertThat(audit("--since", "yesterday").exit()).isEqualTo(ExitCode.USAGE);
    assertThat(audit("--limit", "0").exit()).isEqualTo(ExitCode.USAGE);
    Cli.Run backwards = audit("--since", "2025-03-02T00:00:00Z", "--until", "2025-03-01T00:00:00Z");
    assertThat(backwards.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(backwards.err()).contains("--since must be before --until");
  }

  @Test
  void jsonLinesCarryEveryFieldNewestLast() throws Exception {
    // appended out of time order (a slow request finishes after a later one): printed by time
    write(entry(5, alice, "k", "ok"), entry(3, null, null, "unauthorized"));
    Cli.Run r = audit("--json");
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2);
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.get("time").asText()).isEqualTo("2025-03-01T10:03:00Z");
    assertThat(first.get("wallet").isNull()).isTrue();
    assertThat(first.get("key").isNull()).isTrue();
    assertThat(first.get("outcome").asText()).isEqualTo("unauthorized");
    JsonNode second = JSON.readTree(lines.get(1));
    assertThat(second.get("wallet").asText()).isEqualTo(alice);
    assertThat(second.get("key").asText()).isEqualTo("k");
    assertThat(second.get("endpoint").asText()).isEqualTo(COMPUTE);
    assertThat(second.get("status").asInt()).isEqualTo(200);
    assertThat(second.get("micros").asLong()).isEqualTo(1005L);
  }

  @Test
  void theTableHasAHeaderAndOneAlignedRowPerEntry() throws Exception {
    write(entry(0, alice, "counter", "ok"), entry(1, null, "tab\there\u202e", "runtime"));
    Cli.Run r = audit();
    assertThat(r.exit()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("TIME").contains("WALLET", "KEY", "OUTCOME", "MICROS");
    assertThat(lines.get(1))
        .contains("2025-03-01T10:00:00Z", alice, "counter", COMPUTE, "ok", "200", "1000");
    // no wallet shows as -, control and bidi characters escaped
    assertThat(lines.get(2)).contains(" - ", "tab\\u0009here\\u202e").doesNotContain("\t");
    assertThat(lines.get(1).indexOf(COMPUTE)).isEqualTo(lines.get(2).indexOf(COMPUTE));
    assertThat(lines.get(0)).hasSameSizeAs(lines.get(1));
  }

  @Test
  void aMissingOrEmptyLogPrintsNothing() throws Exception {
    Cli.Run missing = audit();
    assertThat(missing.exit()).isZero();
    assertThat(missing.out()).isEmpty();
    assertThat(missing.err()).isEmpty();
    assertThat(state()).doesNotExist();

    Files.createDirectories(state());
    Files.writeString(StateLayout.audit(state()), "");
    for (String[] args : new String[][] {{}, {"--json"}}) {
      Cli.Run empty = audit(args);
      assertThat(empty.exit()).isZero();
      assertThat(empty.out()).isEmpty();
      assertThat(empty.err()).isEmpty();
    }
    // a line cut short by a crash is skipped
    Files.writeString(StateLayout.audit(state()), "{\"time\":\"2025-03-01T10:0");
    assertThat(audit("--json").out()).isEmpty();
  }

  @Test
  void serveHelpNamesTheServerOptionsAndAudit() { // cu serve alone starts the server
    assertThat(Cli.run("serve", "--help").out())
        .contains("Usage: cu serve", "audit", "--state", "--config", "--port", "--vault-key-file");
    assertThat(Cli.run("serve", "audit", "--help").out())
        .contains(
            "--wallet=ADDR",
            "--key=KEY",
            "--outcome=X",
            "--since=TIME",
            "--until=TIME",
            "--limit=N",
            "--json");
  }
}
