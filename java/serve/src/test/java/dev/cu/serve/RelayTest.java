package dev.cu.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cu.ComputeUnit;
import dev.cu.LuaRuntimeException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The relay in a real unit against a fake paid API: the key goes to the upstream and nowhere
 * else, and every refusal is a Lua error with its HTTP status.
 */
class RelayTest extends RelayFixture {
  @Test
  void theSecretHeaderIsInjectedAndTheAnswerComesBackAsSent() {
    @SuppressWarnings("unchecked")
    Map<String, Object> r =
        (Map<String, Object>)
            run(
                """
                local r = relay.request{upstream = "api", method = "POST", path = "/json?q=1",
                  headers = {["X-Foo"] = "1", ["X-N"] = 7}, body = {model = "x"}}
                return r
                """);
    assertThat(api.received).hasSize(1);
    FakeUpstream.Received got = api.received.get(0);
    assertThat(got.method()).isEqualTo("POST");
    assertThat(got.path()).isEqualTo("/v1/json?q=1");
    assertThat(got.headers().get("authorization")).containsExactly("Bearer " + SECRET);
    assertThat(got.headers().get("accept-encoding")).containsExactly("identity");
    assertThat(got.headers().get("x-foo")).containsExactly("1");
    assertThat(got.headers().get("x-n")).containsExactly("7");
    assertThat(got.headers().get("content-type")).containsExactly("application/json");
    assertThat(got.body()).isEqualTo("{\"model\":\"x\"}");
    assertThat(r.get("status")).isEqualTo(201L);
    assertThat(r.get("body")).isEqualTo("{\"ok\":true}");
    @SuppressWarnings("unchecked")
    Map<String, Object> headers = (Map<String, Object>) r.get("headers");
    assertThat(headers).containsEntry("content-type", "application/json");
    assertThat(headers).containsEntry("x-multi", "a, b");
    assertThat(headers.keySet()).allMatch(k -> k.equals(k.toLowerCase()));
  }

  @Test
  void methodDefaultsToGetWithoutABodyAndAStringBodyGoesAsIs() {
    run("relay.request{upstream = 'api', path = '/json'}");
    run(
        "relay.request{upstream = 'api', path = '/json', body = 'raw text',"
            + " headers = {['Content-Type'] = 'text/plain'}}");
    run("relay.request{upstream = 'api', method = 'delete', path = '/json'}");
    assertThat(api.received)
        .extracting(FakeUpstream.Received::method)
        .containsExactly("GET", "POST", "DELETE");
    assertThat(api.received.get(1).body()).isEqualTo("raw text");
    assertThat(api.received.get(1).headers().get("content-type")).containsExactly("text/plain");
  }

  @Test
  void anEchoedSecretIsRedactedInTheBodyAndTheHeaders() {
    Object all =
        run(
            """
            local r = relay.request{upstream = "api", path = "/echo"}
            local s = relay.stream{upstream = "api", path = "/echo"}
            local chunks = {}
            for c in s.read, s do chunks[#chunks + 1] = c end
            return {r = r, status = s:status(), headers = s:headers(), chunks = chunks,
                    tostring(s)}
            """);
    String seen = String.valueOf(all);
    assertThat(seen)
        .doesNotContain(SECRET)
        .contains("your key: Bearer [redacted] (Bearer [redacted])");
    assertThat(seen).contains("x-echo=you sent Bearer [redacted]");
    assertThat(api.received)
        .allSatisfy(
            g -> assertThat(g.headers().get("authorization")).containsExactly("Bearer " + SECRET));
  }

  @Test
  void anUnknownUpstreamIs403AndTheUnitKeepsWorking() {
    RelayException e = failure("return relay.request{upstream = 'evil', path = '/x'}");
    assertThat(e.status()).isEqualTo(403);
    assertThat(e.getMessage()).isEqualTo("relay: upstream 'evil' is not allowed");
    assertThat(caught("relay.request{upstream = 'evil', path = '/x'}"))
        .contains("relay: upstream 'evil' is not allowed");
    assertThat(run("return 1 + 1")).isEqualTo(2L);
    assertThat(api.received).isEmpty();
  }

