package dev.cu.store;

import dev.cu.internal.LmdbByteArrays;
import dev.cu.internal.LmdbNative;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;

/**
 * One LMDB environment (a directory holding {@code data.mdb}, {@code lock.mdb}, {@code locks/}
 * and usually {@code hmac.key}) shared by the {@link LmdbTableStore}s of its namespaces.
 * Thread-safe: reads from any number of threads run in parallel (read transactions use {@code
 * MDB_NOTLS}, so a reader slot belongs to a transaction, not to a thread, and thread pools
 * cannot exhaust them); writes are serialized. A write that fills the map doubles the map size
 * and runs again, so callers never see {@code MDB_MAP_FULL}. Values cross into Java as copied
 * byte arrays (through {@link LmdbByteArrays}, which passes keys and values to LMDB in native
 * buffers each thread reuses), so no {@code --add-opens} is needed. LMDB's native
 * library is loaded from cu's cache folder ({@link LmdbNative}).
 *
 * <p>A directory may be open once per JVM; several processes may open it at once. LMDB
 * serializes their write transactions, and each namespace is held by one open store at a time
 * across all of them (a lock file per namespace, see {@link #store(String, Duration)}). The
 * layout and the model are described in docs/STORAGE.md.
 *
 * <p>This class opens and configures the environment and runs its transactions; which
 * namespaces are open in this JVM, and the waiting for them, is kept by {@link OpenNamespaces}.
 */
public final class LmdbEnvironment implements AutoCloseable {
  /** The layout version written to, and expected in, the meta DBI (2: with table manifests). */
  static final int LAYOUT_VERSION = 2;

  static final String DATA_FILE = "data.mdb";
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

  static {
    LmdbNative.prepare(); // before any lmdbjava class loads LMDB
  }

  private final Path dir;
  private final LmdbOptions options;
  private final Env<byte[]> env;
  final Dbi<byte[]> rows;
  final Dbi<byte[]> meta;
  final RowCodec codec;

  /** Held shared by every transaction, exclusively by a map resize. */
  private final ReentrantReadWriteLock mapLock = new ReentrantReadWriteLock();

  private final ReentrantLock writer = new ReentrantLock();

  /** The namespaces open in this JVM, with their cross-process locks. */
  private final OpenNamespaces namespaces;

  private volatile boolean closed;
  private volatile int resizes;

  private LmdbEnvironment(Path dir, LmdbOptions options, Env<byte[]> env, byte[] key) {
    this.dir = dir;
    this.options = options;
    this.env = env;
    this.rows = env.openDbi("rows", DbiFlags.MDB_CREATE);
    this.meta = env.openDbi("meta", DbiFlags.MDB_CREATE);
    this.codec = new RowCodec(key, options.compressionThreshold());
    this.namespaces = new OpenNamespaces(dir, this::checkOpen);
  }

  /**
   * Opens (creating if needed) the environment in {@code dir}.
   *
   * @throws CuStateException when the structure of {@code data.mdb} is damaged (a page, a page
   *     number, a DB record, the order of the keys); nothing is changed then
   * @throws CuStoreException when the directory cannot be used, is already open in this JVM,
   *     holds a different layout version, or its key file is unreadable or not 32 bytes
   */
  public static LmdbEnvironment open(Path dir, LmdbOptions options) {
    if (options == null) {
      options = LmdbOptions.defaults();
    }
    Path real;
    try {
      Files.createDirectories(dir);
      real = dir.toRealPath();
    } catch (IOException e) {
      throw new CuStoreException("cannot use the store directory " + dir + ": " + e, e);
    }
    if (!OPEN.add(real)) {
      throw new CuStoreException("the store directory " + real + " is already open in this JVM");
    }
    Env<byte[]> env = null;
    try {
      checkFile(real);
      byte[] key = HmacKeys.resolve(options, real);
      EnvFlags[] flags =
          options.durability() == LmdbOptions.Durability.NO_SYNC
              ? new EnvFlags[] {EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOSYNC}
              : new EnvFlags[] {EnvFlags.MDB_NOTLS};
      env =
          Env.create(LmdbByteArrays.PROXY)
              .setMapSize(options.mapSize())
              .setMaxDbs(2)
              .setMaxReaders(options.maxReaders())
              .open(real.toFile(), 0600, flags);
      env.readerCheck(); // free the reader slots of processes that died holding one
      LmdbEnvironment e = new LmdbEnvironment(real, options, env, key);
      e.checkVersion();
      return e;
    } catch (LmdbException e) {
      if (env != null) {
        env.close();
      }
      OPEN.remove(real);
      throw new CuStoreException("cannot open the LMDB environment in " + real + ": " + e, e);
    } catch (RuntimeException e) {
      if (env != null) {
        env.close();
      }
      OPEN.remove(real);
      throw e;
    }
  }

