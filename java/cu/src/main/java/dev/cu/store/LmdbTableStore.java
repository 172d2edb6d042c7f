package dev.cu.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.lmdbjava.Cursor;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * A {@link TableStore} in one namespace of an {@link LmdbEnvironment}, made by
 * {@link LmdbEnvironment#store(String)}. Every row is its own LMDB record, so a table is loaded
 * by one key-range scan and a commit writes only the changed rows, all in one write transaction.
 * Tables no longer reachable from a root are removed by the commit that dropped the last
 * reference to them, by the {@code Reclaimer} every store uses (persisted reference counts, plus
 * a mark-and-sweep from the roots when a dropped reference may leave a garbage cycle).
 *
 * <p>Every row read is verified (CRC32C, and the HMAC of function rows on load), and a loaded
 * table is compared with its manifest (row count and digest); a row or table that fails makes
 * the call throw {@link CuStateException} naming it. Named snapshots copy the namespace
 * inside the environment. Layout and guarantees: docs/STORAGE.md.
 *
 * <p>Like every {@link TableStore} it serves one compute unit at a time; several stores of one
 * environment may be used from different threads at once. The store holds its namespace, across
 * processes, until {@link #close()}; every write that changes the namespace's state also checks
 * that no other writer changed it meanwhile (a generation counter), and fails otherwise.
 */
public final class LmdbTableStore implements TableStore {
  private static final Pattern SNAPSHOT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int MAX_ROOT_NAME = 400;

  private final LmdbEnvironment env;
  private final String namespace;
  private final int ns;
  private final RowCodec codec;
  private final LmdbRows nsRows;
  private final byte[] generationKey;
  private final byte[] nameRecord;

  /** The namespace's generation as of this store's last write (or its opening). */
  private volatile long generation;

  private volatile boolean closed;

  LmdbTableStore(LmdbEnvironment env, String namespace, int ns) {
    this.env = env;
    this.namespace = namespace;
    this.ns = ns;
    this.codec = env.codec;
    this.nsRows = new LmdbRows(env, namespace, ns);
    this.generationKey = Meta.nsKey(ns, Meta.GENERATION);
    this.nameRecord = Meta.nsKey(ns, Meta.NAME);
    this.generation = env.read(txn -> Meta.getLong(env.meta, txn, generationKey, 0));
  }

  /**
   * Inside a write transaction that changes the namespace's state: checks that nobody else
   * changed it since this store's last write, and counts this change. The namespace lock makes
   * a mismatch impossible; the check makes a writer that got around it (its lock file deleted,
   * a file system without working locks) fail instead of overwriting what another committed.
   * Returns the new generation, which the caller records once the transaction committed.
   */
  private long claim(Txn<byte[]> txn) {
    if (Meta.get(env.meta, txn, nameRecord) == null) { // dropped: its generation is gone too
      throw new CuStoreException(
          "namespace "
              + namespace
              + " in "
              + env.directory()
              + " was deleted since this store opened it; nothing was written: open it again");
    }
    long g = Meta.getLong(env.meta, txn, generationKey, 0);
    if (g != generation) {
      throw new CuStoreException(
          "namespace "
              + namespace
              + " in "
              + env.directory()
              + " was changed by another writer since this store last wrote it (generation "
              + g
              + ", expected "
              + generation
              + "); nothing was written: open it again");
    }
    Meta.put(env.meta, txn, generationKey, StoreBytes.u64(g + 1));
    return g + 1;
  }

  /** The namespace's name. */
  public String namespace() {
    return namespace;
  }

  /** The environment the namespace lives in. */
  public LmdbEnvironment environment() {
    return env;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the name is null or longer than 400 UTF-8 bytes
   * @throws CuStoreException when the environment fails or is closed
   */
  @Override
  public long root(String name) {
    if (name == null || name.getBytes(StandardCharsets.UTF_8).length > MAX_ROOT_NAME) {
      throw new IllegalArgumentException(
          "a root name is at most " + MAX_ROOT_NAME + " UTF-8 bytes: " + name);
    }
    checkOpen();
    byte[] key = Meta.nsKey(ns, Meta.ROOT, name);
    long id = env.read(txn -> Meta.getLong(env.meta, txn, key, -1));
    if (id >= 0) {
      return id;
    }
    long[] idAndGeneration =
        env.write(
            txn -> {
              long r = Meta.getLong(env.meta, txn, key, -1);
              if (r >= 0) {
                return new long[] {r, generation};
              }
              long g = claim(txn);
              long n = nsRows.next(txn);
              Meta.put(env.meta, txn, key, StoreBytes.u64(n));
              Meta.put(env.meta, txn, Meta.nsKey(ns, Meta.NEXT), StoreBytes.u64(n + 1));
              return new long[] {n, g};
            });
    generation = idAndGeneration[1];
    return idAndGeneration[0];
  }

  /** {@inheritDoc} Read from the environment: persists across reopening. */
  @Override
  public long nextId() {
    checkOpen();
    return env.read(nsRows::next);
  }

  /**
   * {@inheritDoc} One key-range scan over the table's rows, each verified.
   *
   * @throws CuStateException when a row of the table fails its CRC32C or HMAC or cannot be
   *     decoded, or the rows found differ from the table's manifest (rows lost or keys damaged)
   */
  @Override
  public byte[] load(long id) {
    checkOpen();
    return env.read(
        txn -> {
          List<byte[][]> rows = new ArrayList<>();
          long[] digest = new long[1];
          nsRows.scanRows(
              txn,
              RowCodec.prefix(ns, id),
              (lk, stored) -> {
                RowCodec.Row r = codec.decode(namespace, ns, lk, stored, true);
                rows.add(new byte[][] {r.key(), r.value()});
                digest[0] += Manifest.term(lk, stored);
              });
          Manifest.check(
              namespace, id, rows.size(), digest[0], Manifest.read(env.meta, txn, ns, id));
          return rows.isEmpty() ? null : StoreBytes.map(rows, rows.size());
        });
  }

  /**
   * {@inheritDoc} All changes, the next id and the reclamation happen in one LMDB write
   * transaction.
   *
   * @throws CuStateException when a row that the commit must read (an overwritten row, a row of a
   *     table to reclaim) is corrupt; nothing is applied then
   */
  @Override
  public long[] commit(Delta delta, long nextId) {
    checkOpen();
    long[] g = new long[1];
    long[] removed =
        env.write(
            txn -> {
              g[0] = claim(txn);
              return new LmdbCommit(nsRows, txn).run(delta, nextId);
            });
    generation = g[0];
    return removed;
  }

  /** {@inheritDoc} Reads only LMDB keys, not the rows. */
  @Override
  public Set<Long> tableIds() {
    checkOpen();
    return env.read(
        txn -> {
          Set<Long> ids = new TreeSet<>(nsRows.roots(txn).values());
          byte[] nsp = RowCodec.nsPrefix(ns);
          try (Cursor<byte[]> c = env.rows.openCursor(txn)) {
            byte[] seek = nsp;
            while (c.get(seek, GetOp.MDB_SET_RANGE) && StoreBytes.startsWith(c.key(), nsp)) {
              byte[] k = c.key();
              if (k.length <= RowCodec.PREFIX) {
                throw new CuStateException(
                    "corrupt row (" + RowCodec.describe(namespace, k) + "): malformed LMDB key");
              }
              long t = StoreBytes.getU64(k, 4);
              ids.add(t);
              if (t == -1L) {
                break;
              }
              seek = RowCodec.prefix(ns, t + 1);
            }
          }
          return ids;
        });
  }

  // ---- named snapshots ----

  /**
   * Checks that {@code name} can name a snapshot: 1-64 characters of {@code [A-Za-z0-9._-]}.
   *
   * @throws IllegalArgumentException when it cannot
   */
  public static void checkSnapshotName(String name) {
    if (name == null || !SNAPSHOT.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a snapshot name is 1-64 characters of [A-Za-z0-9._-]: " + name);
    }
  }

  /**
   * Copies all rows and meta records (next id, roots, reference counts) of the namespace into
   * snapshot {@code name} (namespace {@code <ns>@<name>}) in one write transaction, replacing a
   * snapshot of that name. Every row is verified while it is copied.
   *
   * @throws IllegalArgumentException unless the name is 1-64 characters of [A-Za-z0-9._-]
   * @throws CuStateException when a row fails verification; nothing is saved then
   */
  public void saveSnapshot(String name) {
    checkSnapshotName(name);
    checkOpen();
    String snapNs = namespace + "@" + name;
    env.write(
        txn -> {
          int num = Meta.namespaceNumber(env.meta, txn, snapNs, false);
          if (num != -1) {
            nsRows.wipe(txn, num, true);
            Meta.put(
                env.meta, txn, Meta.nsKey(num, Meta.NAME), snapNs.getBytes(StandardCharsets.UTF_8));
          } else {
            num = Meta.namespaceNumber(env.meta, txn, snapNs, true);
          }
          nsRows.copy(txn, ns, namespace, num, snapNs);
          Meta.put(
              env.meta,
              txn,
              Meta.nsKey(ns, Meta.SNAPSHOT, name),
              StoreBytes.u64(System.currentTimeMillis()));
          return null;
        });
  }

  /**
   * Replaces the namespace's rows and meta records (not its list of snapshots) with those of
   * snapshot {@code name}, in one write transaction. A compute unit that cached tables of this
   * store must not be used afterwards.
   *
   * @throws IllegalArgumentException unless the name is 1-64 characters of [A-Za-z0-9._-]
   * @throws CuStoreException when there is no such snapshot
   * @throws CuStateException when a snapshot row fails verification; nothing changes then
   */
  public void loadSnapshot(String name) {
    checkSnapshotName(name);
    checkOpen();
    String snapNs = namespace + "@" + name;
    generation =
        env.write(
            txn -> {
              if (Meta.get(env.meta, txn, Meta.nsKey(ns, Meta.SNAPSHOT, name)) == null) {
                throw new CuStoreException("namespace " + namespace + " has no snapshot " + name);
              }
              int num = Meta.namespaceNumber(env.meta, txn, snapNs, false);
              if (num == -1) {
                throw new CuStateException(
                    "snapshot "
                        + name
                        + " of namespace "
                        + namespace
                        + " is listed but its rows are missing");
              }
              long g = claim(txn);
              nsRows.wipe(txn, ns, false);
              nsRows.copy(txn, num, snapNs, ns, namespace);
              return g;
            });
  }

  /**
   * Empties the namespace's state (rows, roots, next id; its snapshots stay) in one write
   * transaction.
   */
  public void clear() {
    checkOpen();
    generation =
        env.write(
            txn -> {
              long g = claim(txn);
              nsRows.wipe(txn, ns, false);
              return g;
            });
  }

  /** The names of the namespace's snapshots, sorted. */
  public List<String> listSnapshots() {
    checkOpen();
    return env.read(
        txn -> {
          List<String> names = new ArrayList<>();
          Meta.scan(
              env.meta,
              txn,
              Meta.nsKey(ns, Meta.SNAPSHOT),
              (suffix, payload) -> names.add(new String(suffix, StandardCharsets.UTF_8)));
          return names;
        });
  }

  /**
   * Deletes snapshot {@code name}.
   *
   * @return false when there was no such snapshot
   * @throws IllegalArgumentException unless the name is 1-64 characters of [A-Za-z0-9._-]
   */
  public boolean deleteSnapshot(String name) {
    checkSnapshotName(name);
    checkOpen();
    return env.write(
        txn -> {
          boolean listed = env.meta.delete(txn, Meta.nsKey(ns, Meta.SNAPSHOT, name));
          return wipeSnapshot(txn, name) | listed;
        });
  }

  /** Deletes the rows and records of snapshot {@code name}; false when it had none. */
  private boolean wipeSnapshot(Txn<byte[]> txn, String name) {
    String snapNs = namespace + "@" + name;
    int num = Meta.namespaceNumber(env.meta, txn, snapNs, false);
    if (num == -1) {
      return false;
    }
    nsRows.wipe(txn, num, true);
    env.meta.delete(txn, Meta.nameKey(snapNs));
    return true;
  }

  /**
   * Sets the namespace's label (see {@link LmdbEnvironment#label}), replacing one set before:
   * a name for the namespace that its own name cannot carry.
   *
   * @throws IllegalArgumentException when the label is null
   * @throws CuStoreException when the environment fails or the store is closed
   */
  public void setLabel(String label) {
    if (label == null) {
      throw new IllegalArgumentException("a label must not be null");
    }
    checkOpen();
    byte[] key = Meta.nsKey(ns, Meta.LABEL);
    env.write(
        txn -> {
          Meta.put(env.meta, txn, key, label.getBytes(StandardCharsets.UTF_8));
          return null;
        });
  }

  /**
   * Deletes the namespace: its state, its snapshots, its label and its name, in one write
   * transaction; then closes the store. Opening the namespace again starts it empty.
   *
   * @throws CuStoreException when the environment fails or the store is closed (then nothing
   *     is deleted)
   */
  public void drop() {
    checkOpen();
    env.write(
        txn -> {
          claim(txn);
          List<String> snapshots = new ArrayList<>();
          Meta.scan(
              env.meta,
              txn,
              Meta.nsKey(ns, Meta.SNAPSHOT),
              (suffix, payload) -> snapshots.add(new String(suffix, StandardCharsets.UTF_8)));
          for (String name : snapshots) {
            wipeSnapshot(txn, name);
          }
          nsRows.wipe(txn, ns, true);
          env.meta.delete(txn, Meta.nameKey(namespace));
          return null;
        });
    close();
  }

  private void checkOpen() {
    if (closed) {
      throw new CuStoreException("the store of namespace " + namespace + " is closed");
    }
  }

  /** Releases the namespace (another store of it may then be opened); the environment stays. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      env.release(namespace);
    }
  }

  @Override
  public String toString() {
    return "LmdbTableStore[" + namespace + " in " + env.directory() + "]";
  }
}
