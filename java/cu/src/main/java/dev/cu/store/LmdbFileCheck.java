package dev.cu.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * A structural check of an LMDB {@code data.mdb}, read with plain file reads before LMDB maps
 * the file. LMDB trusts its pages: a page number beyond the file makes it touch unmapped memory
 * (SIGBUS/SIGSEGV, killing the JVM), and a damaged key or header makes it return wrong answers
 * without an error. This check finds such damage first, so that {@link LmdbEnvironment#open}
 * refuses the file with a {@link CuStateException} instead.
 *
 * <p>What is checked (the on-disk format is LMDB 0.9's, 64-bit, little-endian):
 * <ul>
 *   <li>both meta pages: magic, version, page size, flags of the free and main DBs, and that
 *       their transaction ids are consecutive (LMDB writes meta {@code txnid % 2}); a damaged
 *       txnid would make LMDB fall back to an older state without a word;
 *   <li>from the newer meta, every page of the main, {@code rows} and {@code meta} trees: page
 *       number in range and equal to the page's own, page type as the depth requires, header and
 *       node bounds inside the page, node flags, keys in strictly ascending order and within the
 *       range their parent assigns, overflow pages in range; no page reached twice;
 *   <li>page, entry and depth counts equal those the DB records state;
 *   <li>the main DB holds only the {@code rows} and {@code meta} records;
 *   <li>the free list: page numbers in range, none listed twice, none in use by a tree;
 *   <li>when asked ({@code cu state verify}), every record's CRC32C ({@link RowCodec} and
 *       {@link Meta} layouts), reported apart from the structure: a damaged record fails only
 *       the reads that meet it, so it does not stop the environment from opening.
 * </ul>
 * The check reads every page of the trees once, about the cost of reading the used part of the
 * file (docs/STORAGE.md gives figures).
 */
final class LmdbFileCheck {
  private static final int PAGEHDRSZ = 16;
  private static final int NODESZ = 8;
  private static final int P_BRANCH = 0x01;
  private static final int P_LEAF = 0x02;
  private static final int P_OVERFLOW = 0x04;
  private static final int P_META = 0x08;
  private static final int P_TYPES = 0x01 | 0x02 | 0x04 | 0x08 | 0x20 | 0x40;
  private static final int F_BIGDATA = 0x01;
  private static final int F_SUBDATA = 0x02;
  private static final int MDB_INTEGERKEY = 0x08;
  private static final int MAGIC = 0xBEEFC0DE;
  private static final long P_INVALID = -1L;
  private static final int DB_SIZE = 48;
  private static final int MAX_PROBLEMS = 20;
  static final byte[] ROWS = "rows".getBytes(StandardCharsets.US_ASCII);
  static final byte[] META = "meta".getBytes(StandardCharsets.US_ASCII);

  /** The outcome: problems found (empty when the file is sound) and what was walked. */
  record Result(List<String> problems, List<String> records, long pages, long rows,
      long metaRecords) {
    boolean ok() {
      return problems.isEmpty();
    }
  }

  /** A DB record (MDB_db) as stored in a meta page or in the main DB. */
  private record Db(int pad, int flags, int depth, long branch, long leaf, long overflow,
      long entries, long root) {
    static Db read(ByteBuffer b, int at) {
      return new Db(b.getInt(at), b.getShort(at + 4) & 0xffff, b.getShort(at + 6) & 0xffff,
          b.getLong(at + 8), b.getLong(at + 16), b.getLong(at + 24), b.getLong(at + 32),
          b.getLong(at + 40));
    }
  }

  /** Thrown inside a subtree to abandon it after recording a problem. */
  private static final class Stop extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stop() {
      super(null, null, false, false);
    }
  }

  private final FileChannel ch;
  private final boolean crcs;
  private final List<String> records = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private int psize;
  private long lastPg;
  private long filePages;
  private BitSet used;
  private long pagesRead;
  private long rowCount;
  private long metaCount;
  // counts of the tree being walked
  private long branches;
  private long leaves;
  private long overflows;
  private long entries;

  private LmdbFileCheck(FileChannel ch, boolean crcs) {
    this.ch = ch;
    this.crcs = crcs;
  }

  /**
   * Checks {@code dataFile}; a missing or empty file (a new environment) is sound.
   *
   * @param crcs also verify the CRC32C of every record of the {@code rows} and {@code meta}
   *     DBIs (values in overflow pages included); failures go to {@link Result#records()}, the
   *     walk goes on
   * @throws CuStoreException when the file cannot be read
   */
  static Result check(Path dataFile, boolean crcs) {
    if (!Files.exists(dataFile)) {
      return new Result(List.of(), List.of(), 0, 0, 0);
    }
    try (FileChannel ch = FileChannel.open(dataFile, StandardOpenOption.READ)) {
      if (ch.size() == 0) {
        return new Result(List.of(), List.of(), 0, 0, 0);
      }
      LmdbFileCheck c = new LmdbFileCheck(ch, crcs);
      c.run();
      return new Result(List.copyOf(c.problems), List.copyOf(c.records), c.pagesRead,
          c.rowCount, c.metaCount);
    } catch (IOException e) {
      throw new CuStoreException("cannot read " + dataFile + ": " + e, e);
    }
  }

  private void problem(String what) {
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(what);
    }
  }

  private RuntimeException stop(String what) {
    problem(what);
    return new Stop();
  }

  private ByteBuffer read(long pos, int len) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b, pos + b.position()) < 0) {
        throw new IOException("unexpected end of file at " + (pos + b.position()));
      }
    }
    return b.flip();
  }

  private void run() throws IOException {
    long size = ch.size();
    if (size < 1024) {
      problem("the file is " + size + " bytes, shorter than its two meta pages");
      return;
    }
    Db[] free = new Db[2];
    Db[] main = new Db[2];
    long[] txn = new long[2];
    long[] last = new long[2];
    ByteBuffer m0 = read(0, (int) Math.min(size, 256));
    psize = m0.getInt(PAGEHDRSZ + 24);
    if (Integer.bitCount(psize) != 1 || psize < 512 || psize > 65536) {
      problem("meta page 0: page size " + psize + " is not a power of two in 512..65536");
      return;
    }
    if (size < 2L * psize) {
      problem("the file is " + size + " bytes, shorter than its two meta pages");
      return;
    }
    filePages = size / psize;
    for (int i = 0; i < 2; i++) {
      ByteBuffer m = read((long) i * psize, 160);
      String where = "meta page " + i;
      if ((m.getShort(10) & P_TYPES) != P_META || m.getLong(0) != i) {
        problem(where + ": not a meta page");
        return;
      }
      if (m.getInt(PAGEHDRSZ) != MAGIC || m.getInt(PAGEHDRSZ + 4) != 1) {
        problem(where + ": bad magic or version");
        return;
      }
      free[i] = Db.read(m, PAGEHDRSZ + 24);
      main[i] = Db.read(m, PAGEHDRSZ + 24 + DB_SIZE);
      last[i] = m.getLong(PAGEHDRSZ + 24 + 2 * DB_SIZE);
      txn[i] = m.getLong(PAGEHDRSZ + 24 + 2 * DB_SIZE + 8);
      if (free[i].pad() != psize) {
        problem(where + ": page size " + free[i].pad() + " differs from meta page 0's " + psize);
        return;
      }
      if (free[i].flags() != MDB_INTEGERKEY || main[i].flags() != 0) {
        problem(where + ": unexpected DB flags " + free[i].flags() + "/" + main[i].flags());
        return;
      }
      if (txn[i] != 0 && Long.remainderUnsigned(txn[i], 2) != i) {
        problem(where + ": transaction id " + txn[i] + " does not belong on this page");
        return;
      }
    }
    if (!(txn[0] == 0 && txn[1] == 0) && Math.abs(txn[0] - txn[1]) != 1) {
      problem("meta pages: transaction ids " + txn[0] + " and " + txn[1]
          + " are not consecutive");
      return;
    }
    int cur = Long.compareUnsigned(txn[0], txn[1]) < 0 ? 1 : 0;  // LMDB's choice
    lastPg = last[cur];
    if (lastPg < 1 || lastPg >= filePages) {
      problem("meta page " + cur + ": last page " + lastPg + " lies beyond the file's "
          + filePages + " pages");
      return;
    }
    used = new BitSet();
    used.set(0, 2);
    List<Db> named = new ArrayList<>();
    walkDb("main DB", main[cur], Kind.MAIN, named);
    if (!problems.isEmpty()) {
      return;
    }
    Db rows = named.get(0);
    Db meta = named.get(1);
    if (rows != null) {
      walkDb("DBI rows", rows, Kind.ROWS, null);
    }
    if (meta != null) {
      walkDb("DBI meta", meta, Kind.META, null);
    }
    if (problems.isEmpty()) {
      walkDb("free list", free[cur], Kind.FREE, null);
    }
  }

  private enum Kind { MAIN, ROWS, META, FREE }

  private void walkDb(String name, Db db, Kind kind, List<Db> named) throws IOException {
    if (kind == Kind.MAIN) {
      named.add(null);
      named.add(null);
    }
    branches = 0;
    leaves = 0;
    overflows = 0;
    entries = 0;
    if (db.root() == P_INVALID) {
      if (db.depth() != 0 || db.entries() != 0 || db.branch() != 0 || db.leaf() != 0
          || db.overflow() != 0) {
        problem(name + ": empty, but its record counts pages or entries");
      }
      return;
    }
    if (db.depth() < 1 || db.depth() > 32) {
      problem(name + ": depth " + db.depth() + " out of range");
      return;
    }
    try {
      walk(name, kind, db.root(), 1, db.depth(), null, null, named);
    } catch (Stop s) {
      return;
    }
    if (branches != db.branch() || leaves != db.leaf() || overflows != db.overflow()
        || entries != db.entries()) {
      problem(name + ": the tree holds " + branches + " branch, " + leaves + " leaf, "
          + overflows + " overflow pages and " + entries + " entries; its record says "
          + db.branch() + ", " + db.leaf() + ", " + db.overflow() + " and " + db.entries());
    }
  }

  private ByteBuffer page(String name, long pgno) throws IOException {
    if (pgno < 2 || pgno > lastPg) {
      throw stop(name + ": page number " + pgno + " outside 2.." + lastPg);
    }
    if (used.get((int) pgno)) {
      throw stop(name + ": page " + pgno + " is reached twice");
    }
    used.set((int) pgno);
    pagesRead++;
    ByteBuffer p = read(pgno * psize, psize);  // not mapped: that pins the file on Windows
    if (p.getLong(0) != pgno) {
      throw stop(name + ": page " + pgno + " says it is page " + p.getLong(0));
    }
    return p;
  }

  /** Walks the subtree at {@code pgno}; its keys must lie in [{@code lo}, {@code hi}). */
  private void walk(String name, Kind kind, long pgno, int level, int depth, byte[] lo,
      byte[] hi, List<Db> named) throws IOException {
    ByteBuffer p = page(name, pgno);
    int type = p.getShort(10) & P_TYPES;
    boolean leaf = level == depth;
    if (type != (leaf ? P_LEAF : P_BRANCH)) {
      throw stop(name + ": page " + pgno + " has type " + type + " where a "
          + (leaf ? "leaf" : "branch") + " page belongs");
    }
    int lower = p.getShort(12) & 0xffff;
    int upper = p.getShort(14) & 0xffff;
    if (lower < PAGEHDRSZ + 2 || (lower & 1) != 0 || upper < lower || upper > psize) {
      throw stop(name + ": page " + pgno + " has a bad header (lower " + lower + ", upper "
          + upper + ")");
    }
    int n = (lower - PAGEHDRSZ) >> 1;
    if (leaf) {
      leaves++;
    } else {
      branches++;
    }
    byte[] prev = null;
    for (int i = 0; i < n; i++) {
      int at = p.getShort(PAGEHDRSZ + 2 * i) & 0xffff;
      if (at < upper || (at & 1) != 0 || at + NODESZ > psize) {
        throw stop(name + ": page " + pgno + ", node " + i + " lies outside the page");
      }
      int lo16 = p.getShort(at) & 0xffff;
      int hi16 = p.getShort(at + 2) & 0xffff;
      int flags = p.getShort(at + 4) & 0xffff;
      byte[] key = nodeKey(p, i, pgno, name);
      if (leaf || i > 0) {  // the first key of a branch page is not used
        if (lo != null && compare(kind, key, lo) < 0
            || hi != null && compare(kind, key, hi) >= 0) {
          throw stop(name + ": page " + pgno + ": key " + describeKey(kind, key)
              + " lies outside the range its parent assigns");
        }
        if (prev != null && compare(kind, prev, key) >= 0) {
          throw stop(name + ": page " + pgno + ": key " + describeKey(kind, key)
              + " is out of order");
        }
        prev = key;
      }
      if (!leaf) {
        long child = (lo16 | ((long) hi16 << 16)) | ((long) flags << 32);
        byte[] childLo = i == 0 ? lo : key;
        byte[] childHi = hi;
        if (i + 1 < n) {
          childHi = nodeKey(p, i + 1, pgno, name);
        }
        walk(name, kind, child, level + 1, depth, childLo, childHi, named);
        continue;
      }
      entries++;
      long dsize = lo16 | ((long) hi16 << 16);
      leafNode(name, kind, p, pgno, at + NODESZ + key.length, flags, key, dsize, named);
    }
  }

  private byte[] nodeKey(ByteBuffer p, int i, long pgno, String name) {
    int at = p.getShort(PAGEHDRSZ + 2 * i) & 0xffff;
    if (at + NODESZ > psize) {
      throw stop(name + ": page " + pgno + ", node " + i + " lies outside the page");
    }
    int ksize = p.getShort(at + 6) & 0xffff;
    if (at + NODESZ + ksize > psize) {
      throw stop(name + ": page " + pgno + ", node " + i + ": key runs past the page");
    }
    byte[] key = new byte[ksize];
    p.get(at + NODESZ, key);
    return key;
  }

  private void leafNode(String name, Kind kind, ByteBuffer p, long pgno, int dataAt, int flags,
      byte[] key, long dsize, List<Db> named) throws IOException {
    String where = name + ": page " + pgno + ", key " + describeKey(kind, key);
    byte[] data;
    if (flags == F_BIGDATA && kind != Kind.MAIN) {
      if (dataAt + 8 > psize) {
        throw stop(where + ": overflow page number runs past the page");
      }
      if (dsize > RowCodec.MAX_CONTENT) {
        throw stop(where + ": value of " + dsize + " bytes");
      }
      long ov = p.getLong(dataAt);
      int pages = overflow(where, ov, dsize);
      data = crcs || kind == Kind.FREE ? read(ov * psize + PAGEHDRSZ, (int) dsize).array()
          : null;
      overflows += pages;
    } else if (flags == (kind == Kind.MAIN ? F_SUBDATA : 0)) {
      if (dataAt + dsize > psize) {
        throw stop(where + ": data runs past the page");
      }
      data = new byte[(int) dsize];
      p.get(dataAt, data);
    } else {
      throw stop(where + ": unexpected node flags " + flags);
    }
    switch (kind) {
      case MAIN -> {
        int slot = Arrays.equals(key, ROWS) ? 0 : Arrays.equals(key, META) ? 1 : -1;
        if (slot < 0 || data.length != DB_SIZE) {
          throw stop(where + ": not one of the DBIs rows and meta");
        }
        Db db = Db.read(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN), 0);
        if (db.flags() != 0) {
          throw stop(where + ": unexpected DB flags " + db.flags());
        }
        named.set(slot, db);
      }
      case ROWS -> {
        rowCount++;
        if (crcs && !rowCrcOk(key, data) && records.size() < MAX_PROBLEMS) {
          records.add(rowProblem(key));
        }
      }
      case META -> {
        metaCount++;
        if (crcs && !metaCrcOk(key, data) && records.size() < MAX_PROBLEMS) {
          records.add("corrupt meta record (" + Meta.describe(key) + "): CRC32C mismatch");
        }
      }
      case FREE -> freeList(where, key, data);
    }
  }

  /** Checks an overflow run's first page; returns its length in pages. */
  private int overflow(String where, long ov, long dsize) throws IOException {
    if (ov < 2 || ov > lastPg) {
      throw stop(where + ": overflow page " + ov + " outside 2.." + lastPg);
    }
    ByteBuffer h = read(ov * psize, PAGEHDRSZ);
    int pages = h.getInt(12);
    if (h.getLong(0) != ov || (h.getShort(10) & P_TYPES) != P_OVERFLOW || pages < 1
        || ov + pages - 1 > lastPg || dsize > (long) pages * psize - PAGEHDRSZ) {
      throw stop(where + ": bad overflow page " + ov);
    }
    for (long q = ov; q < ov + pages; q++) {
      if (used.get((int) q)) {
        throw stop(where + ": overflow page " + q + " is reached twice");
      }
      used.set((int) q);
    }
    pagesRead += pages;
    return pages;
  }

  private boolean rowCrcOk(byte[] lk, byte[] stored) {
    if (stored.length < RowCodec.HEADER) {
      return false;
    }
    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
    c.update(lk, 0, lk.length);
    c.update(stored, 0, 1);
    c.update(stored, RowCodec.HEADER, stored.length - RowCodec.HEADER);
    return (int) c.getValue() == StoreBytes.getU32(stored, 1);
  }

  private static boolean metaCrcOk(byte[] key, byte[] v) {
    if (v.length < 4) {
      return false;
    }
    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
    c.update(key, 0, key.length);
    c.update(v, 4, v.length - 4);
    return (int) c.getValue() == StoreBytes.getU32(v, 0);
  }

  private static String rowProblem(byte[] lk) {
    return "corrupt row (" + (lk.length >= RowCodec.PREFIX
        ? "namespace #" + StoreBytes.getU32(lk, 0) + ", table " + StoreBytes.getU64(lk, 4)
        + ", key " + StoreBytes.hex(lk, RowCodec.PREFIX, lk.length)
        : "malformed LMDB key " + StoreBytes.hex(lk)) + "): CRC32C mismatch";
  }

  /** A free-list record: u64 count, then that many page numbers, descending. */
  private void freeList(String where, byte[] key, byte[] data) {
    if (key.length != 8 || data.length < 8 || data.length % 8 != 0) {
      throw stop(where + ": malformed free-list record");
    }
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    long n = b.getLong(0);
    if (n != data.length / 8 - 1) {
      throw stop(where + ": free-list count " + n + " does not match its " + data.length
          + " bytes");
    }
    long prev = Long.MAX_VALUE;
    for (int i = 1; i <= n; i++) {
      long pg = b.getLong(8 * i);
      if (pg < 2 || pg > lastPg || pg >= prev) {
        throw stop(where + ": free page " + pg + " out of range or order");
      }
      if (used.get((int) pg)) {
        throw stop(where + ": page " + pg + " is both free and in use");
      }
      prev = pg;
    }
    for (int i = 1; i <= n; i++) {
      used.set((int) b.getLong(8 * i));
    }
  }

  private static int compare(Kind kind, byte[] a, byte[] b) {
    if (kind == Kind.FREE && a.length == 8 && b.length == 8) {
      return Long.compareUnsigned(ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).getLong(),
          ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong());
    }
    return Arrays.compareUnsigned(a, b);
  }

  private static String describeKey(Kind kind, byte[] key) {
    if (kind == Kind.ROWS && key.length >= RowCodec.PREFIX) {
      return StoreBytes.hex(key) + " (namespace #" + StoreBytes.getU32(key, 0) + ", table "
          + StoreBytes.getU64(key, 4) + ")";
    }
    if (kind == Kind.META) {
      return StoreBytes.hex(key) + " (" + Meta.describe(key) + ")";
    }
    return StoreBytes.hex(key);
  }
}
