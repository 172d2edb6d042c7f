package dev.cu.pool;

import dev.cu.ComputeUnit;
import dev.cu.pool.KeySlot.Request;
import dev.cu.pool.KeySlot.Work;
import dev.cu.store.LmdbEnvironment;
import dev.cu.store.LmdbOptions;
import dev.cu.store.LmdbTableStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Units for many keys on one machine: one {@link ComputeUnit} per key (a tenant, a user, a
 * document), each with its own {@code _home} in one namespace of one LMDB environment, far more
 * keys than live Lua states. See docs/SCALE.md.
 *
 * <ul>
 *   <li>A key's requests run one at a time, in arrival order; different keys run in parallel on
 *       the pool's threads.
 *   <li>A unit stays live while used. When a new one would pass {@code maxLiveUnits}, the least
 *       recently used idle unit is closed; every successful request has committed its changes, so
 *       its key's next request makes a new unit whose {@code _home} loads rows on demand.
 *   <li>At most {@code queueCapacity} requests are accepted and not finished; past that a request
 *       is refused with {@link PoolBusyException}, at once or after {@code queueTimeout}.
 *   <li>A failing request fails only its own future. A unit whose request failed with anything
 *       but a Lua error ({@link dev.cu.LuaException}) is closed, and the key's next request makes a new
 *       one from its stored state.
 * </ul>
 *
 * <p>Thread-safe. Build one with {@link #builder()}; close it to finish or cancel its work and
 * release the environment.
 */
public final class UnitPool implements AutoCloseable {
  private final PoolSettings settings;
  private final LmdbEnvironment env;
  private final ExecutorService executor;
  private final ConcurrentHashMap<String, KeySlot> slots = new ConcurrentHashMap<>();
  private final PoolUnits units;
  final PoolCounters counters;
  private final Admission admission;

  /** Set by {@link #closeNow()}: requests not started are cancelled instead of run. */
  private volatile boolean cancelling;

  UnitPool(PoolSettings settings, LmdbEnvironment env) {
    this.settings = settings;
    this.env = env;
    this.counters = new PoolCounters();
    this.units = new PoolUnits(settings, env, counters, this::idle, () -> cancelling);
    this.admission = new Admission(settings.queueCapacity, settings.queueTimeout, counters);
    this.executor = PoolThreads.executor(settings.threads, this);
  }

  /** Settings of a new pool. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs {@code code} in the unit of {@code key} after the key's earlier requests; the future
   * completes with its value (as {@link ComputeUnit#compute}) or the exception it raised.
   *
   * @throws IllegalArgumentException when the key is not a non-empty, well-formed string
   * @throws PoolBusyException when the queue stays full
   * @throws IllegalStateException when the pool is closed or closing
   */
  public CompletableFuture<Object> submit(String key, String code) {
    return enqueue(key, s -> units.with(s, l -> l.unit().compute(code)));
  }

  /**
   * Calls the global function {@code function} of the unit of {@code key} with {@code args},
   * after the key's earlier requests; the future completes as {@link ComputeUnit#call} returns or
   * throws.
   *
   * @throws IllegalArgumentException when the key is not a non-empty, well-formed string
   * @throws PoolBusyException when the queue stays full
   * @throws IllegalStateException when the pool is closed or closing
   */
  public CompletableFuture<Object> call(String key, String function, Object... args) {
    Object[] copy = args.clone();
    return enqueue(key, s -> units.with(s, l -> l.unit().call(function, copy)));
  }

  /**
   * Runs {@code work} with the unit of {@code key} after the key's earlier requests, as {@link
   * #submit} runs code: for what one call of {@code submit} or {@link #call} cannot do, such as
   * setting the input, running a chunk and reading all its values, its printed output and its
   * {@code _io} output as one request. The unit belongs to the pool: {@code work} must not keep
   * it, close it or hand it to another thread. The future completes with what {@code work}
   * returns or the exception it threw; as with {@code submit}, a failure other than a {@link
   * dev.cu.LuaException} closes the unit and the key's next request makes a new one.
   *
   * @throws IllegalArgumentException when the key is not a non-empty, well-formed string
   * @throws PoolBusyException when the queue stays full
   * @throws IllegalStateException when the pool is closed or closing
   */
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> apply(String key, Function<ComputeUnit, T> work) {
    Objects.requireNonNull(work, "work");
    CompletableFuture<?> f = enqueue(key, s -> units.with(s, l -> work.apply(l.unit())));
    return (CompletableFuture<T>) f;
  }

  /**
   * {@link #submit} and waits for the value.
   *
   * @throws dev.cu.LuaException as the code raised it
   * @throws CancellationException when {@link #closeNow()} cancelled it
   * @throws PoolBusyException when the queue stays full
   * @throws IllegalStateException when the pool is closed, the thread was interrupted while
   *     waiting (its interrupt flag is set again; the request still runs), or it is one of the
   *     pool's own threads (a host function, a future's callback), which must not wait for it
   */
  public Object compute(String key, String code) {
    PoolThreads.refuseOwnThread(this, "compute");
    return await(submit(key, code));
  }

  /**
   * The keys that have state: requested at least once and not deleted, of this pool or an
   * earlier one on the same folder, sorted.
   *
   * @throws dev.cu.store.CuStoreException when the storage fails
   */
  public List<String> keys() {
    return PoolKeys.keys(env);
  }

  /**
   * Deletes the state of {@code key} (its {@code _home}, its snapshots) after its earlier
   * requests, closing its unit; waits for it. A later request starts the key empty.
   *
   * @return whether the key had state
   * @throws dev.cu.store.CuStoreException when the storage fails
   * @throws IllegalStateException on one of the pool's own threads, which must not wait for it
   */
  public boolean delete(String key) {
    PoolThreads.refuseOwnThread(this, "delete");
    return (Boolean)
        await(
            enqueue(
                key,
                s -> {
                  units.release(s);
                  return PoolKeys.delete(env, key, settings.lockTimeout);
                }));
  }

  /**
   * Saves the state of {@code key} as its named snapshot {@code name} (replacing one of that
   * name) after its earlier requests; waits for it. Names are 1-64 characters of {@code
   * [A-Za-z0-9._-]}.
   *
   * @throws IllegalArgumentException when the name is not valid
   * @throws dev.cu.store.CuStoreException when the storage fails
   * @throws IllegalStateException on one of the pool's own threads, which must not wait for it
   */
  public void snapshot(String key, String name) {
    LmdbTableStore.checkSnapshotName(name);
    PoolThreads.refuseOwnThread(this, "snapshot");
    await(
        enqueue(
            key,
            s ->
                units.with(
                    s,
                    l -> {
                      l.store().saveSnapshot(name);
                      return null;
                    })));
  }

  /** Live units now, with those being made. */
  public int liveUnits() {
    return units.live.count();
  }

  /** Requests accepted and not started. */
  public int queuedRequests() {
    return admission.queued();
  }

  /** Units made since the pool was built. */
  public long unitsCreated() {
    return counters.created.sum();
  }

  /** Units closed to make room since the pool was built. */
  public long unitsEvicted() {
    return counters.evicted.sum();
  }

  /** Requests that completed with a value. */
  public long completed() {
    return counters.completed.sum();
  }

  /** Requests of {@code kind} that failed, or were refused. */
  public long failures(FailureKind kind) {
    return counters.failures(kind);
  }

  /** The storage folder. */
  public Path storage() {
    return env.directory();
  }

  /**
   * Stops accepting requests, waits for every accepted one to finish, then closes the units and
   * the environment. Idempotent; while another thread closes the pool, waits for it.
   *
   * @throws IllegalStateException on one of the pool's own threads, which must not wait for it
   */
  @Override
  public void close() {
    shutdown(false);
  }

  /**
   * Stops accepting requests, cancels those not started (their futures fail with {@link
   * CancellationException}), interrupts the running ones until they end, then closes the units
   * and the environment. Idempotent; also hurries a {@link #close()} in progress on another
   * thread, and waits for it.
   *
   * @throws IllegalStateException on one of the pool's own threads, which must not wait for it
   */
  public void closeNow() {
    shutdown(true);
  }

  private void shutdown(boolean cancel) {
    PoolThreads.refuseOwnThread(this, cancel ? "closeNow" : "close");
    if (cancel) {
      cancelling = true;
    }
    boolean mine = admission.close();
    if (cancel) {
      cancelQueued();
    }
    if (!mine) {
      admission.awaitClosed();
      return;
    }
    try {
      admission.awaitIdle(
          () -> {
            if (cancelling) { // again and again: a request may start after an interrupt
              units.interruptBusy(new ArrayList<>(slots.values()));
            }
          });
      executor.shutdown();
      awaitTermination();
      units.closeAll(new ArrayList<>(slots.values()));
    } finally {
      try {
        env.close();
      } finally {
        admission.closed();
      }
    }
  }

  /** Cancels every queued request and interrupts the running ones. */
  private void cancelQueued() {
    List<KeySlot> all = new ArrayList<>(slots.values());
    for (KeySlot s : all) {
      for (Request r : s.drain()) {
        counters.failed(FailureKind.CANCELLED);
        admission.finished(true);
        r.future().cancel(false);
      }
    }
    units.interruptBusy(all);
  }

  // ---------------------------------------------------------------- requests

  private CompletableFuture<Object> enqueue(String key, Work work) {
    KeySlot known = slots.get(key); // a key in the map was checked and mapped already
    String ns = known != null ? known.namespace : PoolKeys.namespace(key);
    admission.accept();
    Request r = new Request(work, new CompletableFuture<>(), System.nanoTime());
    while (!slot(key, ns).offer(r)) { // retired between the lookup and the offer: again
      Thread.onSpinWait();
    }
    return r.future();
  }

  /** The key's slot: the one in the map, or a new one in place of none or of a retired one. */
  private KeySlot slot(String key, String ns) {
    KeySlot s = slots.get(key);
    if (s != null && !s.retired()) {
      return s;
    }
    return slots.compute(
        key, (k, old) -> old == null || old.retired() ? new KeySlot(this, k, ns) : old);
  }

  void schedule(KeySlot s) {
    executor.execute(s);
  }

  /**
   * Runs one request of {@code s} on the slot's turn, or cancels it when the pool closes now.
   * Its counters, latency and room are settled before its future completes, so whoever waits on
   * the future sees them; nothing it throws escapes to the slot.
   */
  void execute(KeySlot s, Request r) {
    admission.started();
    Thread.interrupted(); // an interrupt a host function left behind is not the next request's
    CompletableFuture<Object> f = r.future();
    Object value = null;
    Throwable failure = null;
    boolean cancel = false;
    boolean ran = false;
    try {
      if (f.isDone()) { // cancelled by its caller
        return;
      }
      if (cancelling) {
        cancel = true;
        counters.failed(FailureKind.CANCELLED);
        return;
      }
      try {
        value = r.work().run(s);
        counters.completed.increment();
      } catch (Throwable e) {
        failure = e;
        counters.failed(FailureKind.of(e));
      }
      ran = true;
      counters.latency(System.nanoTime() - r.acceptedNanos());
    } catch (RuntimeException | Error e) { // from a metrics sink: the request itself is done
      PoolThreads.report(e);
    } finally {
      admission.finished(false);
      if (cancel) {
        f.cancel(false);
      } else if (ran && failure != null) {
        f.completeExceptionally(failure);
      } else if (ran) {
        f.complete(value);
      }
    }
  }

  /** The slot ran out of requests: it leaves the map when it has no unit either. */
  void idle(KeySlot s) {
    if (units.live.retire(s)) {
      slots.remove(s.key, s);
    }
  }

  private void awaitTermination() {
    boolean interrupted = false;
    while (true) {
      try {
        if (executor.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static Object await(Future<Object> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(c.getMessage(), c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the pool", e);
    }
  }

  /** Settings of a new pool. Every setting but {@link #storage} has a default. */
  public static final class Builder {
    Path storage;
    LmdbOptions storageOptions = LmdbOptions.defaults();
    int maxLiveUnits = 1000;
    int threads = Runtime.getRuntime().availableProcessors();
    Consumer<ComputeUnit.Builder> unit = b -> {};
    int queueCapacity = 10_000;
    Duration queueTimeout = Duration.ZERO;

    Builder() {}

    /**
     * The folder of the pool's LMDB environment (created if needed), one namespace per key (see
     * {@link PoolKeys}). Required. No other pool or unit of this JVM may use the folder while the
     * pool is open.
     */
    public Builder storage(Path dir) {
      this.storage = dir;
      return this;
    }

    /**
     * The environment's options: map size, durability, HMAC key, and the lock timeout a unit
     * waits while another process holds its key's namespace. Default: {@link
     * LmdbOptions#defaults()}.
     */
    public Builder storageOptions(LmdbOptions options) {
      if (options == null) {
        throw new IllegalArgumentException("storageOptions must not be null");
      }
      this.storageOptions = options;
      return this;
    }

    /** How many units may be live at once (at least {@link #threads}). Default 1000. */
    public Builder maxLiveUnits(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxLiveUnits must be >= 1");
      }
      this.maxLiveUnits = n;
      return this;
    }

    /** How many requests run at once, on as many threads. Default: available processors. */
    public Builder threads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("threads must be >= 1");
      }
      this.threads = n;
      return this;
    }

    /**
     * Applied to the builder of every unit the pool makes: limits, host functions, exposed
     * objects, modules. The pool sets each unit's table store itself: {@code storage} and {@code
     * tableStore} are not for this consumer. Default: nothing (a unit's defaults).
     */
    public Builder unit(Consumer<ComputeUnit.Builder> settings) {
      if (settings == null) {
        throw new IllegalArgumentException("unit settings must not be null");
      }
      this.unit = settings;
      return this;
    }

    /** How many requests may be accepted and not finished. Default 10,000. */
    public Builder queueCapacity(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("queueCapacity must be >= 1");
      }
      this.queueCapacity = n;
      return this;
    }

    /**
     * How long a request waits for room in a full queue before {@link PoolBusyException}.
     * Default: zero, refused at once.
     */
    public Builder queueTimeout(Duration wait) {
      if (wait == null || wait.isNegative()) {
        throw new IllegalArgumentException("queueTimeout must be >= 0");
      }
      this.queueTimeout = wait;
      return this;
    }

    /**
     * Opens the environment and starts the pool's threads.
     *
     * @throws IllegalArgumentException when no storage is set or maxLiveUnits is below threads
     * @throws dev.cu.store.CuStoreException when the folder cannot be used or is open in this
     *     JVM already
     * @throws dev.cu.store.CuStateException when its data file is damaged
     */
    public UnitPool build() {
      if (storage == null) {
        throw new IllegalArgumentException("a pool needs storage(dir)");
      }
      if (maxLiveUnits < threads) {
        throw new IllegalArgumentException(
            "maxLiveUnits (" + maxLiveUnits + ") must be >= threads (" + threads + ")");
      }
      return new UnitPool(new PoolSettings(this), LmdbEnvironment.open(storage, storageOptions));
    }
  }
}
