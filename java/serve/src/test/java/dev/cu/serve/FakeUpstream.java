package dev.cu.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A paid API for the relay's tests, on a free loopback port: it records every request it
 * receives and answers by path: {@code /v1/json} JSON with two values of one header, {@code
 * /v1/echo} the authorization header back in its body and a header, {@code /v1/stream} five
 * chunks 50 ms apart, {@code /v1/split} the authorization header's last word split across two
 * chunks, {@code /v1/slow} after 3 s, {@code /v1/slow-body} headers at once and the body after
 * 3 s, {@code /v1/big} 5,000 bytes, {@code /v1/redirect} a 302 elsewhere; anything else 404.
 */
final class FakeUpstream implements AutoCloseable {
  /** One request as the fake upstream received it (header names lower-case). */
  record Received(String method, String path, Map<String, List<String>> headers, String body) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  FakeUpstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL of the API: {@code http://127.0.0.1:port/v1}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private void handle(HttpExchange ex) throws IOException {
    Map<String, List<String>> headers = new TreeMap<>();
    ex.getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().toString(), headers, body));
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    try (ex) {
      switch (ex.getRequestURI().getPath()) {
        case "/v1/json" -> {
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.getResponseHeaders().add("X-Multi", "a");
          ex.getResponseHeaders().add("X-Multi", "b");
          answer(ex, 201, "{\"ok\":true}");
        }
        case "/v1/echo" -> {
          ex.getResponseHeaders().add("X-Echo", "you sent " + auth);
          answer(ex, 200, "your key: " + auth + " (" + auth + ")");
        }
        case "/v1/stream" -> {
          ex.sendResponseHeaders(200, 0); // chunked
          OutputStream out = ex.getResponseBody();
          for (int i = 0; i < 5; i++) {
            out.write(("chunk-" + i + ";").getBytes(StandardCharsets.UTF_8));
            out.flush();
            sleep(50);
          }
        }
        case "/v1/split" -> {
          String key = auth.substring(auth.indexOf(' ') + 1);
          int half = key.length() / 2;
          ex.sendResponseHeaders(200, 0);
          OutputStream out = ex.getResponseBody();
          out.write(("start " + key.substring(0, half)).getBytes(StandardCharsets.UTF_8));
          out.flush();
          sleep(200);
          out.write((key.substring(half) + " end").getBytes(StandardCharsets.UTF_8));
        }
        case "/v1/slow" -> {
          sleep(3000);
          answer(ex, 200, "late");
        }
        case "/v1/slow-body" -> {
          ex.sendResponseHeaders(200, 0);
          ex.getResponseBody().write("first".getBytes(StandardCharsets.UTF_8));
          ex.getResponseBody().flush();
          sleep(3000);
          ex.getResponseBody().write("late".getBytes(StandardCharsets.UTF_8));
        }
        case "/v1/gzip" -> { // compressed whatever the relay asked for: the key inside
          java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
          try (java.util.zip.GZIPOutputStream g = new java.util.zip.GZIPOutputStream(z)) {
            g.write(("you sent " + auth).getBytes(StandardCharsets.UTF_8));
          }
          ex.getResponseHeaders().add("Content-Encoding", "gzip");
          ex.sendResponseHeaders(200, z.size());
          ex.getResponseBody().write(z.toByteArray());
        }
        case "/v1/partial" -> {
          ex.getResponseHeaders().add("Content-Range", "bytes 0-3/40");
          answer(ex, 206, auth.substring(0, 4));
        }
        case "/v1/big" -> answer(ex, 200, "x".repeat(5000));
        case "/v1/redirect" -> {
          ex.getResponseHeaders().add("Location", "http://evil.invalid/steal");
          answer(ex, 302, "");
        }
        default -> answer(ex, 404, "no such path");
      }
    } catch (IOException e) {
      // the relay hung up (a timeout or a cap): nothing to answer
    }
  }

  private static void answer(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
