package dev.cu.store;

import static dev.cu.store.LmdbFileCheck.countsProblem;
import static dev.cu.store.LmdbFileCheck.describeKey;
import static dev.cu.store.LmdbFileCheck.rowProblem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * One walk of a {@code data.mdb} for {@link LmdbFileCheck} (which lists what is checked): the
 * meta pages, then every page of the main, {@code rows} and {@code meta} trees and the free list,
 * read once with plain file reads, recording the problems found. A problem abandons its subtree.
 */
final class LmdbPageWalk {
  private static final int PAGEHDRSZ = LmdbMetaPages.PAGEHDRSZ;
  private static final int NODESZ = 8;
  private static final int P_BRANCH = 0x01;
  private static final int P_LEAF = 0x02;
  private static final int P_OVERFLOW = 0x04;
  private static final int P_TYPES = LmdbMetaPages.P_TYPES;
  private static final int F_BIGDATA = 0x01;
  private static final int F_SUBDATA = 0x02;
  private static final long P_INVALID = -1L;
  private static final int DB_SIZE = LmdbMetaPages.DB_SIZE;
  private static final int MAX_PROBLEMS = 20;

  static final byte[] ROWS = "rows".getBytes(StandardCharsets.US_ASCII);
  static final byte[] META = "meta".getBytes(StandardCharsets.US_ASCII);

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

  /** The highest page a tree may use: the last page, or the file's last if that comes first. */
  private long lastUsable;

  private BitSet used;
  private long pagesRead;
  private long rowCount;
  private long metaCount;
  // counts of the tree being walked
  private long branches;
  private long leaves;
  private long overflows;
  private long entries;

  LmdbPageWalk(FileChannel ch, boolean crcs) {
    this.ch = ch;
    this.crcs = crcs;
  }

  /** What this walk found; call after {@link #run()}. */
  LmdbFileCheck.Result result() {
    return new LmdbFileCheck.Result(
        List.copyOf(problems), List.copyOf(records), pagesRead, rowCount, metaCount);
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
    return LmdbMetaPages.read(ch, pos, len);
  }

  void run() throws IOException {
    LmdbMetaPages.Chosen m = LmdbMetaPages.read(ch, this::problem);
    if (m == null) {
      return;
    }
    psize = m.psize();
    lastPg = m.lastPg();
    lastUsable = Math.min(lastPg, m.filePages() - 1);
    used = new BitSet();
    used.set(0, 2);
    List<LmdbMetaPages.Db> named = new ArrayList<>();
    walkDb("main DB", m.main(), Kind.MAIN, named);
    if (!problems.isEmpty()) {
      return;
    }
    LmdbMetaPages.Db rows = named.get(0);
    LmdbMetaPages.Db meta = named.get(1);
    if (rows != null) {
      walkDb("DBI rows", rows, Kind.ROWS, null);
    }
    if (meta != null) {
      walkDb("DBI meta", meta, Kind.META, null);
    }
    if (problems.isEmpty()) {
      walkDb("free list", m.free(), Kind.FREE, null);
    }
  }

  enum Kind {
    MAIN,
    ROWS,
    META,
    FREE
  }

