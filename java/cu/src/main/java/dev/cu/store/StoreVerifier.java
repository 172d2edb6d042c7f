package dev.cu.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.lmdbjava.Cursor;
import org.lmdbjava.Txn;

/**
 * Checks a whole LMDB store and lists what is damaged ({@code cu state verify}): the structure of
 * {@code data.mdb} ({@link LmdbFileCheck}, with the CRC32C of every record), then, when the
 * structure is sound, every row of every namespace as a load reads it (CRC32C, format, zstd,
 * CBOR, long-key hash, HMAC of function rows), every table's manifest, every meta record's
 * CRC32C, and every stored reference count against the references the namespace's rows hold.
 * Reads only, except what opening any store does (a new {@code hmac.key} when there was none,
 * the layout upgrade of a version 1 store).
 */
public final class StoreVerifier {
  private static final int MAX_FINDINGS = 1000;

  /** How many rows {@link #verify(Path, LmdbOptions, Progress)} checks between two reports. */
  public static final int PROGRESS_EVERY = 4096;

  /** Told how far a verification got. */
  @FunctionalInterface
  public interface Progress {
    /** {@code done} of the store's {@code total} rows are checked. */
    void rows(long done, long total);
  }

  /**
   * One damaged thing.
   *
   * @param namespace the namespace's name, or null for damage to the file's structure or meta
   *     records
   * @param table the table id, or -1
   * @param key the row's key in hex as it appears in the LMDB key, or null
   * @param message what is wrong, naming the place
   */
  public record Finding(String namespace, long table, String key, String message) {}

  /**
   * The outcome.
   *
   * @param findings what is damaged (empty when the store is sound; at most 1,000)
   * @param namespaces namespaces checked
   * @param tables tables checked
   * @param rows rows checked
   * @param pages pages of {@code data.mdb} read
   */
  public record Report(List<Finding> findings, int namespaces, long tables, long rows, long pages) {
    /** True when nothing is damaged. */
    public boolean ok() {
      return findings.isEmpty();
    }
  }

  private StoreVerifier() {}

  /**
   * Verifies the store in {@code dir} with {@code options} (for its HMAC key).
   *
   * @throws CuStoreException when {@code dir} holds no store or cannot be read, or is open in
   *     this JVM
   */
  public static Report verify(Path dir, LmdbOptions options) {
    return verify(dir, options, (done, total) -> {});
  }

