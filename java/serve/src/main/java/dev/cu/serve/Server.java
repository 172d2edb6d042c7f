package dev.cu.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.ComputeUnit;
import dev.cu.pool.PoolKeys;
import dev.cu.pool.UnitPool;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cu serve}: units over HTTP, one unit per key in a {@link UnitPool}, every unit request
 * signed by a wallet (see docs/SERVE.md). Endpoints:
 *
 * <ul>
 *   <li>{@code POST /v1/units/{key}/compute} {@code {code, input}} to {@code {value, values,
 *       output, io}}
 *   <li>{@code POST /v1/units/{key}/call/{function}} {@code {args}} to {@code {value}}
 *   <li>{@code GET /v1/units/{key}/state} to {@code {home}}
 *   <li>{@code GET /health}, {@code GET /metrics} (Prometheus text), unsigned
 * </ul>
 *
 * <p>A request's body is read whole before it takes a unit and its response is written after
 * the unit is free, so a slow client holds a connection but never a unit. Close it to stop.
 */
public final class Server implements AutoCloseable {
  private static final String UNIT = "/v1/units/{key}";
  private static final Logger LOG = LoggerFactory.getLogger(Server.class);

  /** How long a connection may stay silent, in milliseconds. */
  static final long IDLE_MS = 30_000;

  /** The slowest a request's body may arrive or its answer be read, in bytes per second. */
  static final long MIN_DATA_RATE = 1024;

  private final ServeConfig config;
  private final ObjectMapper json = new ObjectMapper();
  private final UnitRequests requests = new UnitRequests(json);
  private final Semaphore running;
  private final Services services;
  private final Javalin app;

  private Server(ServeConfig config, Services services) {
    this.config = config;
    this.services = services;
    this.running = new Semaphore(config.maxConcurrentRequests());
    this.app =
        Javalin.create(
            c -> {
              c.startup.showJavalinBanner = false;
              c.http.maxRequestSize = config.limits().bodyBytes();
              c.jetty.modifyHttpConfiguration(
                  h -> {
                    h.setIdleTimeout(IDLE_MS);
                    h.setMinRequestDataRate(MIN_DATA_RATE); // a trickling body is cut off
                    h.setMinResponseDataRate(MIN_DATA_RATE);
                  });
              c.jetty.modifyServer(
                  s -> s.addBean(new NetworkConnectionLimit(config.maxConnections(), s)));
              // where the runtime has them, a thread per connection costs little: a client that
              // holds a connection open no longer takes one of a fixed pool's threads
              c.concurrency.useVirtualThreads = Runtime.version().feature() >= 21;
              c.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
              c.routes.get(
                  "/metrics",
                  ctx -> ctx.contentType("text/plain; version=0.0.4").result(services.scrape()));
              c.routes.post(UNIT + "/compute", ctx -> unit(ctx, "POST " + UNIT + "/compute"));
              c.routes.post(
                  UNIT + "/call/{function}", ctx -> unit(ctx, "POST " + UNIT + "/call/{function}"));
              c.routes.get(UNIT + "/state", ctx -> unit(ctx, "GET " + UNIT + "/state"));
              c.routes.exception(Exception.class, (e, ctx) -> answer(ctx, Failures.of(e)));
              c.routes.error(404, ctx -> notFound(ctx));
            });
  }