  @Test
  void pathsThatCouldLeaveTheBaseUrlAre400() {
    for (String path :
        List.of(
            "/../x",
            "//evil.com/x",
            "/a\\\\b",
            "x",
            "/a#b",
            "/%2e%2E/x",
            "/a/./b",
            "/a b",
            "/a/%2F/b",
            "/json/..",
            "/..;/admin",
            "/%2e%2e;x/admin",
            "/..%3Bx/admin")) {
      String lua = "return relay.request{upstream = 'api', path = '" + path + "'}";
      assertThat(failure(lua).status()).as(path).isEqualTo(400);
      assertThat(caught("relay.request{upstream = 'api', path = '" + path + "'}"))
          .as(path)
          .contains(": relay: path");
    }
    assertThat(api.received).isEmpty();
    assertThat(run("return relay.request{upstream = 'api', path = '/json'}.status"))
        .isEqualTo(201L);
  }

  @Test
  void anEncodedOrPartialAnswerWhichTheRedactorCannotReadIs502() {
    for (String path : List.of("/gzip", "/partial")) {
      RelayException e = failure("return relay.request{upstream = 'api', path = '" + path + "'}");
      assertThat(e.status()).as(path).isEqualTo(502);
      assertThat(e.getMessage()).as(path).contains("encoded or partial");
      assertThat(caught("relay.stream{upstream = 'api', path = '" + path + "'}"))
          .as(path)
          .contains("encoded or partial");
    }
  }

  @Test
  void restrictedHeadersTheSecretHeaderAndBadMethodsAre400() {
    for (String header :
        List.of(
            "Host",
            "Content-Length",
            "Connection",
            "Transfer-Encoding",
            "authorization",
            "Accept-Encoding",
            "Range",
            "If-Range")) {
      RelayException e =
          failure(
              "return relay.request{upstream = 'api', path = '/json', headers = {['"
                  + header
                  + "'] = 'x'}}");
      assertThat(e.status()).as(header).isEqualTo(400);
      assertThat(e.getMessage()).as(header).contains("header '" + header + "'");
    }
    assertThat(
            failure(
                    "return relay.request{upstream = 'api', path = '/json',"
                        + " headers = {['X-A'] = 'a\\r\\nX-B: b'}}")
                .status())
        .isEqualTo(400);
    assertThat(
            failure("return relay.request{upstream = 'api', method = 'TRACE', path = '/j'}")
                .getMessage())
        .isEqualTo("relay: method must be GET, POST, PUT, PATCH or DELETE");
    assertThat(failure("return relay.request{upstream = 'api', path = '/j', extra = 1}").status())
        .isEqualTo(400);
    assertThat(api.received).isEmpty();
  }

