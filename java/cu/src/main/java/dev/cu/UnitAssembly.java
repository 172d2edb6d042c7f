package dev.cu;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.internal.NativeObjects;
import dev.cu.internal.NativeUnit;
import dev.cu.store.InMemoryTableStore;
import dev.cu.store.TableStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The parts of one unit, opened and wired from its settings: the table store (with its storage
 * and namespace, or in memory), the native state with its limits, print sink, store and host
 * upcalls, the root globals, and the chunk cache.
 *
 * <p>Opening is atomic: when any step fails, everything opened so far is closed again, in
 * reverse order, and the original exception propagates with close failures suppressed in it.
 */
final class UnitAssembly {
  final NativeUnit unit;
  final TableStore store;

  /** The unit's storage, or null. */
  final Storage storage;

  /** The in-memory store the unit made and closes, or null. */
  final TableStore ownedStore;

  final long homeId;
  final long ioId;
  final ObjectMapper mapper;
  final boolean interruptible;
  final boolean cycles;
  final Io io;
  final ChunkCache chunks;
  final Snapshots snapshots;
  final HostFunctions hosts;
  final ObjectTable objects;

  /** The exported-object exports of the state. */
  private final NativeObjects nativeObjects;

  final Guard guard;
  final Handles handles;

  private UnitAssembly(
      UnitOptions o,
      NativeUnit unit,
      TableStore store,
      Storage storage,
      TableStore ownedStore,
      long homeId,
      long ioId,
      ObjectMapper mapper,
      Roots roots,
      HostFunctions hosts,
      NativeObjects nativeObjects) {
    this.guard = hosts.handles.guard;
    this.handles = hosts.handles;
    this.unit = unit;
    this.store = store;
    this.storage = storage;
    this.ownedStore = ownedStore;
    this.homeId = homeId;
    this.ioId = ioId;
    this.mapper = mapper;
    this.interruptible = o.interruptible;
    this.cycles = o.cycles;
    this.io = new Io(unit, handles);
    this.chunks = new ChunkCache(unit, o.chunkCacheSize);
    this.snapshots = new Snapshots(storage, unit, store, roots, mapper);
    this.hosts = hosts;
    this.objects = hosts.handles.objects;
    this.nativeObjects = nativeObjects;
  }

  /**
   * Opens the parts of a unit with settings {@code o}; throws what {@link
   * ComputeUnit.Builder#build()} documents, with nothing left open.
   */
  static UnitAssembly open(UnitOptions o) {
    if (!o.interruptible
        && (o.timeLimit != null || o.cpuTimeLimit != null || o.instructionLimit > 0)) {
      throw new IllegalArgumentException(
          "timeLimit, cpuTimeLimit and instructionLimit need interruptible(true)");
    }
    if (o.storageDir != null && o.store != null) {
      throw new IllegalArgumentException("storage(dir) and tableStore(store) exclude each other");
    }
    ObjectMapper mapper = o.mapper != null ? o.mapper : UnitOptions.SHARED_MAPPER;
    Opened opened = new Opened();
    try {
      Storage storage = null;
      TableStore owned = null;
      TableStore store;
      if (o.storageDir != null) {
        Duration lockTimeout =
            o.lockTimeout != null ? o.lockTimeout : o.storageOptions.lockTimeout();
        storage =
            opened.add(
                Storage.open(
                    o.storageDir,
                    o.namespace,
                    o.storageOptions(),
                    o.autoCommit,
                    o.autoRestore,
                    lockTimeout));
        store = storage.tableStore();
      } else if (o.store == null) {
        owned = opened.add(new InMemoryTableStore());
        store = owned;
      } else {
        store = o.store; // the caller's: never closed by the unit
      }
      long homeId = store.root("home");
      long ioId = store.root("io");
      NativeUnit unit = opened.add(NativeUnit.open(o.memoryLimit, o.seed, o.interruptible));
      unit.limit(nanos(o.timeLimit), o.instructionLimit);
      unit.cpuLimit(nanos(o.cpuTimeLimit));
      Consumer<byte[]> sink = printSink(o);
      if (sink != null) {
        unit.printTo(sink);
      }
      unit.connectStore(new StoreBridge(store, mapper), store.nextId());
      Roots roots = new Roots(homeId, o.home, o.memoryAlias);
      roots.bind(unit);
      NativeObjects nativeObjects = new NativeObjects(unit);
      ObjectTable[] table = new ObjectTable[1]; // the connector needs the table it connects
      table[0] = new ObjectTable(mapper, () -> nativeObjects.connect(table[0]));
      ObjectTable objects = table[0];
      HostFunctions hosts =
          new HostFunctions(unit, new Handles(unit, mapper, o.cycles, new Guard(), objects));
      objects.useHandles(hosts.handles);
      o.functions.forEach(hosts::register);
      for (Map.Entry<String, Object> e : o.exposed.entrySet()) {
        nativeObjects.setGlobal(e.getKey(), hosts.handles.encode(e.getValue()));
        objects.pin(e.getValue());
      }
      connectModules(unit, o.modules);
      return new UnitAssembly(
          o, unit, store, storage, owned, homeId, ioId, mapper, roots, hosts, nativeObjects);
    } catch (Throwable failure) {
      opened.closeAfter(failure);
      throw failure;
    }
  }

