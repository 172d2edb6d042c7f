package dev.cu;

import dev.cu.store.CuStoreException;
import dev.cu.store.LmdbEnvironment;
import dev.cu.store.LmdbOptions;
import dev.cu.store.LmdbTableStore;
import dev.cu.store.OverlayTableStore;
import dev.cu.store.TableStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The persistent state of one unit: a namespace of an LMDB environment, with each compute's
 * changes written durably (autoCommit), or through an in-memory overlay flushed by {@code
 * saveState}. Environments are shared by all units of this JVM that use the same folder; the
 * namespace is held (across processes, see {@link LmdbEnvironment#store(String, Duration)})
 * until {@link #close()}.
 */
final class Storage implements AutoCloseable {
  private static final Map<Path, Shared> ENVIRONMENTS = new HashMap<>();

  private static final class Shared {
    final LmdbEnvironment env;
    int users;

    Shared(LmdbEnvironment env) {
      this.env = env;
    }
  }

  private final Path key;
  private final Shared shared;
  private final LmdbTableStore lmdb;
  private final OverlayTableStore overlay;
  private boolean closed;

  private Storage(Path key, Shared shared, LmdbTableStore lmdb, boolean autoCommit) {
    this.key = key;
    this.shared = shared;
    this.lmdb = lmdb;
    this.overlay = autoCommit ? null : new OverlayTableStore(lmdb);
  }

  /**
   * Opens namespace {@code namespace} in {@code dir}, waiting up to {@code lockTimeout} while
   * another store holds it; {@code restore} false empties it first (its named states are kept).
   * On failure nothing stays open.
   *
   * @throws dev.cu.store.CuLockTimeoutException when the namespace stays held
   * @throws CuStoreException when the folder cannot be used, or is open in this JVM with
   *     another HMAC key
   */
  static Storage open(
      Path dir,
      String namespace,
      LmdbOptions options,
      boolean autoCommit,
      boolean restore,
      Duration lockTimeout) {
    Path key = dir.toAbsolutePath().normalize();
    Shared shared;
    synchronized (ENVIRONMENTS) {
      shared = ENVIRONMENTS.get(key);
      if (shared == null) {
        shared = new Shared(LmdbEnvironment.open(dir, options));
        ENVIRONMENTS.put(key, shared);
      } else if (!sameKey(shared.env.options(), options)) {
        throw new CuStoreException(
            "the storage folder "
                + key
                + " is already open in this JVM with another HMAC key setting");
      }
      shared.users++;
    }
    LmdbTableStore store = null;
    try {
      store = shared.env.store(namespace, lockTimeout);
      if (!restore) {
        store.clear();
      }
      return new Storage(key, shared, store, autoCommit);
    } catch (RuntimeException e) {
      if (store != null) {
        store.close();
      }
      release(key, shared);
      throw e;
    }
  }

  private static boolean sameKey(LmdbOptions a, LmdbOptions b) {
    return Arrays.equals(a.hmacKey(), b.hmacKey())
        && Objects.equals(a.hmacKeyFile(), b.hmacKeyFile());
  }

  TableStore tableStore() {
    return overlay != null ? overlay : lmdb;
  }

  /**
   * Writes pending changes in one transaction (nothing to do with autoCommit); returns the ids
   * of the tables the store removed as unreachable.
   */
  long[] save() {
    return overlay != null ? overlay.flush() : new long[0];
  }

  long[] save(String name) {
    long[] removed = save();
    lmdb.saveSnapshot(name);
    return removed;
  }

  /** Drops pending changes: the store is back at the last saved state. */
  void load() {
    if (overlay != null) {
      overlay.discard();
    }
  }

  void load(String name) {
    load();
    lmdb.loadSnapshot(name);
  }

  List<String> list() {
    return lmdb.listSnapshots();
  }

  boolean delete(String name) {
    return lmdb.deleteSnapshot(name);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      lmdb.close();
    } finally {
      release(key, shared);
    }
  }

  private static void release(Path key, Shared shared) {
    synchronized (ENVIRONMENTS) {
      if (--shared.users == 0) {
        ENVIRONMENTS.remove(key);
        shared.env.close();
      }
    }
  }
}
