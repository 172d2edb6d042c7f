package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cu.serve.Client;
import dev.cu.serve.RequestSigning;
import dev.cu.serve.Wallet;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick start of docs/SERVE.md: a secret into the vault, {@code cu serve} with an upstream,
 * {@code /health} and {@code /metrics} over plain HTTP (Java's client in place of curl), and the
 * Java client's signed requests, one of them through the relay. A local fake API stands in for
 * the paid one and checks the key it receives.
 */
class ServeTutorialTest {
  @TempDir Path dir;

  @Test
  void theQuickStartWorksEndToEnd() throws Exception {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    Map<String, String> env = Map.of("CU_VAULT_KEY", Base64.getEncoder().encodeToString(k));
    Path st = dir.resolve("st");
    Cli.Run put =
        Cli.runWithEnv(
            env,
            "sk-test-123".getBytes(StandardCharsets.UTF_8),
            "vault",
            "--state",
            st.toString(),
            "put",
            "openai-key");
    assertThat(put.exit()).isEqualTo(ExitCode.OK);

    HttpServer api =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    api.createContext(
        "/",
        ex -> {
          boolean keyed =
              "Bearer sk-test-123".equals(ex.getRequestHeaders().getFirst("Authorization"));
          byte[] b = (keyed ? "{\"ok\":true}" : "{\"ok\":false}").getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(keyed ? 200 : 401, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    api.start();
    Path config = dir.resolve("serve.json");
    Files.writeString(
        config,
        "{\"port\": 0,\n"
            + " \"domain\": {\"name\": \"my cu serve\", \"version\": \"1\", \"chainId\": 1},\n"
            + " \"upstreams\": {\"openai\": {\"baseUrl\": \"http://127.0.0.1:"
            + api.getAddress().getPort()
            + "\", \"secret\": \"openai-key\"}}}");
    ServeCommandTest.Served s =
        ServeCommandTest.serve(env, "--state", st.toString(), "--config", config.toString());
    try {
      URI base = URI.create("http://127.0.0.1:" + s.port());
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(base.resolve("/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(base.resolve("/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body()).contains("cu_pool");

      Wallet wallet = Wallet.generate(new SecureRandom());
      Client client = new Client(base, wallet, new RequestSigning.Domain("my cu serve", "1", 1));
      Map<String, Object> r =
          client.compute(wallet.address(), "_home.n = (_home.n or 0) + 1 return _home.n", null);
      assertThat(r).containsEntry("value", 1).containsEntry("values", java.util.List.of(1));
      client.compute(wallet.address(), "function f(a, b) return a + b end", null);
      assertThat(client.call(wallet.address(), "f", 1, 2)).isEqualTo(3);
      assertThat(client.state(wallet.address())).isEqualTo(Map.of("n", 1));
      Object relayed =
          client
              .compute(
                  wallet.address(),
                  "local r = relay.request{upstream = 'openai', path = '/v1/models'}"
                      + " return r.status, require('json').decode(r.body).ok",
                  null)
              .get("values");
      assertThat(relayed).isEqualTo(java.util.List.of(200, true));
    } finally {
      s.process().destroy();
      assertThat(s.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      api.stop(0);
    }
    assertThat(String.join("\n", s.lines())).doesNotContain("sk-test-123");
  }
}