  /**
   * Refuses a {@code data.mdb} whose structure or keys are damaged before LMDB maps it
   * ({@link LmdbFileCheck}; LMDB would crash or answer wrongly on such pages).
   */
  private static void checkFile(Path dir) {
    Path data = dir.resolve(DATA_FILE);
    LmdbFileCheck.Result r = LmdbFileCheck.check(data, false);
    if (!r.ok()) {
      int more = r.problems().size() - 1;
      throw new CuStateException(
          "damaged LMDB file "
              + data
              + ": "
              + r.problems().get(0)
              + (more > 0 ? " (and " + more + " more problem" + (more > 1 ? "s" : "") + ")" : "")
              + "; nothing was changed");
    }
  }

  private void checkVersion() {
    int v =
        write(
            txn -> {
              int have = Meta.getInt(meta, txn, Meta.VERSION, -1);
              if (have == -1 || have == 1) {
                if (have == 1) {
                  Manifest.buildAll(rows, meta, txn); // version 1 had no table manifests
                }
                Meta.putInt(meta, txn, Meta.VERSION, LAYOUT_VERSION);
                return LAYOUT_VERSION;
              }
              return have;
            });
    if (v != LAYOUT_VERSION) {
      throw new CuStoreException(
          "the store in "
              + dir
              + " has layout version "
              + v
              + "; this cu reads version "
              + LAYOUT_VERSION);
    }
  }

  /**
   * The store of namespace {@code namespace} (created empty on first use), waiting up to the
   * options' {@link LmdbOptions#lockTimeout()} while another store holds the namespace; see
   * {@link #store(String, Duration)}.
   */
  public LmdbTableStore store(String namespace) {
    return store(namespace, options.lockTimeout());
  }

