package dev.cu.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay through the server: a real server, a real client, a fake upstream and a vault. The
 * secret reaches the upstream and nothing else: no answer, no audit entry, no stored state, no
 * log line.
 */
class ServerRelayTest {
  static final String SECRET = "sk-live-9f8e7d6c5b4a39281706";

  @TempDir Path dir;
  FakeUpstream upstream;
  Server server;
  Client client;
  Wallet alice;
  MasterKey key;
  final ByteArrayOutputStream log = new ByteArrayOutputStream();
  PrintStream stderr;

  Path state() {
    return dir.resolve("state");
  }

  ServeConfig config(String quota) {
    return ServeConfig.parse(
        "{\"port\": 0, \"limits\": {\"timeMs\": 1500},"
            + " \"upstreams\": {\"paid\": {\"baseUrl\": \""
            + upstream.baseUrl()
            + "\", \"secret\": \"paid-key\", \"timeoutMs\": 1000"
            + quota
            + "}}}",
        "test");
  }

  @BeforeEach
  void setUp() throws Exception {
    stderr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8)); // the server's log lines
    upstream = new FakeUpstream();
    key = MasterKey.generate(new SecureRandom());
    Vault.open(StateLayout.vault(state()), key)
        .put("paid-key", SECRET.getBytes(StandardCharsets.UTF_8));
    server = Server.start(state(), config(""), () -> key);
    alice = Wallet.generate(new SecureRandom());
    client =
        new Client(
            URI.create("http://127.0.0.1:" + server.port()),
            alice,
            server.config().domain().signing());
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    upstream.close();
    System.setErr(stderr);
  }

  @Test
  void aScriptCallsTheUpstreamWithTheSecretItNeverSees() throws Exception {
    String a = alice.address();
    Map<String, Object> r =
        client.compute(
            a,
            "local r = relay.request{upstream = 'paid', path = '/echo'}\n"
                + "_home.last = r.body\n"
                + "print(r.body, r.headers['x-echo'])\n"
                + "_io.output = r\n"
                + "return r.status, r.body, r.headers",
            null);
    assertThat(upstream.received).hasSize(1);
    assertThat(upstream.received.get(0).headers().get("authorization"))
        .containsExactly("Bearer " + SECRET);
    assertThat(r.get("values").toString()).startsWith("[200, your key: Bearer [redacted]");
    String everything =
        r
            + String.valueOf(client.state(a))
            + Files.readString(StateLayout.audit(state()))
            + log.toString(StandardCharsets.UTF_8);
    assertThat(everything).doesNotContain(SECRET).contains("[redacted]");
    server.close();
    server = null;
    // the stored _home holds the redacted text only
    for (Path p : Files.walk(StateLayout.units(state())).filter(Files::isRegularFile).toList()) {
      assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1))
          .doesNotContain(SECRET);
    }
  }

  @Test
  void anUpstreamThatIsNotConfiguredIs403AndNothingIsCommitted() {
    String a = alice.address();
    ServeException e =
        refusal(
            () ->
                client.compute(
                    a, "_home.n = 1 relay.request{upstream = 'other', path = '/json'}", null));
    assertThat(e.status()).isEqualTo(403);
    assertThat(e.kind()).isEqualTo("relay");
    assertThat(e.getMessage()).contains("relay: upstream 'other' is not allowed");
    assertThat(client.state(a)).isEqualTo(Map.of());
    assertThat(upstream.received).isEmpty();
  }

  @Test
  void anUpstreamTimeoutIs504AndAScriptMayCatchIt() {
    String a = alice.address();
    ServeException e =
        refusal(
            () ->
                client.compute(
                    a, "_home.n = 1 relay.request{upstream = 'paid', path = '/slow'}", null));
    assertThat(e.status()).isEqualTo(504);
    assertThat(client.state(a)).isEqualTo(Map.of());
    Map<String, Object> caught =
        client.compute(
            a,
            "local ok, err = pcall(relay.request, {upstream = 'paid', path = '/slow'})"
                + " _home.n = 2 return ok, err",
            null);
    assertThat(caught.get("values").toString()).contains("false").contains("timed out");
    assertThat(client.state(a)).isEqualTo(Map.of("n", 2));
  }

  @Test
  void aStreamIsReadChunkByChunk() {
    Object v =
        client
            .compute(
                alice.address(),
                "local s = relay.stream{upstream = 'paid', path = '/stream'}"
                    + " local parts = {} for chunk in s.read, s do parts[#parts + 1] = chunk end"
                    + " return s:status(), table.concat(parts)",
                null)
            .get("values");
    assertThat(v.toString()).isEqualTo("[200, chunk-0;chunk-1;chunk-2;chunk-3;chunk-4;]");
  }

  @Test
  void theQuotaOfAWalletIsPerUpstreamAndRefusesWith429() throws Exception {
    server.close();
    server = Server.start(state(), config(", \"quotaPerMinute\": 1"), () -> key);
    client =
        new Client(
            URI.create("http://127.0.0.1:" + server.port()),
            alice,
            server.config().domain().signing());
    String call = "return relay.request{upstream = 'paid', path = '/json'}.status";
    assertThat(client.compute(alice.address(), call, null).get("value")).isEqualTo(201);
    ServeException e = refusal(() -> client.compute(alice.address(), call, null));
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.retryAfterSeconds()).isPositive();
  }

  @Test
  void upstreamsNeedTheVaultsKeyAndAWrongKeyStopsTheStart() throws Exception {
    server.close();
    server = null;
    assertThatThrownBy(() -> Server.start(state(), config(""), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("master key");
    MasterKey wrong = MasterKey.generate(new SecureRandom());
    assertThatThrownBy(() -> Server.start(state(), config(""), () -> wrong))
        .isInstanceOf(Vault.VaultException.class)
        .hasMessageNotContaining(SECRET);
    // and nothing was left open: a right key starts it again
    server = Server.start(state(), config(""), () -> key);
  }

  static ServeException refusal(Runnable r) {
    return ServerTest.refusal(r);
  }
}
