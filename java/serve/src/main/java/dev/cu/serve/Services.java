package dev.cu.serve;

import dev.cu.ComputeUnit;
import dev.cu.pool.UnitPool;
import dev.cu.pool.UnitPoolMetrics;
import dev.cu.store.LmdbOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/** What the server opens on its state folder, closed together. */
final class Services implements AutoCloseable {
  final UnitPool pool;
  final NonceStore nonces;
  final AuditLog audit;
  final Gate gate;
  final PrometheusMeterRegistry registry;
  private final Relay relay;
  private final Duration time;
  private boolean closed;

  private Services(
      UnitPool pool, NonceStore nonces, AuditLog audit, Gate gate, Relay relay, Duration time) {
    this.pool = pool;
    this.relay = relay;
    this.time = time;
    this.nonces = nonces;
    this.audit = audit;
    this.gate = gate;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new UnitPoolMetrics(pool).bindTo(registry);
  }

  static Services open(Path state, ServeConfig config, MasterKey.Provider vaultKey)
      throws IOException {
    Relay relay = new Relay(config.upstreams(), secrets(state, config, vaultKey));
    NonceStore nonces = null;
    AuditLog audit = null;
    try {
      nonces = NonceStore.open(StateLayout.nonces(state));
      audit = AuditLog.open(StateLayout.audit(state));
      ServeConfig.Limits l = config.limits();
      UnitPool pool =
          UnitPool.builder()
              .storage(StateLayout.units(state))
              .storageOptions(LmdbOptions.defaults())
              .maxLiveUnits(config.pool().maxLiveUnits())
              .threads(config.pool().threads())
              .queueCapacity(config.pool().queueCapacity())
              .unit(
                  b -> {
                    b.memoryLimit(l.memoryBytes())
                        .timeLimit(l.time())
                        .cpuTimeLimit(Duration.ofMillis(l.cpuMs()));
                    if (l.instructions() > 0) {
                      b.instructionLimit(l.instructions());
                    }
                    relay.install(b);
                  })
              .build();
      RateLimiter rate =
          new RateLimiter(
              config.rateLimit().perSecond(), config.rateLimit().burst(), System::nanoTime);
      Gate gate =
          new Gate(
              config,
              new RequestSigning(config.domain().signing()),
              nonces,
              rate,
              () -> System.currentTimeMillis() / 1000);
      return new Services(pool, nonces, audit, gate, relay, l.time());
    } catch (IOException | RuntimeException e) {
      relay.close();
      if (nonces != null) {
        nonces.close();
      }
      if (audit != null) {
        audit.close();
      }
      throw e;
    }
  }

  /** {@code work} with the relay told which wallet's request runs. */
  Function<ComputeUnit, Map<String, Object>> relayed(
      String wallet, Function<ComputeUnit, Map<String, Object>> work) {
    return unit -> relay.as(wallet, Instant.now().plus(time), () -> work.apply(unit));
  }

  /**
   * The relay's secrets: the vault's, opened now so that a wrong key stops the start; none
   * when no upstream is configured (then no key is needed).
   */
  private static Function<String, byte[]> secrets(
      Path state, ServeConfig config, MasterKey.Provider vaultKey) throws IOException {
    if (config.upstreams().isEmpty()) {
      return name -> null;
    }
    if (vaultKey == null) {
      throw new IllegalArgumentException(
          "the configuration has upstreams: the vault's master key is needed");
    }
    Vault vault = Vault.open(StateLayout.vault(state), vaultKey.key());
    return vault::get;
  }

  String scrape() {
    return registry.scrape();
  }

  void audit(String wallet, String key, String endpoint, String outcome, int status, long t0) {
    try {
      audit.append(
          new AuditLog.Entry(
              java.time.Instant.now(),
              wallet,
              key,
              endpoint,
              outcome,
              status,
              (System.nanoTime() - t0) / 1000));
    } catch (IOException e) {
      // the request has run: answer it, and count the entry that could not be written
      registry.counter("cu.serve.audit.failures").increment();
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      pool.close();
      relay.close();
    } finally {
      try {
        nonces.close();
      } finally {
        try {
          audit.close();
        } catch (IOException e) {
          // the log's lines were each written whole; nothing is lost by a failed close
        }
        registry.close();
      }
    }
  }
}
