package dev.cu.pool;

import dev.cu.ComputeUnit;
import dev.cu.LuaException;
import dev.cu.pool.KeySlot.Live;
import dev.cu.pool.LiveUnits.Claim;
import dev.cu.pool.LiveUnits.Victim;
import dev.cu.store.LmdbEnvironment;
import dev.cu.store.LmdbTableStore;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The units of a pool's keys: made on a key's turn when it has none, lent to its requests,
 * evicted least recently used first, closed with their namespace's store.
 */
final class PoolUnits {
  private final PoolSettings settings;
  private final LmdbEnvironment env;
  private final PoolCounters counters;
  private final Consumer<KeySlot> retire;
  private final BooleanSupplier cancelled;
  final LiveUnits live;

  PoolUnits(
      PoolSettings settings,
      LmdbEnvironment env,
      PoolCounters counters,
      Consumer<KeySlot> retire,
      BooleanSupplier cancelled) {
    this.settings = settings;
    this.env = env;
    this.counters = counters;
    this.retire = retire;
    this.cancelled = cancelled;
    this.live = new LiveUnits(settings.maxLiveUnits);
  }

  /**
   * Runs {@code body} with the key's unit, made when it is not live. A failure other than a Lua
   * error closes the unit: the next request makes it again from the stored state.
   */
  Object with(KeySlot s, Function<Live, Object> body) throws Exception {
    Live l = claim(s);
    boolean keep = false;
    try {
      if (cancelled.getAsBoolean()) { // the pool closed now while the unit was being made
        keep = true;
        throw new CancellationException("the unit pool was closed");
      }
      Object v = body.apply(l);
      keep = true;
      return v;
    } catch (LuaException e) {
      keep = true;
      throw e;
    } finally {
      if (keep) {
        closeVictims(live.release(s));
      } else {
        live.remove(s);
        close(l);
      }
    }
  }

  /**
   * Closes the key's unit, or waits for the close of its evicted one: afterwards no store of
   * the key's namespace is open in the pool.
   */
  void release(KeySlot s) throws Exception {
    Live l = live.remove(s);
    if (l != null) {
      close(l);
      return;
    }
    CompletableFuture<Void> closing = live.closing(s);
    if (closing != null) {
      closing.get();
    }
  }

  private Live claim(KeySlot s) throws Exception {
    Claim c = live.acquire(s);
    if (c.live() != null) {
      return c.live();
    }
    Live made = null;
    try {
      closeVictims(c.victims());
      if (c.waitFor() != null) {
        c.waitFor().get();
      }
      made = open(s);
      return made;
    } finally {
      if (made != null) {
        live.created(s, made);
      } else {
        live.failed();
      }
    }
  }

  private Live open(KeySlot s) {
    LmdbTableStore store = env.store(s.namespace, settings.lockTimeout);
    try {
      PoolKeys.label(env, store, s.key);
      ComputeUnit.Builder b = ComputeUnit.builder();
      settings.unit.accept(b);
      ComputeUnit unit = b.tableStore(store).build();
      counters.created.increment();
      return new Live(unit, store);
    } catch (RuntimeException | Error e) {
      store.close();
      throw e;
    }
  }

  /**
   * Closes evicted units. A failure to close one is reported to the thread's uncaught-exception
   * handler, not to the request that needed the room: the other victims are still closed, and
   * their keys' next units still find their closes done.
   */
  private void closeVictims(List<Victim> victims) {
    for (Victim v : victims) {
      try {
        close(v.live());
        counters.evicted.increment();
      } catch (RuntimeException | Error e) {
        PoolThreads.report(e);
      } finally {
        v.closed().complete(null);
        retire.accept(v.slot());
      }
    }
  }

  /** Interrupts the units running a request now. */
  void interruptBusy(List<KeySlot> slots) {
    for (Live l : live.busy(slots)) {
      try {
        l.unit().interrupt();
      } catch (IllegalStateException e) {
        // built with interruptible(false): it runs to its end
      }
    }
  }

  /** Closes every unit (the pool's threads have stopped). */
  void closeAll(List<KeySlot> slots) {
    RuntimeException first = null;
    for (Live l : live.takeAll(slots)) {
      try {
        close(l);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  static void close(Live l) {
    try {
      l.unit().close();
    } finally {
      l.store().close();
    }
  }
}
