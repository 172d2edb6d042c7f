package dev.cu.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.function.Consumer;

/**
 * The two meta pages of an LMDB {@code data.mdb} (LMDB 0.9, 64-bit, little-endian) and LMDB's
 * choice between them, for {@link LmdbFileCheck}. LMDB writes the meta page of transaction
 * {@code N} to page {@code N % 2} and uses the page with the larger transaction id; so the two
 * ids must be consecutive and each on its own page, or a damaged id would make LMDB fall back
 * to an older state without a word.
 */
final class LmdbMetaPages {
  static final int PAGEHDRSZ = 16;

  /** The page type bits of a page header's flags (the rest are in-memory flags). */
  static final int P_TYPES = 0x01 | 0x02 | 0x04 | 0x08 | 0x20 | 0x40;

  static final int DB_SIZE = 48;
  private static final int P_META = 0x08;
  private static final int MDB_INTEGERKEY = 0x08;
  private static final int MAGIC = 0xBEEFC0DE;

  private LmdbMetaPages() {}

  /** A DB record (MDB_db) as stored in a meta page or in the main DB. */
  record Db(
      int pad,
      int flags,
      int depth,
      long branch,
      long leaf,
      long overflow,
      long entries,
      long root) {
    static Db read(ByteBuffer b, int at) {
      return new Db(
          b.getInt(at),
          b.getShort(at + 4) & 0xffff,
          b.getShort(at + 6) & 0xffff,
          b.getLong(at + 8),
          b.getLong(at + 16),
          b.getLong(at + 24),
          b.getLong(at + 32),
          b.getLong(at + 40));
    }
  }

  /**
   * What the meta page LMDB will use says: page size, last page, the free and main DBs; and the
   * pages the file holds. The last page may lie beyond the file: a transaction that takes a new
   * page and frees it again before it commits (a page split undone, a large value written and
   * deleted) leaves the page on the free list unwritten, and LMDB extends the file only by the
   * pages it writes. A page a tree uses lies inside the file.
   */
  record Chosen(int psize, long lastPg, long filePages, Db free, Db main) {}

  /** {@code len} bytes at {@code pos}, little-endian. */
  static ByteBuffer read(FileChannel ch, long pos, int len) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b, pos + b.position()) < 0) {
        throw new IOException("unexpected end of file at " + (pos + b.position()));
      }
    }
    return b.flip();
  }

  /**
   * Reads and checks both meta pages: magic, version, page size, DB flags, transaction ids,
   * last page within the map size. Returns the one LMDB will use, or null after telling
   * {@code problem} what is wrong.
   */
  static Chosen read(FileChannel ch, Consumer<String> problem) throws IOException {
    long size = ch.size();
    if (size < 1024) {
      problem.accept("the file is " + size + " bytes, shorter than its two meta pages");
      return null;
    }
    Db[] free = new Db[2];
    Db[] main = new Db[2];
    long[] txn = new long[2];
    long[] last = new long[2];
    long[] mapsize = new long[2];
    ByteBuffer m0 = read(ch, 0, (int) Math.min(size, 256));
    int psize = m0.getInt(PAGEHDRSZ + 24);
    if (Integer.bitCount(psize) != 1 || psize < 512 || psize > 65536) {
      problem.accept("meta page 0: page size " + psize + " is not a power of two in 512..65536");
      return null;
    }
    if (size < 2L * psize) {
      problem.accept("the file is " + size + " bytes, shorter than its two meta pages");
      return null;
    }
    long filePages = size / psize;
    for (int i = 0; i < 2; i++) {
      ByteBuffer m = read(ch, (long) i * psize, 160);
      String where = "meta page " + i;
      if ((m.getShort(10) & P_TYPES) != P_META || m.getLong(0) != i) {
        problem.accept(where + ": not a meta page");
        return null;
      }
      if (m.getInt(PAGEHDRSZ) != MAGIC || m.getInt(PAGEHDRSZ + 4) != 1) {
        problem.accept(where + ": bad magic or version");
        return null;
      }
      free[i] = Db.read(m, PAGEHDRSZ + 24);
      main[i] = Db.read(m, PAGEHDRSZ + 24 + DB_SIZE);
      mapsize[i] = m.getLong(PAGEHDRSZ + 16);
      last[i] = m.getLong(PAGEHDRSZ + 24 + 2 * DB_SIZE);
      txn[i] = m.getLong(PAGEHDRSZ + 24 + 2 * DB_SIZE + 8);
      if (free[i].pad() != psize) {
        problem.accept(
            where + ": page size " + free[i].pad() + " differs from meta page 0's " + psize);
        return null;
      }
      if (free[i].flags() != MDB_INTEGERKEY || main[i].flags() != 0) {
        problem.accept(where + ": unexpected DB flags " + free[i].flags() + "/" + main[i].flags());
        return null;
      }
      if (txn[i] != 0 && Long.remainderUnsigned(txn[i], 2) != i) {
        problem.accept(where + ": transaction id " + txn[i] + " does not belong on this page");
        return null;
      }
    }
    if (!(txn[0] == 0 && txn[1] == 0) && Math.abs(txn[0] - txn[1]) != 1) {
      problem.accept(
          "meta pages: transaction ids " + txn[0] + " and " + txn[1] + " are not consecutive");
      return null;
    }
    int cur = Long.compareUnsigned(txn[0], txn[1]) < 0 ? 1 : 0; // LMDB's choice
    long lastPg = last[cur];
    // LMDB takes no page past its map, whose size each commit records: a last page beyond it
    // is damage, and opening would make LMDB write its next page there (a file of that size)
    if (lastPg < 1 || Long.compareUnsigned(lastPg, Long.divideUnsigned(mapsize[cur], psize)) >= 0) {
      problem.accept(
          "meta page "
              + cur
              + ": last page "
              + Long.toUnsignedString(lastPg)
              + " lies outside its map of "
              + Long.toUnsignedString(mapsize[cur])
              + " bytes");
      return null;
    }
    return new Chosen(psize, lastPg, filePages, free[cur], main[cur]);
  }
}