  /**
   * Lets the table drop the objects Lua collected (after a run, a call or a collection); returns
   * {@code result}. Without objects that could be dropped, nothing is asked of the state.
   */
  <T> T released(T result) {
    if (objects.releasable()) {
      objects.release(nativeObjects.drain());
    }
    return result;
  }

  /** A full garbage collection, then the release of the objects it collected. */
  void gc() {
    unit.gc();
    released(null);
  }

  /** The store's tables: the root ids, how many tables, which ids. */
  MemoryStats memoryStats() {
    long limit = unit.memoryLimit();
    long used = unit.memoryUsed();
    long free = limit == 0 ? Long.MAX_VALUE : Math.max(0, limit - used);
    return new MemoryStats(limit, used, free, unit.memoryPeak());
  }

  TableInfo tableInfo() {
    Set<Long> ids = store.tableIds();
    return new TableInfo(homeId, ioId, ids.size(), ids);
  }

  /** Closes the storage or the in-memory store the unit made (never the caller's store). */
  void closeStore() {
    if (storage != null) {
      storage.close();
    }
    if (ownedStore != null) {
      ownedStore.close();
    }
  }

  private static long nanos(Duration d) {
    return d == null ? 0 : d.toNanos();
  }

  /** Where print() lines go: null keeps them for {@link ComputeResult#output()}. */
  private static Consumer<byte[]> printSink(UnitOptions o) {
    if (o.output != null) {
      Consumer<String> lines = o.output;
      return line -> lines.accept(new String(line, 0, line.length - 1, UTF_8));
    }
    if (o.outputStream != null) {
      OutputStream out = o.outputStream;
      return line -> {
        try {
          out.write(line);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };
    }
    return null;
  }

  /** Connects require to the loader, if any: without one require never calls Java. */
  private static void connectModules(NativeUnit unit, ModuleLoader loader) {
    if (loader == null) {
      return;
    }
    unit.connectModules(
        new NativeUnit.Modules() {
          @Override
          public byte[] find(String name) throws IOException {
            return loader
                .find(name)
                .map(m -> (m.chunkName() + '\0' + m.source()).getBytes(UTF_8))
                .orElse(null);
          }

          @Override
          public String places(String name) {
            return String.join("\n", loader.places(name));
          }
        });
  }

  /** What an opening has opened so far, closed in reverse order when it fails. */
  static final class Opened {
    private final ArrayDeque<AutoCloseable> stack = new ArrayDeque<>();

    /** Records {@code resource} as opened; returns it. */
    <T extends AutoCloseable> T add(T resource) {
      stack.push(resource);
      return resource;
    }

    /**
     * Closes every recorded resource, the last opened first, each even when another fails;
     * their failures are added to {@code failure} as suppressed exceptions.
     */
    void closeAfter(Throwable failure) {
      while (!stack.isEmpty()) {
        try {
          stack.pop().close();
        } catch (Throwable t) {
          if (t != failure) {
            failure.addSuppressed(t);
          }
        }
      }
    }
  }
}
