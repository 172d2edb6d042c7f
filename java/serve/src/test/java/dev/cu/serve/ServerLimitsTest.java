package dev.cu.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's limits on what clients send and how many requests run at once. */
class ServerLimitsTest {
  @TempDir Path state;
  Server server;
  final Wallet alice = Wallet.generate(new SecureRandom());

  Client start(String extra) throws Exception {
    ServeConfig c =
        ServeConfig.parse(
            "{\"port\": 0, \"limits\": {\"timeMs\": 3000, \"bodyBytes\": 4096}" + extra + "}",
            "test");
    server = Server.start(state, c, null);
    return new Client(URI.create("http://127.0.0.1:" + server.port()), alice, c.domain().signing());
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aChunkedBodyPastTheLimitIsRefusedWith413() throws Exception {
    Client client = start("");
    String key = alice.address();
    String target = Client.unitPath(key) + "/compute";
    byte[] body =
        ("{\"code\": \"_home.n = 1 --" + "x".repeat(10_000) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest signed =
        client.signed(
            "POST", target, key, body, client.nextNonce(), System.currentTimeMillis() / 1000);
    HttpRequest chunked = // no Content-Length: the body arrives in chunks
        HttpRequest.newBuilder(signed, (n, v) -> true)
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();
    HttpResponse<String> r = client.exchange(chunked);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("too-large");
    assertThat(client.state(key)).isEqualTo(Map.of());
  }

  @Test
  void pastMaxConcurrentRequestsTheServerAnswers503() throws Exception {
    Client client = start(", \"maxConcurrentRequests\": 1");
    String key = alice.address();
    CompletableFuture<Map<String, Object>> slow =
        CompletableFuture.supplyAsync(
            () ->
                client.compute(
                    key, "local t = os.clock() while os.clock() - t < 1.5 do end return 1", null));
    Thread.sleep(700); // the slow request holds the only slot by now
    ServeException e2 = null;
    try {
      client.compute(key, "return 3", null);
    } catch (ServeException e) {
      e2 = e;
    }
    assertThat(e2).isNotNull();
    assertThat(e2.status()).isEqualTo(503);
    assertThat(e2.retryAfterSeconds()).isPositive();
    assertThat(slow.join().get("value")).isEqualTo(1);
    assertThat(client.compute(key, "return 4", null).get("value")).isEqualTo(4);
  }

  @Test
  void aClientThatNeverFinishesItsBodyHoldsNoUnit() throws Exception {
    Client client = start(", \"maxConcurrentRequests\": 1");
    String key = alice.address();
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST "
                  + Client.unitPath(key)
                  + "/compute HTTP/1.1\r\nHost: x\r\n"
                  + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"code\":")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // the body stays unfinished while another request of the same key runs
      assertThat(client.compute(key, "_home.n = 1 return 'served'", null).get("value"))
          .isEqualTo("served");
      InputStream in = s.getInputStream();
      assertThat(in.available()).isZero();
    }
    assertThat(client.state(key)).isEqualTo(Map.of("n", 1));
  }

  @Test
  void aTricklingBodyIsCutOffAndAHangUpIsABadRequestNotAnError() throws Exception {
    Client client = start("");
    String key = alice.address();
    String head =
        "POST "
            + Client.unitPath(key)
            + "/compute HTTP/1.1\r\nHost: x\r\n"
            + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{";
    long t0 = System.nanoTime();
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = "";
      for (int i = 0; i < 8 && answer.isEmpty(); i++) { // a byte every 1.5 s: far below the rate
        Thread.sleep(1500);
        try {
          out.write(' ');
          out.flush();
        } catch (java.io.IOException e) {
          break; // the server closed the connection
        }
        if (s.getInputStream().available() > 0) {
          answer = new String(s.getInputStream().readNBytes(s.getInputStream().available()));
        }
      }
      assertThat((System.nanoTime() - t0) / 1e9).isLessThan(12);
    }
    try (Socket s = new Socket("127.0.0.1", server.port())) { // sends part of a body, hangs up
      s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
    }
    Thread.sleep(500);
    assertThat(client.compute(key, "return 'still serving'", null).get("value"))
        .isEqualTo("still serving");
    server.close();
    server = null;
    java.util.List<AuditLog.Entry> log = AuditLog.read(StateLayout.audit(state), e -> true);
    assertThat(log).extracting(AuditLog.Entry::status).doesNotContain(500);
    assertThat(log).extracting(AuditLog.Entry::outcome).contains("bad-request", "ok");
  }

  @Test
  void healthAnswersWhileTheSlotsAreTaken() throws Exception {
    Client client = start(", \"maxConcurrentRequests\": 1");
    CompletableFuture<Map<String, Object>> slow =
        CompletableFuture.supplyAsync(
            () ->
                client.compute(
                    alice.address(),
                    "local t = os.clock() while os.clock() - t < 1 do end return 1",
                    null));
    Thread.sleep(300);
    HttpResponse<String> h =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(h.statusCode()).isEqualTo(200);
    slow.join();
  }
}
