package dev.cu.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
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
 *   <li>both meta pages ({@link LmdbMetaPages}): magic, version, page size, flags of the free
 *       and main DBs, consecutive transaction ids each on its own page, a last page (which may
 *       lie beyond the file's end: LMDB writes no page it took and freed within one
 *       transaction);
 *   <li>from the newer meta, every page of the main, {@code rows} and {@code meta} trees: page
 *       number inside the file and up to the last page, equal to the page's own, page type as the depth requires, header and
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
 *
 * <p>Other processes may have the environment open and commit while the file is walked. The
 * check is no registered LMDB reader, so a commit may reuse pages of the tree being read and
 * make a sound file look damaged: damage counts only when both meta pages and the file size are
 * the same after the walk as before it; otherwise the file is walked again. A file that another
 * process commits to during each of {@value #BUSY_ATTEMPTS} walks is let through unchecked when
 * an environment opens (a live LMDB is writing it, and the check cannot hold the file still);
 * a verification reports what it found with a first problem saying so.
 *
 * <p>This class is the check's outcome: it runs the walk ({@link LmdbPageWalk}), repeats it while
 * another process commits, and says how a problem names the key or row it concerns.
 */
final class LmdbFileCheck {
  private static final int PAGEHDRSZ = LmdbMetaPages.PAGEHDRSZ;

  /** Walks of a file that another process keeps committing to before it is let through. */
  private static final int BUSY_ATTEMPTS = 20;

  /** The outcome: problems found (empty when the file is sound) and what was walked. */
  record Result(
      List<String> problems, List<String> records, long pages, long rows, long metaRecords) {
    boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * Checks {@code dataFile}; a missing or empty file (a new environment) is sound.
   *
   * @param crcs also verify the CRC32C of every record of the {@code rows} and {@code meta}
   *     DBIs (values in overflow pages included); failures go to {@link Result#records()}, the
   *     walk goes on
   * @throws CuStoreException when the file cannot be read, or is no regular file (a folder, a
   *     named pipe)
   */
  static Result check(Path dataFile, boolean crcs) {
    if (!Files.exists(dataFile)) {
      return new Result(List.of(), List.of(), 0, 0, 0);
    }
    if (!Files.isRegularFile(dataFile)) { // a named pipe would block the read for ever
      throw new CuStoreException("the LMDB file " + dataFile + " is not a regular file");
    }
    try (FileChannel ch = FileChannel.open(dataFile, StandardOpenOption.READ)) {
      for (int attempt = 1; ; attempt++) {
        if (ch.size() == 0) {
          return new Result(List.of(), List.of(), 0, 0, 0);
        }
        byte[] before = stamp(ch);
        LmdbPageWalk c = new LmdbPageWalk(ch, crcs);
        c.run();
        Result r = c.result();
        if (r.ok() && r.records().isEmpty() || Arrays.equals(before, stamp(ch))) {
          return r; // sound, or damaged while no other process committed
        }
        // Another process committed during the walk and may have reused pages of the tree
        // being read (this check is no registered LMDB reader): what looked damaged may be
        // sound, so walk the new state again.
        if (attempt == BUSY_ATTEMPTS && !crcs) {
          return new Result(List.of(), List.of(), r.pages(), 0, 0); // see the class comment
        }
        if (attempt == BUSY_ATTEMPTS) { // a verification says what it could not rule out
          List<String> p = new ArrayList<>();
          p.add(
              "another process committed during each of "
                  + BUSY_ATTEMPTS
                  + " checks; what"
                  + " follows may be pages it was rewriting");
          p.addAll(r.problems());
          return new Result(p, r.records(), r.pages(), r.rows(), r.metaRecords());
        }
        try {
          Thread.sleep(attempt);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return r;
        }
      }
    } catch (IOException e) {
      throw new CuStoreException("cannot read " + dataFile + ": " + e, e);
    }
  }

  /**
   * What changes whenever a process commits: the file's size and the headers of both meta
   * pages (a commit writes the older one).
   */
  private static byte[] stamp(FileChannel ch) throws IOException {
    long size = ch.size();
    ByteBuffer m0 = LmdbMetaPages.read(ch, 0, (int) Math.min(size, 160));
    int psize = m0.capacity() >= PAGEHDRSZ + 28 ? m0.getInt(PAGEHDRSZ + 24) : 0;
    ByteBuffer m1 =
        psize >= 512 && psize <= 65536 && size >= psize + 160L
            ? LmdbMetaPages.read(ch, psize, 160)
            : ByteBuffer.allocate(0);
    ByteBuffer all = ByteBuffer.allocate(8 + m0.remaining() + m1.remaining());
    all.putLong(size).put(m0).put(m1);
    return all.array();
  }

  /** How a problem names a key of a tree of kind {@code kind}. */
  static String describeKey(LmdbPageWalk.Kind kind, byte[] key) {
    if (kind == LmdbPageWalk.Kind.ROWS && key.length >= RowCodec.PREFIX) {
      return StoreBytes.hex(key)
          + " (namespace #"
          + StoreBytes.getU32(key, 0)
          + ", table "
          + StoreBytes.getU64(key, 4)
          + ")";
    }
    if (kind == LmdbPageWalk.Kind.META) {
      return StoreBytes.hex(key) + " (" + Meta.describe(key) + ")";
    }
    return StoreBytes.hex(key);
  }

  /** The problem a row whose CRC32C fails is reported as. */
  static String rowProblem(byte[] lk) {
    return "corrupt row ("
        + (lk.length >= RowCodec.PREFIX
            ? "namespace #"
                + StoreBytes.getU32(lk, 0)
                + ", table "
                + StoreBytes.getU64(lk, 4)
                + ", key "
                + StoreBytes.hex(lk, RowCodec.PREFIX, lk.length)
            : "malformed LMDB key " + StoreBytes.hex(lk))
        + "): CRC32C mismatch";
  }

  /** The problem a tree whose page and entry counts differ from its DB record is reported as. */
  static String countsProblem(
      String name, long branches, long leaves, long overflows, long entries, LmdbMetaPages.Db db) {
    return name
        + ": the tree holds "
        + branches
        + " branch, "
        + leaves
        + " leaf, "
        + overflows
        + " overflow pages and "
        + entries
        + " entries; its record says "
        + db.branch()
        + ", "
        + db.leaf()
        + ", "
        + db.overflow()
        + " and "
        + db.entries();
  }
}