  @Test
  void anUpstreamSlowerThanItsTimeoutIs504WithinTheTimeout() {
    long t0 = System.nanoTime();
    RelayException e = failure("return relay.request{upstream = 'tight', path = '/slow'}");
    assertThat(e.status()).isEqualTo(504);
    assertThat(e.getMessage()).isEqualTo("relay: upstream 'tight' timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2500));
    assertThat(caught("relay.request{upstream = 'tight', path = '/slow-body'}"))
        .contains("relay: upstream 'tight' timed out");
    assertThat(run("return relay.request{upstream = 'api', path = '/json'}.status"))
        .isEqualTo(201L);
  }

  @Test
  void theRequestsDeadlineShortensTheUpstreamsTimeout() {
    long t0 = System.nanoTime();
    LuaRuntimeException e =
        catchThrowableOfType(
            LuaRuntimeException.class,
            () ->
                relay.as(
                    WALLET,
                    Instant.now().plusMillis(500),
                    () -> unit.compute("return relay.request{upstream = 'api', path = '/slow'}")));
    assertThat(((RelayException) e.getCause()).status()).isEqualTo(504);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1800));
    RelayException past =
        (RelayException)
            catchThrowableOfType(
                    LuaRuntimeException.class,
                    () ->
                        relay.as(
                            WALLET,
                            Instant.now().minusSeconds(1),
                            () -> unit.compute("relay.request{upstream = 'api', path = '/json'}")))
                .getCause();
    assertThat(past.status()).isEqualTo(504);
  }

  @Test
  void anOversizedAnswerIs502() {
    RelayException e = failure("return relay.request{upstream = 'tight', path = '/big'}");
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.getMessage()).isEqualTo("relay: upstream 'tight' answered more than 1024 bytes");
    assertThat(run("return #relay.request{upstream = 'api', path = '/big'}.body"))
        .as("under a larger cap")
        .isEqualTo(5000L);
  }

  @Test
  void anUnreachableUpstreamIs502WithoutJavaInternals() {
    RelayException e = failure("return relay.request{upstream = 'gone', path = '/x'}");
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.getMessage()).isEqualTo("relay: upstream 'gone' cannot be reached");
    assertThat(caught("relay.request{upstream = 'gone', path = '/x'}"))
        .doesNotContain("java", "Exception", "127.0.0.1");
  }

  @Test
  void aMissingSecretIs500AndNamesNoSecret() {
    RelayException e = failure("return relay.request{upstream = 'keyless', path = '/json'}");
    assertThat(e.status()).isEqualTo(500);
    assertThat(e.getMessage()).isEqualTo("relay: upstream 'keyless' has no secret");
    assertThat(api.received).isEmpty();
  }

  @Test
  void aWalletsQuotaIs429AndOtherWalletsKeepTheirs() {
    run("relay.request{upstream = 'quota', path = '/json'}");
    run("relay.request{upstream = 'quota', path = '/json'}");
    RelayException e = failure("return relay.request{upstream = 'quota', path = '/json'}");
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.retryAfterSeconds()).isEqualTo(30);
    assertThat(e.getMessage()).contains("quota of upstream 'quota'");
    assertThat(api.received).hasSize(2);
    Object other =
        relay.as(
            "0x00000000000000000000000000000000000000bb",
            Instant.now().plusSeconds(5),
            () -> unit.compute("return relay.request{upstream = 'quota', path = '/json'}.status"));
    assertThat(other).isEqualTo(201L);
    clock.addAndGet(30_000_000_000L); // half a minute: one call of two a minute
    assertThat(run("return relay.request{upstream = 'quota', path = '/json'}.status"))
        .isEqualTo(201L);
  }

  @Test
  void aRedirectIsReturnedToTheScriptNotFollowed() {
    assertThat(
            run(
                "local r = relay.request{upstream = 'api', path = '/redirect'}\n"
                    + "return r.status .. ' ' .. r.headers.location"))
        .isEqualTo("302 http://evil.invalid/steal");
    assertThat(api.received).hasSize(1);
  }

  @Test
  void concurrentRequestsKeepTheirOwnWalletsAndUnits() throws Exception {
    ComputeUnit.Builder b = ComputeUnit.builder();
    relay.install(b);
    try (ComputeUnit other = b.build()) {
      String lua = "return relay.request{upstream = 'quota', path = '/json'}.status";
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        var first =
            pool.submit(
                () ->
                    relay.as(
                        WALLET,
                        Instant.now().plusSeconds(5),
                        () -> {
                          unit.compute(lua);
                          return unit.compute(lua);
                        }));
        var second =
            pool.submit(
                () ->
                    relay.as(
                        "0x00000000000000000000000000000000000000bb",
                        Instant.now().plusSeconds(5),
                        () -> {
                          other.compute(lua);
                          return other.compute(lua);
                        }));
        assertThat(first.get()).isEqualTo(201L);
        assertThat(second.get()).isEqualTo(201L);
      } finally {
        pool.shutdownNow();
      }
    }
    assertThat(api.received).hasSize(4);
    assertThat(failure("return relay.request{upstream = 'quota', path = '/json'}").status())
        .as("the wallet used its two calls a minute on the pool's thread")
        .isEqualTo(429);
  }

  @Test
  void anEmptyHeadersTableIsNoHeaders() {
    assertThat(run("return relay.request{upstream = 'api', path = '/json', headers = {}}.status"))
        .isEqualTo(201L);
    assertThat(failure("relay.request{upstream = 'api', path = '/json', headers = {'x'}}").status())
        .isEqualTo(400);
  }

  @Test
  void aClientThatFollowsRedirectsIsRefused() {
    assertThatThrownBy(
            () ->
                new Relay(
                    Map.of(),
                    name -> null,
                    HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build(),
                    System::nanoTime))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not follow redirects");
  }

  @Test
  void callsOutsideARequestAreRefused() {
    LuaRuntimeException e =
        catchThrowableOfType(
            LuaRuntimeException.class,
            () -> unit.compute("return relay.request{upstream = 'api', path = '/json'}"));
    assertThat(((RelayException) e.getCause()).getMessage())
        .isEqualTo("relay: not available outside a request");
    assertThat(api.received).isEmpty();
  }
}
