package dev.cu.serve;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A Java client of {@code cu serve} that signs every unit request with a wallet (docs/SERVE.md,
 * "Signing"). Nonces count up from the current time in microseconds, so a new client of the same
 * wallet continues above the last one's as long as the clock does not go back and the wallet sends
 * fewer than a million requests a second. Thread-safe.
 *
 * <pre>{@code
 * Client c = new Client(URI.create("http://127.0.0.1:8080"), wallet, config.domain().signing());
 * Map<String, Object> r = c.compute(wallet.address(), "_home.n = (_home.n or 0) + 1 return _home.n", null);
 * }</pre>
 */
public final class Client {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final URI base;
  private final Wallet wallet;
  private final RequestSigning signing;
  private final HttpClient http;
  private final LongSupplier epochMicros;
  private final AtomicReference<BigInteger> lastNonce = new AtomicReference<>(BigInteger.ZERO);

  /** A client of the server at {@code base} signing as {@code wallet} in {@code domain}. */
  public Client(URI base, Wallet wallet, RequestSigning.Domain domain) {
    this(
        base,
        wallet,
        domain,
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
        () -> System.currentTimeMillis() * 1000);
  }

  /** As above with {@code http} and the clock {@code epochMicros} of its nonces and timestamps. */
  public Client(
      URI base,
      Wallet wallet,
      RequestSigning.Domain domain,
      HttpClient http,
      LongSupplier epochMicros) {
    String b = base.toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.wallet = wallet;
    this.signing = new RequestSigning(domain);
    this.http = http;
    this.epochMicros = epochMicros;
  }

  /**
   * Runs {@code code} in the unit of {@code key} with {@code input} as {@code _io.input}; returns
   * {@code {value, values, output, io}}.
   *
   * @throws ServeException when the server refused or the run failed
   * @throws UncheckedIOException when the server cannot be reached
   */
  public Map<String, Object> compute(String key, String code, Object input) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("input", input);
    return send("POST", unitPath(key) + "/compute", key, json(body));
  }

  /**
   * Calls the global function {@code function} of the unit of {@code key}; returns its value.
   * Throws what {@link #compute} throws.
   */
  public Object call(String key, String function, Object... args) {
    Map<String, Object> body = Map.of("args", List.of(args));
    return send("POST", unitPath(key) + "/call/" + encode(function), key, json(body)).get("value");
  }

  /** The {@code _home} of the unit of {@code key}. Throws what {@link #compute} throws. */
  public Object state(String key) {
    return send("GET", unitPath(key) + "/state", key, new byte[0]).get("home");
  }

  /**
   * Sends a signed request and returns the response as it came, whatever its status: for callers
   * that handle statuses themselves. {@code target} is the path and query, encoded as sent.
   *
   * @throws UncheckedIOException when the server cannot be reached
   */
  public HttpResponse<String> exchange(String method, String target, String key, byte[] body) {
    return exchange(
        signed(method, target, key, body, nextNonce(), epochMicros.getAsLong() / 1_000_000));
  }

  /**
   * The request {@link #exchange} would send, with the given nonce and timestamp: for tests and
   * tools that need to send one request twice or alter it after signing.
   */
  public HttpRequest signed(
      String method, String target, String key, byte[] body, BigInteger nonce, long timestamp) {
    RequestSigning.Request r =
        new RequestSigning.Request(key, method, target, body, nonce, timestamp);
    Signature s = signing.sign(wallet, r);
    return HttpRequest.newBuilder(URI.create(base + target))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .header(Gate.WALLET, wallet.address())
        .header(Gate.SIGNATURE, Hex.prefixed(s.bytes()))
        .header(Gate.NONCE, nonce.toString())
        .header(Gate.TIMESTAMP, Long.toString(timestamp))
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  /**
   * Sends {@code request} as it is.
   *
   * @throws UncheckedIOException when the server cannot be reached
   */
  public HttpResponse<String> exchange(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted while waiting for " + base, e));
    }
  }

  /** The next nonce: above the last one and, when the clock allows, the time in microseconds. */
  public BigInteger nextNonce() {
    BigInteger now = BigInteger.valueOf(epochMicros.getAsLong());
    return lastNonce.updateAndGet(
        last -> last.compareTo(now) >= 0 ? last.add(BigInteger.ONE) : now);
  }

  /** The path of the unit of {@code key}. */
  public static String unitPath(String key) {
    return "/v1/units/" + encode(key);
  }

  private Map<String, Object> send(String method, String target, String key, byte[] body) {
    HttpResponse<String> r = exchange(method, target, key, body);
    Map<String, Object> m;
    try {
      m = JSON.readValue(r.body(), MAP);
    } catch (IOException e) {
      throw new ServeException(r.statusCode(), "protocol", "the response is not JSON");
    }
    if (r.statusCode() != 200) {
      Object error = m == null ? null : m.get("error");
      String kind = "unknown";
      String message = "status " + r.statusCode();
      if (error instanceof Map<?, ?> e) {
        kind = String.valueOf(e.get("kind"));
        message = String.valueOf(e.get("message"));
      }
      long retry = r.headers().firstValueAsLong("Retry-After").orElse(0);
      throw new ServeException(r.statusCode(), kind, message, retry);
    }
    return m;
  }

  private static byte[] json(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("the request cannot be written as JSON", e);
    }
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
