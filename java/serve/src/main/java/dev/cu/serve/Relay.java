package dev.cu.serve;

import dev.cu.ComputeUnit;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Lets scripts call paid HTTP APIs without seeing their keys. {@link #install} gives units the
 * functions {@code relay.request{upstream =, method =, path =, headers =, body =}} (a table
 * {@code status}, {@code headers}, {@code body}) and {@code relay.stream{...}} (a {@link
 * RelayStream}). The relay sends the request to the upstream's base URL followed by the path
 * (nowhere else), adds the upstream's secret header from the vault, charges the calling wallet's
 * per-minute quota of the upstream, waits at most the upstream's timeout and never past the
 * request's deadline, reads at most the upstream's size cap, and replaces the secret by {@code
 * [redacted]} wherever the answer repeats it. Failures are {@link RelayException}s: Lua errors
 * scripts may catch, with the HTTP status the server answers when they end the request.
 *
 * <p>Calls work only inside {@link #as}, which the server wraps around each request's unit call
 * on the thread that runs it. The secret's value appears in no message, exception, result or
 * {@code toString}. Thread-safe.
 */
public final class Relay implements AutoCloseable {
  private static final int SECONDS_PER_MINUTE = 60;

  private final Map<String, Upstream> upstreams;
  private final Function<String, byte[]> secrets;
  private final HttpClient client;
  private final Map<String, RateLimiter> quotas = new TreeMap<>();
  private final ScheduledThreadPoolExecutor timer;
  private final ThreadLocal<Request> current = new ThreadLocal<>();

  /** The request running on a thread: whose, until when, and the streams it opened. */
  private record Request(String wallet, long deadlineNanos, List<RelayStream> streams) {}

  /**
   * A relay of {@code upstreams} (by name) whose secrets {@code secrets} looks up by name ({@code
   * vault::get}), sending with an HTTP client that never follows redirects.
   */
  public Relay(Map<String, Upstream> upstreams, Function<String, byte[]> secrets) {
    this(
        upstreams,
        secrets,
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build(),
        System::nanoTime);
  }

  /**
   * A relay sending with {@code client}, whose quotas run on the clock {@code nanos} ({@code
   * System::nanoTime} in a service).
   *
   * @throws IllegalArgumentException when the client follows redirects (a redirect could lead a
   *     request, and its secret, outside the upstream)
   * @throws NullPointerException when an argument is null
   */
  public Relay(
      Map<String, Upstream> upstreams,
      Function<String, byte[]> secrets,
      HttpClient client,
      LongSupplier nanos) {
    this.upstreams = Map.copyOf(upstreams);
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.client = Objects.requireNonNull(client, "client");
    if (client.followRedirects() != HttpClient.Redirect.NEVER) {
      throw new IllegalArgumentException("the relay's HTTP client must not follow redirects");
    }
    this.upstreams.forEach(
        (name, up) ->
            quotas.put(
                name,
                new RateLimiter(
                    up.quotaPerMinute() / (double) SECONDS_PER_MINUTE,
                    up.quotaPerMinute(),
                    nanos)));
    this.timer = new ScheduledThreadPoolExecutor(1, Relay::timerThread);
    this.timer.setRemoveOnCancelPolicy(true);
  }

  private static Thread timerThread(Runnable r) {
    Thread t = new Thread(r, "cu-relay-timer");
    t.setDaemon(true);
    return t;
  }

  /** The names of the upstreams, sorted. */
  public List<String> upstreams() {
    return List.copyOf(quotas.keySet());
  }

  /** Registers {@code relay.request} and {@code relay.stream} (the global table {@code relay}). */
  public void install(ComputeUnit.Builder builder) {
    builder.function("relay.request", this::request);
    builder.function("relay.stream", this::stream);
  }

  /**
   * Runs {@code work} on this thread as a request of {@code wallet} (whose quotas relay calls
   * charge) that must end by {@code deadline} (relay calls never wait past it); closes the
   * streams it opened and left open when it ends. Calls may nest: the inner one's wallet and
   * deadline hold inside it.
   *
   * @return what {@code work} returns
   * @throws NullPointerException when an argument is null
   */
  public <T> T as(String wallet, Instant deadline, Supplier<T> work) {
    Objects.requireNonNull(wallet, "wallet");
    Objects.requireNonNull(work, "work");
    Request outer = current.get();
    Request r = new Request(wallet, System.nanoTime() + nanosUntil(deadline), new ArrayList<>());
    current.set(r);
    try {
      return work.get();
    } finally {
      for (RelayStream s : r.streams()) {
        s.expire();
      }
      if (outer == null) {
        current.remove();
      } else {
        current.set(outer);
      }
    }
  }

  /** Nanoseconds from now until {@code deadline}, kept within a year either way. */
  private static long nanosUntil(Instant deadline) {
    Duration left = Duration.between(Instant.now(), deadline);
    Duration year = Duration.ofDays(366);
    if (left.compareTo(year) > 0) {
      return year.toNanos();
    }
    return left.compareTo(year.negated()) < 0 ? -year.toNanos() : left.toNanos();
  }

  /** Stops the timer that watches reads; calls afterwards fail. */
  @Override
  public void close() {
    timer.shutdownNow();
  }

  // ------------------------------------------------------------- the host functions

  private Object request(List<Object> args) {
    Opened o = open(args);
    byte[] body;
    try (BodyReader reader = o.body()) {
      body = reader.readAll(o.untilNanos());
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("status", (long) o.response().statusCode());
    r.put("headers", o.headers());
    r.put("body", o.redactor().all(body));
    return r;
  }

  private Object stream(List<Object> args) {
    Opened o = open(args);
    RelayStream s =
        new RelayStream(
            o.response().statusCode(),
            o.headers(),
            o.body(),
            o.redactor(),
            o.call().name(),
            TimeUnit.MILLISECONDS.toNanos(o.call().upstream().timeoutMs()),
            o.request().deadlineNanos());
    o.request().streams().add(s);
    return s;
  }

  /** A request sent and its headers received. */
  private record Opened(
      RelayCall call,
      Request request,
      HttpResponse<InputStream> response,
      Map<String, String> headers,
      BodyReader body,
      Redactor redactor,
      long untilNanos) {}

  /** Checks the call, charges the quota, sends the request and waits for the answer's headers. */
  private Opened open(List<Object> args) {
    Request req = current.get();
    if (req == null) {
      throw new RelayException(403, "relay: not available outside a request");
    }
    RelayCall call = RelayCall.parse(args, upstreams);
    String name = RelayCall.quoted(call.name());
    Upstream up = call.upstream();
    long start = System.nanoTime();
    long until =
        Math.min(start + TimeUnit.MILLISECONDS.toNanos(up.timeoutMs()), req.deadlineNanos());
    if (until - start <= 0) {
      throw BodyReader.timedOut(call.name());
    }
    RateLimiter quota = quotas.get(call.name());
    if (!quota.tryAcquire(req.wallet())) {
      long retry = quota.retryAfterSeconds(req.wallet());
      throw new RelayException(
          429,
          "relay: the quota of upstream " + name + " is used up; retry in " + retry + " s",
          retry,
          null);
    }
    byte[] secret = secret(call);
    HttpRequest request = build(call, secret, until - start);
    HttpResponse<InputStream> response = send(call, request, until);
    plain(call, response);
    Redactor redactor = new Redactor(secret);
    Map<String, String> headers = headers(response, redactor);
    BodyReader body = new BodyReader(response.body(), timer, call.name(), up.maxResponseBytes());
    return new Opened(call, req, response, headers, body, redactor, until);
  }

  /**
   * Refuses an answer whose body is not the plain bytes of the resource: encoded (compressed) or
   * partial. The redactor could not find the secret in it, so the script could read it.
   */
  private static void plain(RelayCall call, HttpResponse<InputStream> response) {
    String encoding = response.headers().firstValue("Content-Encoding").orElse("identity").strip();
    if (response.statusCode() == 206 || !encoding.equalsIgnoreCase("identity")) {
      try {
        response.body().close();
      } catch (java.io.IOException e) {
        // the answer is refused either way
      }
      throw new RelayException(
          502,
          "relay: upstream "
              + RelayCall.quoted(call.name())
              + " answered with an encoded or partial body");
    }
  }

  private byte[] secret(RelayCall call) {
    byte[] secret;
    try {
      secret = secrets.apply(call.upstream().secret());
    } catch (RuntimeException e) {
      throw new RelayException(
          500,
          "relay: the secret of upstream " + RelayCall.quoted(call.name()) + " is unreadable",
          0,
          e);
    }
    if (secret == null || secret.length == 0) {
      throw new RelayException(
          500, "relay: upstream " + RelayCall.quoted(call.name()) + " has no secret");
    }
    return secret;
  }

  private static HttpRequest build(RelayCall call, byte[] secret, long timeoutNanos) {
    Upstream up = call.upstream();
    String value =
        up.format().replace(Upstream.PLACEHOLDER, new String(secret, StandardCharsets.UTF_8));
    if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f || c > 0xff)) {
      throw new RelayException(
          500,
          "relay: the secret of upstream "
              + RelayCall.quoted(call.name())
              + " cannot be sent in a header");
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(call.uri())
            .timeout(Duration.ofNanos(timeoutNanos))
            .method(
                call.method(),
                call.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(call.body()));
    try {
      for (Map.Entry<String, String> h : call.headers()) {
        b.header(h.getKey(), h.getValue());
      }
    } catch (IllegalArgumentException e) { // the client refuses it; its message is not shown
      throw new RelayException(400, "relay: the HTTP client refused a header");
    }
    b.header("Accept-Encoding", "identity"); // the redactor reads the bytes as they come
    try {
      b.header(up.header(), value);
    } catch (IllegalArgumentException e) { // without the cause: its message may hold the value
      throw new RelayException(
          500,
          "relay: the secret header of upstream " + RelayCall.quoted(call.name()) + " was refused");
    }
    return b.build();
  }

  /** Sends {@code request} and waits until {@code untilNanos} for the headers of the answer. */
  private HttpResponse<InputStream> send(RelayCall call, HttpRequest request, long untilNanos) {
    String name = RelayCall.quoted(call.name());
    CompletableFuture<HttpResponse<InputStream>> f =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
    try {
      return f.get(Math.max(1, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      abandon(f);
      throw BodyReader.timedOut(call.name());
    } catch (InterruptedException e) {
      abandon(f);
      Thread.currentThread().interrupt();
      throw new RelayException(503, "relay: the call to upstream " + name + " was interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof HttpTimeoutException) {
        throw BodyReader.timedOut(call.name());
      }
      if (c instanceof ConnectException) {
        throw new RelayException(502, "relay: upstream " + name + " cannot be reached", 0, c);
      }
      throw new RelayException(
          502, "relay: upstream " + name + " failed", 0, c instanceof IOException ? c : null);
    }
  }

  /** Cancels an exchange no one waits for, and closes its body should it arrive anyway. */
  private static void abandon(CompletableFuture<HttpResponse<InputStream>> f) {
    f.cancel(true);
    f.thenAccept(
        r -> {
          try {
            r.body().close();
          } catch (IOException ignored) {
            // released
          }
        });
  }

  /** The answer's headers: lower-case names, values joined by ", ", the secret redacted. */
  private static Map<String, String> headers(HttpResponse<?> response, Redactor redactor) {
    Map<String, List<String>> merged = new TreeMap<>();
    response
        .headers()
        .map()
        .forEach(
            (k, v) -> {
              if (!k.startsWith(":")) {
                merged
                    .computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>())
                    .addAll(v);
              }
            });
    Map<String, String> out = new LinkedHashMap<>();
    merged.forEach((k, v) -> out.put(redactor.header(k), redactor.header(String.join(", ", v))));
    return out;
  }
}