  private void walkDb(String name, LmdbMetaPages.Db db, Kind kind, List<LmdbMetaPages.Db> named)
      throws IOException {
    if (kind == Kind.MAIN) {
      named.add(null);
      named.add(null);
    }
    branches = 0;
    leaves = 0;
    overflows = 0;
    entries = 0;
    if (db.root() == P_INVALID) {
      if (db.depth() != 0
          || db.entries() != 0
          || db.branch() != 0
          || db.leaf() != 0
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
    if (branches != db.branch()
        || leaves != db.leaf()
        || overflows != db.overflow()
        || entries != db.entries()) {
      problem(countsProblem(name, branches, leaves, overflows, entries, db));
    }
  }

  /** Why the pages a tree may use end where they do, when the file ends before the last page. */
  private String outsideWhy() {
    return lastUsable < lastPg ? " (the file ends before the last page " + lastPg + ")" : "";
  }

  private ByteBuffer page(String name, long pgno) throws IOException {
    if (pgno < 2 || pgno > lastUsable) {
      throw stop(name + ": page number " + pgno + " outside 2.." + lastUsable + outsideWhy());
    }
    if (used.get((int) pgno)) {
      throw stop(name + ": page " + pgno + " is reached twice");
    }
    used.set((int) pgno);
    pagesRead++;
    ByteBuffer p = read(pgno * psize, psize); // not mapped: that pins the file on Windows
    if (p.getLong(0) != pgno) {
      throw stop(name + ": page " + pgno + " says it is page " + p.getLong(0));
    }
    return p;
  }

  /** Walks the subtree at {@code pgno}; its keys must lie in [{@code lo}, {@code hi}). */
  private void walk(
      String name,
      Kind kind,
      long pgno,
      int level,
      int depth,
      byte[] lo,
      byte[] hi,
      List<LmdbMetaPages.Db> named)
      throws IOException {
    ByteBuffer p = page(name, pgno);
    int type = p.getShort(10) & P_TYPES;
    boolean leaf = level == depth;
    if (type != (leaf ? P_LEAF : P_BRANCH)) {
      throw stop(
          name
              + ": page "
              + pgno
              + " has type "
              + type
              + " where a "
              + (leaf ? "leaf" : "branch")
              + " page belongs");
    }
    int lower = p.getShort(12) & 0xffff;
    int upper = p.getShort(14) & 0xffff;
    if (lower < PAGEHDRSZ + 2 || (lower & 1) != 0 || upper < lower || upper > psize) {
      throw stop(
          name + ": page " + pgno + " has a bad header (lower " + lower + ", upper " + upper + ")");
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
      if (leaf || i > 0) { // the first key of a branch page is not used
        if (lo != null && compare(kind, key, lo) < 0 || hi != null && compare(kind, key, hi) >= 0) {
          throw stop(
              name
                  + ": page "
                  + pgno
                  + ": key "
                  + describeKey(kind, key)
                  + " lies outside the range its parent assigns");
        }
        if (prev != null && compare(kind, prev, key) >= 0) {
          throw stop(
              name + ": page " + pgno + ": key " + describeKey(kind, key) + " is out of order");
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

  private void leafNode(
      String name,
      Kind kind,
      ByteBuffer p,
      long pgno,
      int dataAt,
      int flags,
      byte[] key,
      long dsize,
      List<LmdbMetaPages.Db> named)
      throws IOException {
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
      data = crcs || kind == Kind.FREE ? read(ov * psize + PAGEHDRSZ, (int) dsize).array() : null;
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
        LmdbMetaPages.Db db =
            LmdbMetaPages.Db.read(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN), 0);
        if (db.flags() != 0) {
          throw stop(where + ": unexpected DB flags " + db.flags());
        }
        named.set(slot, db);
      }
      case ROWS -> {
        rowCount++;
        if (crcs && !RowCodec.crcMatches(key, data) && records.size() < MAX_PROBLEMS) {
          records.add(rowProblem(key));
        }
      }
      case META -> {
        metaCount++;
        if (crcs && !Meta.crcMatches(key, data) && records.size() < MAX_PROBLEMS) {
          records.add("corrupt meta record (" + Meta.describe(key) + "): CRC32C mismatch");
        }
      }
      case FREE -> freeList(where, key, data);
    }
  }

  /** Checks an overflow run's first page; returns its length in pages. */
  private int overflow(String where, long ov, long dsize) throws IOException {
    if (ov < 2 || ov > lastUsable) {
      throw stop(where + ": overflow page " + ov + " outside 2.." + lastUsable + outsideWhy());
    }
    ByteBuffer h = read(ov * psize, PAGEHDRSZ);
    int pages = h.getInt(12);
    if (h.getLong(0) != ov
        || (h.getShort(10) & P_TYPES) != P_OVERFLOW
        || pages < 1
        || ov + pages - 1 > lastUsable
        || dsize > (long) pages * psize - PAGEHDRSZ) {
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

  /** A free-list record: u64 count, then that many page numbers, descending. */
  private void freeList(String where, byte[] key, byte[] data) {
    if (key.length != 8 || data.length < 8 || data.length % 8 != 0) {
      throw stop(where + ": malformed free-list record");
    }
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    long n = b.getLong(0);
    if (n != data.length / 8 - 1) {
      throw stop(
          where + ": free-list count " + n + " does not match its " + data.length + " bytes");
    }
    long prev = Long.MAX_VALUE;
    for (int i = 1; i <= n; i++) {
      long pg = b.getLong(8 * i);
      if (pg < 2 || pg > lastPg || pg >= prev) {
        throw stop(where + ": free page " + pg + " out of range or order");
      }
      if (pg <= lastUsable && used.get((int) pg)) { // a page past the file is never used
        throw stop(where + ": page " + pg + " is both free and in use");
      }
      prev = pg;
    }
    for (int i = 1; i <= n; i++) {
      long pg = b.getLong(8 * i);
      if (pg <= lastUsable) {
        used.set((int) pg);
      }
    }
  }

  private static int compare(Kind kind, byte[] a, byte[] b) {
    if (kind == Kind.FREE && a.length == 8 && b.length == 8) {
      return Long.compareUnsigned(
          ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).getLong(),
          ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong());
    }
    return Arrays.compareUnsigned(a, b);
  }
}