  /**
   * Like {@link #verify(Path, LmdbOptions)}, telling {@code progress} how many rows it checked of
   * how many there are, every {@link #PROGRESS_EVERY} rows and at the end. Throws what that
   * throws, and what {@code progress} throws.
   */
  public static Report verify(Path dir, LmdbOptions options, Progress progress) {
    Path data = dir.resolve(LmdbEnvironment.DATA_FILE);
    if (!Files.isRegularFile(data)) {
      throw new CuStoreException("no store in " + dir + " (no " + LmdbEnvironment.DATA_FILE + ")");
    }
    LmdbFileCheck.Result file = LmdbFileCheck.check(data, true);
    List<Finding> findings = new ArrayList<>();
    for (String p : file.problems()) {
      findings.add(new Finding(null, -1, null, "damaged LMDB file: " + p));
    }
    if (!file.ok()) {
      return new Report(findings, 0, 0, 0, file.pages()); // LMDB must not map it
    }
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, options)) {
      return env.read(txn -> new Walk(env, txn, findings, file.pages(), progress).run());
    }
  }

  /** The checks inside one read transaction. */
  private static final class Walk {
    private final LmdbEnvironment env;
    private final Txn<byte[]> txn;
    private final List<Finding> findings;
    private final long pages;
    private long tables;
    private long rows;

    /** Per namespace: how many references its rows hold to each id. */
    private final Map<Integer, LongCounts> held = new HashMap<>();

    /** Namespaces with a row that could not be read: the references they hold are not known. */
    private final Set<Integer> unread = new HashSet<>();

    private final Progress progress;

    Walk(
        LmdbEnvironment env,
        Txn<byte[]> txn,
        List<Finding> findings,
        long pages,
        Progress progress) {
      this.env = env;
      this.txn = txn;
      this.findings = findings;
      this.pages = pages;
      this.progress = progress;
    }

    private void add(Finding f) {
      if (findings.size() < MAX_FINDINGS) {
        findings.add(f);
      }
    }

    Report run() {
      Map<Integer, String> names = new TreeMap<>();
      try (Cursor<byte[]> c = env.meta.openCursor(txn)) {
        for (boolean ok = c.first(); ok; ok = c.next()) {
          byte[] k = c.key();
          try {
            byte[] p = Meta.verify(k, c.val());
            if (k.length > 1 && k[0] == 'N' && p.length == 4) {
              names.put(
                  StoreBytes.getU32(p, 0), new String(k, 1, k.length - 1, StandardCharsets.UTF_8));
            }
          } catch (CuStateException e) {
            add(new Finding(null, -1, null, e.getMessage()));
          }
        }
      }
      Map<Integer, Map<Long, long[]>> found = scanRows(names);
      for (Map.Entry<Integer, String> ns : names.entrySet()) {
        checkManifests(ns.getKey(), ns.getValue(), found.getOrDefault(ns.getKey(), Map.of()));
        checkCounts(ns.getKey(), ns.getValue());
      }
      for (int ns : found.keySet()) {
        if (!names.containsKey(ns)) {
          add(
              new Finding(
                  null,
                  -1,
                  null,
                  found.get(ns).size()
                      + " tables of namespace #"
                      + ns
                      + " have rows, but the namespace has no name"));
        }
      }
      return new Report(List.copyOf(findings), names.size(), tables, rows, pages);
    }

    /**
     * Decodes every row and counts the references it holds; returns {count, digest} per
     * namespace and table.
     */
    private Map<Integer, Map<Long, long[]>> scanRows(Map<Integer, String> names) {
      Map<Integer, Map<Long, long[]>> found = new HashMap<>();
      long total = env.rows.stat(txn).entries;
      progress.rows(0, total);
      try (Cursor<byte[]> c = env.rows.openCursor(txn)) {
        for (boolean ok = c.first(); ok; ok = c.next()) {
          byte[] lk = c.key();
          byte[] stored = c.val();
          if (++rows % PROGRESS_EVERY == 0) {
            progress.rows(rows, total);
          }
          if (lk.length <= RowCodec.PREFIX) {
            add(
                new Finding(
                    null, -1, StoreBytes.hex(lk), "malformed LMDB key " + StoreBytes.hex(lk)));
            continue;
          }
          int ns = StoreBytes.getU32(lk, 0);
          long table = StoreBytes.getU64(lk, 4);
          String name = names.getOrDefault(ns, "#" + ns);
          String keyHex = StoreBytes.hex(lk, RowCodec.PREFIX, lk.length);
          try {
            long[] refs = Delta.refsOf(env.codec.decode(name, ns, lk, stored, true).value());
            LongCounts h = held.computeIfAbsent(ns, x -> new LongCounts());
            for (long ref : refs) {
              h.add(ref, 1);
            }
          } catch (CuStateException e) {
            add(new Finding(name, table, keyHex, e.getMessage()));
            unread.add(ns);
          } catch (CuStoreException e) { // a malformed reference in a row whose CRC matches
            add(
                new Finding(
                    name,
                    table,
                    keyHex,
                    "corrupt row (" + RowCodec.describe(name, lk) + "): " + e.getMessage()));
            unread.add(ns);
          }
          if (stored.length >= RowCodec.HEADER) {
            long[] t =
                found
                    .computeIfAbsent(ns, x -> new HashMap<>())
                    .computeIfAbsent(table, x -> new long[2]);
            t[0]++;
            t[1] += Manifest.term(lk, stored);
          }
        }
      }
      progress.rows(rows, total);
      return found;
    }

    private void checkManifests(int ns, String name, Map<Long, long[]> found) {
      java.util.Set<Long> listed = new java.util.TreeSet<>(found.keySet());
      Meta.scanRaw(
          env.meta,
          txn,
          Meta.nsKey(ns, Manifest.TYPE),
          (suffix, v) -> {
            if (suffix.length == 8) {
              listed.add(StoreBytes.getU64(suffix, 0));
            }
          });
      for (long table : listed) {
        tables++;
        long[] f = found.getOrDefault(table, new long[2]);
        try {
          Manifest.check(name, table, f[0], f[1], Manifest.read(env.meta, txn, ns, table));
        } catch (CuStateException e) {
          add(new Finding(name, table, null, e.getMessage()));
        }
      }
    }

    /**
     * Compares each reference count namespace {@code ns} stores with the references its rows
     * hold to that id (a count that is not stored is zero). A namespace with a row that could not
     * be read is not compared: that row is a finding already, and its references are unknown.
     */
    private void checkCounts(int ns, String name) {
      if (unread.contains(ns)) {
        return;
      }
      LongCounts refs = held.getOrDefault(ns, new LongCounts());
      LongCounts stored = new LongCounts();
      byte[] prefix = Meta.nsKey(ns, Meta.REFS);
      Meta.scanRaw(
          env.meta,
          txn,
          prefix,
          (suffix, v) -> {
            if (suffix.length != 8) {
              return;
            }
            long table = StoreBytes.getU64(suffix, 0);
            byte[] key = StoreBytes.concat(prefix, suffix);
            if (!Meta.crcMatches(key, v)) {
              stored.put(table, refs.get(table)); // listed by the meta record check: not compared
            } else if (v.length != 4 + 8) {
              stored.put(table, refs.get(table)); // listed here: not compared
              add(
                  new Finding(
                      name,
                      table,
                      null,
                      "corrupt meta record ("
                          + Meta.describe(key)
                          + "): "
                          + (v.length - 4)
                          + " bytes where 8 belong"));
            } else {
              stored.put(table, StoreBytes.getU64(v, 4));
            }
          });
      long[] ids = new long[refs.size() + stored.size()];
      System.arraycopy(refs.keys(), 0, ids, 0, refs.size());
      System.arraycopy(stored.keys(), 0, ids, refs.size(), stored.size());
      Arrays.sort(ids);
      for (int i = 0; i < ids.length; i++) {
        long id = ids[i];
        if ((i > 0 && ids[i - 1] == id) || refs.get(id) == stored.get(id)) {
          continue;
        }
        add(
            new Finding(
                name,
                id,
                null,
                "wrong reference count (namespace "
                    + name
                    + ", table "
                    + id
                    + "): the namespace's rows hold "
                    + refs.get(id)
                    + (refs.get(id) == 1 ? " reference" : " references")
                    + " to it where its count "
                    + (stored.contains(id) ? "says " + stored.get(id) : "is not stored")));
      }
    }
  }
}
