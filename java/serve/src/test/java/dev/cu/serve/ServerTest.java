package dev.cu.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final String COUNT = "_home.n = (_home.n or 0) + 1 return _home.n";

  @TempDir Path state;
  Server server;
  Wallet alice;
  Client client;

  static ServeConfig config(String extra) {
    return ServeConfig.parse(
        "{\"port\": 0, \"domain\": {\"name\": \"cu serve test\"},"
            + " \"limits\": {\"timeMs\": 2000, \"memoryBytes\": 8388608, \"bodyBytes\": 65536}"
            + extra
            + "}",
        "test");
  }

  Server start(ServeConfig c) throws Exception {
    server = Server.start(state, c, null);
    return server;
  }

  Client client(Wallet w) {
    return new Client(
        URI.create("http://127.0.0.1:" + server.port()), w, server.config().domain().signing());
  }

  @BeforeEach
  void setUp() throws Exception {
    start(config(""));
    alice = Wallet.generate(RANDOM);
    client = client(alice);
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
  }

  /** The status and error kind of {@code call}'s refusal. */
  static ServeException refusal(Runnable call) {
    try {
      call.run();
    } catch (ServeException e) {
      return e;
    }
    throw new AssertionError("not refused");
  }

  @Test
  void computeRunsInTheWalletsUnitAndStateLastsAcrossARestart() throws Exception {
    String key = alice.address();
    Map<String, Object> r =
        client.compute(
            key, "print('hi', _io.input.x) _io.output = {y = 2} return 1, 'two'", Map.of("x", 5));
    assertThat(r.get("value")).isEqualTo("two");
    assertThat(r.get("values")).isEqualTo(List.of(1, "two"));
    assertThat(r.get("output")).isEqualTo("hi\t5\n");
    assertThat(r.get("io")).isEqualTo(Map.of("y", 2));
    assertThat(client.compute(key, COUNT, null).get("value")).isEqualTo(1);
    assertThat(client.compute(key, COUNT, null).get("value")).isEqualTo(2);
    server.close();
    start(config(""));
    client = client(alice);
    assertThat(client.compute(key, COUNT, null).get("value")).isEqualTo(3);
    assertThat(client.state(key)).isEqualTo(Map.of("n", 3));
  }

  @Test
  void anAddressInAnyLetterCaseNamesTheSameUnit() {
    client.compute(alice.address(), COUNT, null);
    String lower = alice.address().toLowerCase(java.util.Locale.ROOT);
    assertThat(client.compute(lower, COUNT, null).get("value")).isEqualTo(2);
    // a mixed case that is no valid checksum: still the address, not a key of its own
    char[] c = alice.address().toCharArray();
    for (int i = 2; i < c.length; i++) {
      if (Character.isLetter(c[i])) {
        c[i] =
            Character.isUpperCase(c[i]) ? Character.toLowerCase(c[i]) : Character.toUpperCase(c[i]);
        break;
      }
    }
    String flipped = new String(c);
    assertThat(client.compute(flipped, COUNT, null).get("value")).isEqualTo(3);
  }

  @Test
  void replayingACapturedRequestCostsTheWalletNoToken() throws Exception {
    server.close();
    start(config(", \"rateLimit\": {\"perSecond\": 0.01, \"burst\": 2}"));
    client = client(alice);
    String key = alice.address();
    byte[] body = "{\"code\": \"return 1\"}".getBytes(StandardCharsets.UTF_8);
    HttpRequest captured =
        client.signed(
            "POST",
            Client.unitPath(key) + "/compute",
            key,
            body,
            client.nextNonce(),
            System.currentTimeMillis() / 1000);
    assertThat(client.exchange(captured).statusCode()).isEqualTo(200);
    for (int i = 0; i < 5; i++) {
      assertThat(client.exchange(captured).statusCode()).isEqualTo(401);
    }
    assertThat(client.compute(key, "return 2", null).get("value")).isEqualTo(2);
  }

  @Test
  void callRunsAGlobalFunctionWithArguments() {
    String key = alice.address();
    client.compute(
        key, "function add(a, b) _home.s = (_home.s or 0) + a + b return _home.s end", null);
    assertThat(client.call(key, "add", 2, 3)).isEqualTo(5);
    assertThat(client.call(key, "add", 1, 1)).isEqualTo(7);
    ServeException e = refusal(() -> client.call(key, "os.exit()"));
    assertThat(e.status()).isEqualTo(400);
  }

  @Test
  void errorsHaveTheirStatusesAndKinds() {
    String key = alice.address();
    ServeException e = refusal(() -> client.compute(key, "error('boom')", null));
    assertThat(e.status()).isEqualTo(422);
    assertThat(e.kind()).isEqualTo("runtime");
    assertThat(e.getMessage()).contains("boom");
    e = refusal(() -> client.compute(key, "this is not lua", null));
    assertThat(e.status()).isEqualTo(422);
    assertThat(e.kind()).isEqualTo("syntax");
    e = refusal(() -> client.compute(key, "while true do end", null));
    assertThat(e.status()).isEqualTo(408);
    assertThat(e.getMessage()).isEqualTo("time limit exceeded");
    e = refusal(() -> client.compute(key, "local t = {} for i = 1, 1e8 do t[i] = i end", null));
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.kind()).isEqualTo("memory");
    assertThat(client.compute(key, "return 'still here'", null).get("value"))
        .isEqualTo("still here");
  }

  @Test
  void aBadBodyIsABadRequestThatConsumesNoNonce() {
    String target = Client.unitPath(alice.address()) + "/compute";
    BigInteger nonce = client.nextNonce();
    long now = System.currentTimeMillis() / 1000;
    byte[] bad = "{\"code\": 5}".getBytes(StandardCharsets.UTF_8);
    HttpRequest refused = client.signed("POST", target, alice.address(), bad, nonce, now);
    assertThat(client.exchange(refused).statusCode()).isEqualTo(400);
    byte[] good = "{\"code\": \"return 7\"}".getBytes(StandardCharsets.UTF_8);
    HttpRequest sameNonce = client.signed("POST", target, alice.address(), good, nonce, now);
    assertThat(client.exchange(sameNonce).statusCode()).isEqualTo(200); // the nonce was unused
    HttpResponse<String> r =
        client.exchange(
            "POST", target, alice.address(), "{not json".getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"kind\":\"bad-request\"");
    r =
        client.exchange(
            "POST", target, alice.address(), "{\"code\": 5}".getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(400);
  }

  @Test
  void healthAndMetricsNeedNoSignature() throws Exception {
    client.compute(alice.address(), COUNT, null);
    HttpClient http = HttpClient.newHttpClient();
    URI base = URI.create("http://127.0.0.1:" + server.port());
    HttpResponse<String> h =
        http.send(
            HttpRequest.newBuilder(base.resolve("/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(h.statusCode()).isEqualTo(200);
    assertThat(h.body()).contains("ok");
    HttpResponse<String> m =
        http.send(
            HttpRequest.newBuilder(base.resolve("/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(m.statusCode()).isEqualTo(200);
    assertThat(m.body()).contains("cu_pool").contains("cu_serve_requests");
    HttpResponse<String> nf =
        http.send(
            HttpRequest.newBuilder(base.resolve("/nothing")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(nf.statusCode()).isEqualTo(404);
  }

  @Test
  void anotherWalletsKeyIsForbiddenAndNothingRuns() {
    client.compute(alice.address(), COUNT, null);
    Client bob = client(Wallet.generate(RANDOM));
    ServeException e = refusal(() -> bob.compute(alice.address(), COUNT, null));
    assertThat(e.status()).isEqualTo(403);
    assertThat(client.state(alice.address())).isEqualTo(Map.of("n", 1));
  }

  @Test
  void theAclGrantsKeysToAWallet() throws Exception {
    server.close();
    Wallet ops = Wallet.generate(RANDOM);
    start(config(", \"acl\": {\"" + ops.address().toLowerCase() + "\": [\"shared\"]}"));
    Client c = client(ops);
    assertThat(c.compute("shared", COUNT, null).get("value")).isEqualTo(1);
    assertThat(refusal(() -> client(alice).compute("shared", COUNT, null)).status()).isEqualTo(403);
  }

  @Test
  void aReplayedNonceIsRefusedAlsoAfterARestart() throws Exception {
    String key = alice.address();
    byte[] body = "{\"code\": \"_home.n = (_home.n or 0) + 1\"}".getBytes(StandardCharsets.UTF_8);
    String target = Client.unitPath(key) + "/compute";
    BigInteger nonce = client.nextNonce();
    long now = System.currentTimeMillis() / 1000;
    HttpRequest once = client.signed("POST", target, key, body, nonce, now);
    assertThat(client.exchange(once).statusCode()).isEqualTo(200);
    HttpResponse<String> again = client.exchange(once);
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(again.body()).contains("nonce");
    server.close();
    start(config(""));
    client = client(alice);
    HttpRequest replay =
        client.signed("POST", target, key, body, nonce, System.currentTimeMillis() / 1000);
    assertThat(client.exchange(replay).statusCode()).isEqualTo(401);
    assertThat(client.state(key)).isEqualTo(Map.of("n", 1));
  }

  @Test
  void aTimestampOutsideTheWindowIsRefused() {
    String key = alice.address();
    byte[] body = "{\"code\": \"_home.n = 1\"}".getBytes(StandardCharsets.UTF_8);
    String target = Client.unitPath(key) + "/compute";
    long old = System.currentTimeMillis() / 1000 - 301;
    HttpResponse<String> r =
        client.exchange(client.signed("POST", target, key, body, client.nextNonce(), old));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("timestamp");
    assertThat(client.state(key)).isEqualTo(Map.of());
  }

  @Test
  void aTamperedBodyOrPathOrAMissingSignatureIsRefused() throws Exception {
    String key = alice.address();
    String target = Client.unitPath(key) + "/compute";
    byte[] body = "{\"code\": \"_home.n = 1\"}".getBytes(StandardCharsets.UTF_8);
    HttpRequest signed =
        client.signed(
            "POST", target, key, body, client.nextNonce(), System.currentTimeMillis() / 1000);
    HttpRequest tampered =
        HttpRequest.newBuilder(signed, (n, v) -> true)
            .POST(HttpRequest.BodyPublishers.ofString("{\"code\": \"_home.n = 666\"}"))
            .build();
    HttpResponse<String> r = client.exchange(tampered);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("signature");
    HttpRequest otherPath =
        HttpRequest.newBuilder(signed, (n, v) -> true)
            .uri(URI.create("http://127.0.0.1:" + server.port() + target + "?x=1"))
            .build();
    assertThat(client.exchange(otherPath).statusCode()).isEqualTo(401);
    HttpRequest unsigned =
        HttpRequest.newBuilder(signed, (n, v) -> !n.equalsIgnoreCase(Gate.SIGNATURE)).build();
    assertThat(client.exchange(unsigned).statusCode()).isEqualTo(401);
    assertThat(client.state(key)).isEqualTo(Map.of());
  }

  @Test
  void overTheRateLimitIsRefusedWithRetryAfter() throws Exception {
    server.close();
    start(config(", \"rateLimit\": {\"perSecond\": 0.01, \"burst\": 2}"));
    client = client(alice);
    String key = alice.address();
    client.compute(key, COUNT, null);
    client.compute(key, COUNT, null);
    ServeException e = refusal(() -> client.compute(key, COUNT, null));
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.kind()).isEqualTo("rate-limit");
    assertThat(e.retryAfterSeconds()).isPositive();
  }

  @Test
  void anOversizedBodyIsRefusedBeforeItRuns() {
    String key = alice.address();
    String big = "_home.n = 1 --" + "x".repeat(70_000);
    ServeException e = refusal(() -> client.compute(key, big, null));
    assertThat(e.status()).isEqualTo(413);
    assertThat(client.state(key)).isEqualTo(Map.of());
  }

  @Test
  void everyRequestIsAuditedWithoutItsBody() throws Exception {
    String key = alice.address();
    client.compute(key, "return 'secret-ish body'", null);
    refusal(() -> client.compute(key, "error('x')", null));
    refusal(() -> client(Wallet.generate(RANDOM)).compute(key, COUNT, null));
    server.close();
    server = null;
    List<AuditLog.Entry> log = AuditLog.read(StateLayout.audit(state), x -> true);
    assertThat(log)
        .extracting(AuditLog.Entry::outcome)
        .containsExactly("ok", "runtime", "forbidden");
    assertThat(log).extracting(AuditLog.Entry::status).containsExactly(200, 422, 403);
    assertThat(log.get(0).wallet()).isEqualTo(alice.address());
    assertThat(log.get(2).wallet()).isNotNull().isNotEqualTo(alice.address()); // verified, refused
    assertThat(log.get(0).endpoint()).isEqualTo("POST /v1/units/{key}/compute");
    assertThat(java.nio.file.Files.readString(StateLayout.audit(state)))
        .doesNotContain("secret-ish");
  }
}
