package dev.cu.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
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
  private static final int CHUNK = 1024;
  private static final int MAX_ROOT_NAME = 400;

  private final LmdbEnvironment env;
  private final String namespace;
  private final int ns;
  private final RowCodec codec;
  private final byte[] generationKey;

  /** The namespace's generation as of this store's last write (or its opening). */
  private volatile long generation;

  private volatile boolean closed;

  LmdbTableStore(LmdbEnvironment env, String namespace, int ns) {
    this.env = env;
    this.namespace = namespace;
    this.ns = ns;
    this.codec = env.codec;
    this.generationKey = Meta.nsKey(ns, Meta.GENERATION);
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
              long n = next(txn);
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
    return env.read(this::next);
  }

  private long next(Txn<byte[]> txn) {
    return Meta.getLong(env.meta, txn, Meta.nsKey(ns, Meta.NEXT), 1);
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
          scanRows(
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
              return new Commit(txn).run(delta, nextId);
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
          Set<Long> ids = new TreeSet<>(roots(txn).values());
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

  private Map<String, Long> roots(Txn<byte[]> txn) {
    Map<String, Long> roots = new HashMap<>();
    Meta.scan(
        env.meta,
        txn,
        Meta.nsKey(ns, Meta.ROOT),
        (suffix, payload) -> {
          if (payload.length != 8) {
            throw new CuStateException("corrupt meta record (root of namespace " + namespace + ")");
          }
          roots.put(new String(suffix, StandardCharsets.UTF_8), StoreBytes.getU64(payload, 0));
        });
    return roots;
  }

  /**
   * Calls {@code each(lmdbKey, storedValue)} for every row under {@code prefix} in key order.
   * Rows are read in chunks, so {@code each} may write to the transaction.
   */
  private void scanRows(Txn<byte[]> txn, byte[] prefix, BiConsumer<byte[], byte[]> each) {
    byte[] from = prefix;
    boolean skipFrom = false;
    while (true) {
      List<byte[][]> chunk = new ArrayList<>();
      try (Cursor<byte[]> c = env.rows.openCursor(txn)) {
        boolean ok = c.get(from, GetOp.MDB_SET_RANGE);
        if (ok && skipFrom && Arrays.equals(c.key(), from)) {
          ok = c.next();
        }
        while (ok && chunk.size() < CHUNK) {
          byte[] k = c.key();
          if (!StoreBytes.startsWith(k, prefix)) {
            break;
          }
          chunk.add(new byte[][] {k, c.val()});
          ok = c.next();
        }
      }
      for (byte[][] kv : chunk) {
        each.accept(kv[0], kv[1]);
      }
      if (chunk.size() < CHUNK) {
        return;
      }
      from = chunk.get(chunk.size() - 1)[0];
      skipFrom = true;
    }
  }

  private long[] refsOf(byte[] lk, byte[] value) {
    try {
      return Delta.refsOf(value);
    } catch (CuStoreException e) {
      throw new CuStateException(
          "corrupt row (" + RowCodec.describe(namespace, lk) + "): " + e.getMessage(), e);
    }
  }

  /** One commit's work inside its write transaction, and its reference graph. */
  private final class Commit implements RefGraph {
    private final Txn<byte[]> txn;
    private final Map<Long, Long> counts = new HashMap<>();
    private final Set<Long> dirty = new HashSet<>();
    private final Set<Long> roots;
    private final Manifest.Changes manifests = new Manifest.Changes(ns);

    /** The references of every table, read by {@link #tables()} for a sweep. */
    private Map<Long, List<Long>> edges;

    Commit(Txn<byte[]> txn) {
      this.txn = txn;
      this.roots = new HashSet<>(roots(txn).values());
    }

    long[] run(Delta delta, long next) {
      Reclaimer reclaimer = new Reclaimer(this);
      for (Delta.Change c : delta.changes()) {
        long t = c.table();
        if (t < 0) {
          throw new CuStoreException("table id out of range: " + Long.toUnsignedString(t));
        }
        long[] newRefs = Delta.refsOf(c.value()); // a malformed reference aborts the txn
        if (!roots.contains(t) && !hasRows(t)) {
          reclaimer.created(t); // new: kept only if something refers to it
        }
        byte[] lk = RowCodec.lmdbKey(ns, t, c.key());
        byte[] oldStored = env.rows.get(txn, lk);
        long[] oldRefs = {};
        if (oldStored != null) {
          RowCodec.Row old = codec.decode(namespace, ns, lk, oldStored, false);
          oldRefs = refsOf(lk, old.value());
        }
        if (oldStored != null) {
          manifests.remove(t, lk, oldStored);
        }
        if (c.value() == null) {
          if (oldStored != null) {
            env.rows.delete(txn, lk);
          }
        } else {
          byte[] stored = codec.encode(ns, lk, t, c.key(), c.value());
          env.rows.put(txn, lk, stored);
          manifests.add(t, lk, stored);
        }
        reclaimer.referenced(newRefs);
        reclaimer.dropped(oldRefs);
      }
      if (next > next(txn)) {
        Meta.put(env.meta, txn, Meta.nsKey(ns, Meta.NEXT), StoreBytes.u64(next));
      }
      long[] removed = reclaimer.reclaim();
      for (long id : dirty) {
        long v = counts.get(id);
        byte[] key = Meta.nsKey(ns, Meta.REFS, StoreBytes.u64(id));
        if (v > 0) {
          Meta.put(env.meta, txn, key, StoreBytes.u64(v));
        } else {
          env.meta.delete(txn, key);
        }
      }
      manifests.apply(env.meta, txn);
      return removed;
    }

    private boolean hasRows(long t) {
      byte[] p = RowCodec.prefix(ns, t);
      try (Cursor<byte[]> c = env.rows.openCursor(txn)) {
        return c.get(p, GetOp.MDB_SET_RANGE) && StoreBytes.startsWith(c.key(), p);
      }
    }

    @Override
    public boolean pinned(long id) {
      return roots.contains(id);
    }

    /** The persisted count, read once per commit, then kept until the commit writes it. */
    @Override
    public long count(long id) {
      Long v = counts.get(id);
      if (v == null) {
        v = Meta.getLong(env.meta, txn, Meta.nsKey(ns, Meta.REFS, StoreBytes.u64(id)), 0);
        counts.put(id, v);
      }
      return v;
    }

    @Override
    public long adjust(long id, long d) {
      long v = count(id) + d;
      counts.put(id, v);
      dirty.add(id);
      return v;
    }

    @Override
    public void forget(long id) {
      counts.put(id, 0L);
      dirty.add(id);
    }

    /** Deletes the rows of table {@code id}, each CRC-checked, passing on their references. */
    @Override
    public void delete(long id, LongConsumer ref) {
      scanRows(
          txn,
          RowCodec.prefix(ns, id),
          (lk, stored) -> {
            for (long r : refsOf(lk, codec.decode(namespace, ns, lk, stored, false).value())) {
              ref.accept(r);
            }
            env.rows.delete(txn, lk);
          });
      manifests.clear(id);
    }

    /** Reads every row of the namespace once: the tables that hold rows, and their references. */
    @Override
    public Set<Long> tables() {
      edges = new HashMap<>();
      Set<Long> present = new HashSet<>();
      scanRows(
          txn,
          RowCodec.nsPrefix(ns),
          (lk, stored) -> {
            RowCodec.Row r = codec.decode(namespace, ns, lk, stored, false);
            present.add(r.table());
            for (long ref : refsOf(lk, r.value())) {
              edges.computeIfAbsent(r.table(), x -> new ArrayList<>()).add(ref);
            }
          });
      return present;
    }

    @Override
    public void marks(LongConsumer id) {
      roots.forEach(id::accept);
    }

    /** The references {@link #tables()} read for table {@code id}. */
    @Override
    public void refs(long id, LongConsumer ref) {
      for (long r : edges.getOrDefault(id, List.of())) {
        ref.accept(r);
      }
    }
  }

  // ---- named snapshots ----

  private static void checkSnapshotName(String name) {
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
          int num = env.namespaceNumber(txn, snapNs, false);
          if (num != -1) {
            wipe(txn, num, true);
            Meta.put(
                env.meta, txn, Meta.nsKey(num, Meta.NAME), snapNs.getBytes(StandardCharsets.UTF_8));
          } else {
            num = env.namespaceNumber(txn, snapNs, true);
          }
          copy(txn, ns, namespace, num, snapNs);
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
              int num = env.namespaceNumber(txn, snapNs, false);
              if (num == -1) {
                throw new CuStateException(
                    "snapshot "
                        + name
                        + " of namespace "
                        + namespace
                        + " is listed but its rows are missing");
              }
              long g = claim(txn);
              wipe(txn, ns, false);
              copy(txn, num, snapNs, ns, namespace);
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
              wipe(txn, ns, false);
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
    String snapNs = namespace + "@" + name;
    return env.write(
        txn -> {
          boolean listed = env.meta.delete(txn, Meta.nsKey(ns, Meta.SNAPSHOT, name));
          int num = env.namespaceNumber(txn, snapNs, false);
          if (num != -1) {
            wipe(txn, num, true);
            env.meta.delete(txn, Meta.nameKey(snapNs));
          }
          return listed || num != -1;
        });
  }

  /** Deletes the rows of namespace {@code num} and its meta records (all, or the state only). */
  private void wipe(Txn<byte[]> txn, int num, boolean all) {
    Meta.deletePrefix(env.rows, txn, RowCodec.nsPrefix(num));
    if (all) {
      Meta.deletePrefix(env.meta, txn, Meta.nsKey(num));
    } else {
      for (char type : new char[] {Meta.NEXT, Meta.ROOT, Meta.REFS, Manifest.TYPE}) {
        Meta.deletePrefix(env.meta, txn, Meta.nsKey(num, type));
      }
    }
  }

  /** Copies rows and state meta records of namespace {@code src} into {@code dst}. */
  private void copy(Txn<byte[]> txn, int src, String srcName, int dst, String dstName) {
    byte[] dstPrefix = RowCodec.nsPrefix(dst);
    Manifest.Changes manifests = new Manifest.Changes(dst);
    scanRows(
        txn,
        RowCodec.nsPrefix(src),
        (lk, stored) -> {
          RowCodec.Row r = codec.decode(srcName, src, lk, stored, true);
          byte[] dlk = StoreBytes.concat(dstPrefix, Arrays.copyOfRange(lk, 4, lk.length));
          byte[] moved = codec.move(dst, dlk, r, stored);
          env.rows.put(txn, dlk, moved);
          manifests.add(r.table(), dlk, moved);
        });
    manifests.apply(env.meta, txn); // dst was wiped: its manifests start from nothing
    for (char type : new char[] {Meta.NEXT, Meta.ROOT, Meta.REFS}) {
      List<byte[][]> records = new ArrayList<>();
      Meta.scan(
          env.meta,
          txn,
          Meta.nsKey(src, type),
          (suffix, payload) -> records.add(new byte[][] {suffix, payload}));
      for (byte[][] r : records) {
        Meta.put(env.meta, txn, Meta.nsKey(dst, type, r[0]), r[1]);
      }
    }
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