  /**
   * The store of namespace {@code namespace} (created empty on first use). Namespaces are fully
   * independent. A namespace is held by one open store at a time, across processes: the store
   * holds the namespace's lock file ({@code locks/<namespace>.lock}) until it is closed, and
   * another opener, in this process or another, waits up to {@code timeout} for it.
   *
   * @throws IllegalArgumentException unless the name is 1-128 characters of
   *     {@code [A-Za-z0-9._:-]}, or when the timeout is negative
   * @throws CuLockTimeoutException when the namespace is still held after {@code timeout},
   *     naming the holder
   * @throws CuStoreException when the environment is closed or LMDB fails
   */
  public LmdbTableStore store(String namespace, Duration timeout) {
    if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          "a namespace is 1-128 characters of [A-Za-z0-9._:-]: " + namespace);
    }
    LmdbOptions.checkLockTimeout(timeout);
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    namespaces.claim(namespace, start, deadline);
    NamespaceLock lock = null;
    try {
      lock =
          NamespaceLock.acquire(
              dir, namespace, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      namespaces.hold(namespace, lock);
      int number = write(txn -> Meta.namespaceNumber(meta, txn, namespace, true));
      return new LmdbTableStore(this, namespace, number);
    } catch (RuntimeException e) {
      if (lock != null) {
        lock.close();
      }
      release(namespace);
      throw e;
    }
  }

  /**
   * The names of the namespaces that exist in the environment (were ever opened and not
   * dropped), sorted by their UTF-8 bytes; snapshots are not listed.
   *
   * @throws CuStoreException when the environment fails or is closed
   */
  public List<String> namespaces() {
    return read(
        txn -> {
          List<String> names = new ArrayList<>();
          Meta.scan(
              meta,
              txn,
              new byte[] {'N'},
              (suffix, payload) -> {
                String name = new String(suffix, StandardCharsets.UTF_8);
                if (name.indexOf('@') < 0) { // "ns@snapshot" names a snapshot's rows
                  names.add(name);
                }
              });
          return names;
        });
  }

  /**
   * Whether namespace {@code namespace} exists: it was opened and not dropped.
   *
   * @throws CuStoreException when the environment fails or is closed
   */
  public boolean hasNamespace(String namespace) {
    return read(txn -> Meta.namespaceNumber(meta, txn, namespace, false) != -1);
  }

  /**
   * The label set on namespace {@code namespace} ({@link LmdbTableStore#setLabel}), or null
   * when the namespace does not exist or has none.
   *
   * @throws CuStoreException when the environment fails or is closed
   */
  public String label(String namespace) {
    return read(
        txn -> {
          int n = Meta.namespaceNumber(meta, txn, namespace, false);
          if (n == -1) {
            return null;
          }
          byte[] v = Meta.get(meta, txn, Meta.nsKey(n, Meta.LABEL));
          return v == null ? null : new String(v, StandardCharsets.UTF_8);
        });
  }

  /**
   * Releases {@code namespace}: its lock file, then its mark in this JVM ({@link
   * OpenNamespaces#release}).
   */
  void release(String namespace) {
    namespaces.release(namespace);
  }

  /** The directory of the environment. */
  public Path directory() {
    return dir;
  }

  /** The options it was opened with. */
  public LmdbOptions options() {
    return options;
  }

  /** The current LMDB map size in bytes (grows as needed). */
  public long mapSize() {
    return read(txn -> env.info().mapSize);
  }

  /** How many times this environment doubled its map since it was opened. */
  public int resizes() {
    return resizes;
  }

  /**
   * Runs {@code body} in a read transaction; when another process grew the map beyond this
   * process's, adopts the new size and runs it again.
   */
  <R> R read(Function<Txn<byte[]>, R> body) {
    for (int adopted = 0; ; adopted++) {
      mapLock.readLock().lock();
      try {
        checkOpen();
        try (Txn<byte[]> txn = env.txnRead()) {
          return body.apply(txn);
        }
      } catch (Dbi.MapResizedException e) {
        // adopt below, outside the shared lock
      } catch (LmdbException e) {
        throw new CuStoreException("LMDB read failed in " + dir + ": " + e, e);
      } finally {
        mapLock.readLock().unlock();
      }
      adoptMapSize(adopted);
    }
  }

  /**
   * Runs {@code body} in one write transaction and commits it; when the map is full the
   * transaction is aborted, the map doubled and {@code body} run again; when another process
   * grew the map, this process adopts its size and runs {@code body} again. An exception from
   * {@code body} aborts the transaction: nothing of it is applied.
   */
  <R> R write(Function<Txn<byte[]>, R> body) {
    writer.lock();
    try {
      for (int adopted = 0; ; ) {
        boolean adopt = false;
        mapLock.readLock().lock();
        try {
          checkOpen();
          try (Txn<byte[]> txn = env.txnWrite()) {
            R r = body.apply(txn);
            txn.commit();
            return r;
          }
        } catch (Env.MapFullException e) {
          // aborted by the try-with-resources; grow below, outside the shared lock
        } catch (Dbi.MapResizedException e) {
          adopt = true;
        } catch (LmdbException e) {
          throw new CuStoreException("LMDB write failed in " + dir + ": " + e, e);
        } finally {
          mapLock.readLock().unlock();
        }
        if (adopt) {
          adoptMapSize(adopted++);
        } else {
          grow();
        }
      }
    } finally {
      writer.unlock();
    }
  }

  private void grow() {
    mapLock.writeLock().lock();
    try {
      checkOpen();
      long size = env.info().mapSize;
      if (size > Long.MAX_VALUE / 2) {
        throw new CuStoreException("the LMDB map cannot grow beyond " + size + " bytes");
      }
      env.setMapSize(size * 2);
      resizes++;
    } catch (LmdbException e) {
      throw new CuStoreException("cannot grow the LMDB map in " + dir + ": " + e, e);
    } finally {
      mapLock.writeLock().unlock();
    }
  }

  /**
   * Takes the map size another process set ({@code mdb_env_set_mapsize(0)}, which covers at
   * least the pages in use); {@code adopted} is how often this transaction did so already.
   */
  private void adoptMapSize(int adopted) {
    mapLock.writeLock().lock();
    try {
      checkOpen();
      if (adopted >= 3) {
        throw new CuStoreException(
            "the LMDB map in " + dir + " keeps being resized by another" + " process");
      }
      env.setMapSize(0);
    } catch (LmdbException e) {
      throw new CuStoreException("cannot adopt the LMDB map size in " + dir + ": " + e, e);
    } finally {
      mapLock.writeLock().unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new CuStoreException("the LMDB environment in " + dir + " is closed");
    }
  }

  /**
   * Closes the environment after running transactions end (with {@code NO_SYNC}, flushing it to
   * disk first). Stores of it fail afterwards, and their namespaces are released. Idempotent.
   */
  @Override
  public void close() {
    mapLock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      namespaces.releaseAll();
      try {
        if (options.durability() == LmdbOptions.Durability.NO_SYNC) {
          env.sync(true); // a clean close is durable in either mode
        }
      } catch (LmdbException e) {
        throw new CuStoreException("cannot flush the LMDB environment in " + dir + ": " + e, e);
      } finally {
        env.close();
      }
    } finally {
      mapLock.writeLock().unlock();
      OPEN.remove(dir);
    }
  }
}
