package dev.cu.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service's configuration, read from a JSON file ({@code cu serve --config FILE}); every
 * field has a default, so {@code {}} is a valid configuration. docs/SERVE.md lists the fields. A
 * field the service does not know is an error, so a misspelt limit never silently falls back to
 * its default.
 *
 * @param host the address to listen on; default {@code 127.0.0.1}, the local machine only
 * @param port the port; default 8080, 0 for any free port
 * @param domain the EIP-712 domain requests are signed in
 * @param limits the limits of one request
 * @param maxConcurrentRequests requests served at once; more are refused with 503
 * @param maxConnections open connections at once; more wait to be accepted
 * @param timestampWindowSeconds how far a request's timestamp may lie from the server's clock
 * @param rateLimit each wallet's token bucket
 * @param acl the keys a wallet may act on besides its own address: address to keys, {@code "*"}
 *     for every key
 * @param pool the unit pool's sizes
 * @param upstreams the relay's upstreams by name
 */
public record ServeConfig(
    String host,
    int port,
    Domain domain,
    Limits limits,
    int maxConcurrentRequests,
    int maxConnections,
    long timestampWindowSeconds,
    Rate rateLimit,
    Map<String, List<String>> acl,
    Pool pool,
    Map<String, Upstream> upstreams) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Fills in defaults and checks ranges; throws {@link IllegalArgumentException}. */
  public ServeConfig {
    host = host == null || host.isBlank() ? "127.0.0.1" : host;
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
    }
    domain = domain == null ? new Domain(null, null, 0) : domain;
    limits = limits == null ? new Limits(0, 0, 0, 0, 0) : limits;
    maxConcurrentRequests = positive("maxConcurrentRequests", maxConcurrentRequests, 64);
    maxConnections = positive("maxConnections", maxConnections, 200);
    timestampWindowSeconds = positive("timestampWindowSeconds", timestampWindowSeconds, 300);
    rateLimit = rateLimit == null ? new Rate(0, 0) : rateLimit;
    Map<String, List<String>> grants = new LinkedHashMap<>();
    if (acl != null) {
      for (Map.Entry<String, List<String>> e : acl.entrySet()) {
        grants.put(
            Wallet.normalize(e.getKey()),
            e.getValue().stream().map(k -> k.equals("*") ? k : Server.unitKey(k)).toList());
      }
    }
    acl = Map.copyOf(grants);
    pool = pool == null ? new Pool(0, 0, 0) : pool;
    upstreams = upstreams == null ? Map.of() : Map.copyOf(upstreams);
  }

  /** The defaults: {@code {}}. */
  public static ServeConfig defaults() {
    return new ServeConfig(null, 8080, null, null, 0, 0, 0, null, null, null, null);
  }

  /** This configuration listening on {@code host} and {@code port} instead (null: unchanged). */
  public ServeConfig listening(String host, Integer port) {
    return new ServeConfig(
        host != null ? host : this.host,
        port != null ? port : this.port,
        domain,
        limits,
        maxConcurrentRequests,
        maxConnections,
        timestampWindowSeconds,
        rateLimit,
        acl,
        pool,
        upstreams);
  }

  /**
   * Reads the JSON file {@code file}.
   *
   * @throws IOException when it cannot be read
   * @throws IllegalArgumentException when it is not a valid configuration; the message names the
   *     file and the field
   */
  public static ServeConfig read(Path file) throws IOException {
    return parse(Files.readString(file), file.toString());
  }

  /**
   * Parses configuration text; {@code source} names it in messages.
   *
   * @throws IllegalArgumentException when it is not a valid configuration
   */
  public static ServeConfig parse(String json, String source) {
    try {
      ServeConfig c = JSON.readValue(json, ServeConfig.class);
      if (c == null) {
        throw new IllegalArgumentException(source + ": the configuration is empty");
      }
      return c;
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(
          source + ": unknown field '" + e.getPropertyName() + "' at " + path(e), e);
    } catch (JsonProcessingException e) {
      Throwable cause = e.getCause();
      String why =
          cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
      throw new IllegalArgumentException(source + ": " + why + " at " + path(e), e);
    }
  }

  private static String path(JsonProcessingException e) {
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
      String p = m.getPathReference();
      return p == null || p.isEmpty() ? "the top" : p;
    }
    return e.getLocation() == null ? "the top" : "line " + e.getLocation().getLineNr();
  }

  /**
   * Whether {@code wallet} may act on {@code key}: its own address (in any letter case), and what
   * the ACL grants; keys compare as {@link Server#unitKey} writes them.
   */
  public boolean allows(String wallet, String key) {
    String k = Server.unitKey(key);
    if (k.equals(Wallet.normalize(wallet))) {
      return true;
    }
    List<String> keys = acl.get(Wallet.normalize(wallet));
    return keys != null && (keys.contains("*") || keys.contains(k));
  }

  static long positive(String name, long v, long dflt) {
    if (v < 0) {
      throw new IllegalArgumentException(name + " must not be negative, not " + v);
    }
    return v == 0 ? dflt : v;
  }

  static int positive(String name, int v, int dflt) {
    return Math.toIntExact(positive(name, (long) v, dflt));
  }

  /**
   * The EIP-712 domain (see {@link RequestSigning}).
   *
   * @param name the service's name; default {@code cu serve}. Name each deployment differently:
   *     a signature is valid in every deployment of the same domain
   * @param version the protocol version; default {@code 1}
   * @param chainId default 1
   */
  public record Domain(String name, String version, long chainId) {
    public Domain {
      name = name == null || name.isBlank() ? "cu serve" : name;
      version = version == null || version.isBlank() ? "1" : version;
      chainId = positive("domain.chainId", chainId, 1);
    }

    /** As {@link RequestSigning} takes it. */
    public RequestSigning.Domain signing() {
      return new RequestSigning.Domain(name, version, chainId);
    }
  }

  /**
   * The limits of one request.
   *
   * @param memoryBytes a unit's Lua memory; default 64 MiB
   * @param timeMs a run's wall-clock time; default 5,000
   * @param cpuMs a run's CPU time; default 5,000
   * @param instructions a run's VM instructions; default 0, none
   * @param bodyBytes a request body's size; default 1 MiB
   */
  public record Limits(
      long memoryBytes, long timeMs, long cpuMs, long instructions, long bodyBytes) {
    public Limits {
      memoryBytes = positive("limits.memoryBytes", memoryBytes, 64L << 20);
      timeMs = positive("limits.timeMs", timeMs, 5_000);
      cpuMs = positive("limits.cpuMs", cpuMs, 5_000);
      if (instructions < 0) {
        throw new IllegalArgumentException("limits.instructions must not be negative");
      }
      bodyBytes = positive("limits.bodyBytes", bodyBytes, 1L << 20);
    }

    /** {@link #timeMs} as a duration. */
    public Duration time() {
      return Duration.ofMillis(timeMs);
    }
  }

  /**
   * A wallet's token bucket.
   *
   * @param perSecond requests per second, on average; default 10
   * @param burst requests at once after a quiet spell; default 20
   */
  public record Rate(double perSecond, int burst) {
    public Rate {
      if (perSecond < 0 || Double.isNaN(perSecond) || Double.isInfinite(perSecond)) {
        throw new IllegalArgumentException("rateLimit.perSecond must be a positive number");
      }
      perSecond = perSecond == 0 ? 10 : perSecond;
      burst = positive("rateLimit.burst", burst, 20);
    }
  }

  /**
   * The unit pool's sizes ({@link dev.cu.pool.UnitPool.Builder}).
   *
   * @param maxLiveUnits default 1,000
   * @param threads default: the processors
   * @param queueCapacity default 10,000
   */
  public record Pool(int maxLiveUnits, int threads, int queueCapacity) {
    public Pool {
      threads = positive("pool.threads", threads, Runtime.getRuntime().availableProcessors());
      maxLiveUnits = Math.max(positive("pool.maxLiveUnits", maxLiveUnits, 1_000), threads);
      queueCapacity = positive("pool.queueCapacity", queueCapacity, 10_000);
    }
  }
}