  /**
   * Starts a server on {@code state} (made when missing) with {@code config}; the vault is opened
   * with {@code vaultKey} when the configuration has upstreams.
   *
   * @throws IOException when the state folder, the nonce store or the audit log cannot be opened
   * @throws IllegalArgumentException when the vault's key is needed and missing or wrong
   * @throws dev.cu.store.CuStoreException when the units' storage cannot be opened
   */
  public static Server start(Path state, ServeConfig config, MasterKey.Provider vaultKey)
      throws IOException {
    Services s = Services.open(state, config, vaultKey);
    try {
      Server server = new Server(config, s);
      server.app.start(config.host(), config.port());
      return server;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** The port the server listens on (the one chosen when the configuration said 0). */
  public int port() {
    return app.port();
  }

  /** The configuration it runs with. */
  public ServeConfig config() {
    return config;
  }

  /** Stops accepting requests, finishes the running ones and closes the state. Idempotent. */
  @Override
  public void close() {
    app.stop();
    services.close();
  }

  // ------------------------------------------------------------------ requests

  private void unit(Context ctx, String endpoint) {
    long t0 = System.nanoTime();
    String key = ctx.pathParam("key");
    String[] wallet = {null}; // the signer, once verified
    ServeException failure = null;
    Map<String, Object> result = null;
    boolean slot = false;
    try {
      byte[] body = body(ctx);
      String target = ctx.req().getRequestURI();
      if (ctx.queryString() != null) {
        target = target + "?" + ctx.queryString();
      }
      // the body and the key are checked before the gate: a bad request consumes no nonce
      Function<ComputeUnit, Map<String, Object>> work = work(ctx, endpoint, body);
      String unitKey = unitKey(key);
      slot = running.tryAcquire(); // before the gate too: a busy server consumes no nonce
      if (!slot) {
        throw new ServeException(503, "busy", "the server is busy", 1);
      }
      String signer =
          services.gate.admit(
              key, ctx.method().name(), target, body, ctx::header, w -> wallet[0] = w);
      result = services.pool.apply(unitKey, services.relayed(signer, work)).join();
    } catch (Throwable e) {
      failure = Failures.of(e);
      if (failure.status() == 500) {
        LOG.error("{} failed", endpoint, e); // the client sees "internal error" only
      }
    } finally {
      if (slot) {
        running.release(); // before the answer is written: a slow reader holds no slot
      }
    }
    int status = failure == null ? 200 : failure.status();
    services.audit(wallet[0], key, endpoint, failure == null ? "ok" : failure.kind(), status, t0);
    Timer.builder("cu.serve.requests")
        .tag("endpoint", endpoint)
        .tag("status", Integer.toString(status))
        .register(services.registry)
        .record(Duration.ofNanos(System.nanoTime() - t0));
    if (failure != null) {
      answer(ctx, failure);
    } else {
      ctx.json(result);
    }
  }

  private Function<ComputeUnit, Map<String, Object>> work(
      Context ctx, String endpoint, byte[] body) {
    if (endpoint.endsWith("/compute")) {
      return requests.compute(body);
    } else if (endpoint.endsWith("/state")) {
      return requests.state();
    }
    return requests.call(ctx.pathParam("function"), body);
  }

  /** The body, refused with 413 past the limit before it is read. */
  private byte[] body(Context ctx) {
    long limit = config.limits().bodyBytes();
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      throw new ServeException(413, "too-large", "the body is larger than " + limit + " bytes");
    }
    byte[] b;
    try {
      b = ctx.bodyAsBytes(); // Javalin stops reading past its maxRequestSize, the same limit
    } catch (HttpResponseException e) {
      if (e.getStatus() == 413) {
        throw new ServeException(413, "too-large", "the body is larger than " + limit + " bytes");
      }
      throw new ServeException(400, "bad-request", "the body could not be read");
    } catch (Exception e) { // the client hung up or stalled (Jetty's EofException, thrown
      // unchecked through Kotlin, is an IOException): its fault, nothing to log
      throw new ServeException(400, "bad-request", "the body could not be read");
    }
    if (b.length > limit) {
      throw new ServeException(413, "too-large", "the body is larger than " + limit + " bytes");
    }
    return b;
  }

  /**
   * The pool's key for a path's key: an address in any letter case names the one unit of that
   * wallet, so it is written in its EIP-55 form; any other key is used as it is.
   */
  static String unitKey(String key) {
    if (key.length() == 42 && (key.startsWith("0x") || key.startsWith("0X"))) {
      try { // lower case first: a mixed case that is no valid checksum is still the address
        return Wallet.normalize("0x" + key.substring(2).toLowerCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        return key; // not hex: an ordinary key
      }
    }
    if (key.isEmpty() || key.length() > PoolKeys.MAX_ESCAPED) {
      throw UnitRequests.badRequest("a key has 1 to " + PoolKeys.MAX_ESCAPED + " characters");
    }
    return key;
  }

  private void answer(Context ctx, ServeException e) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("kind", e.kind());
    error.put("message", e.getMessage());
    if (e.retryAfterSeconds() > 0) {
      ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
    }
    ctx.status(e.status()).json(Map.of("error", error));
  }

  private void notFound(Context ctx) {
    if (ctx.result() == null || ctx.result().isEmpty() || !ctx.result().startsWith("{")) {
      answer(ctx, new ServeException(404, "not-found", "no such endpoint"));
    }
  }
}
