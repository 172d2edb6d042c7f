package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.fast;
import static dev.cu.store.LmdbTestSupport.integer;
import static dev.cu.store.LmdbTestSupport.ref;
import static dev.cu.store.LmdbTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.store.LmdbTestSupport.DeltaBuilder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/** The structural check of data.mdb while the environment is in use. */
class LmdbFileCheckTest {
  @TempDir Path dir;

  /**
   * The check is no registered LMDB reader: a commit during its walk may reuse pages of the
   * tree it reads. Such pages must not be reported as damage (another process opening the
   * environment would refuse a sound file).
   */
  @Test
  void checkDuringConcurrentCommitsReportsNoDamage() throws Exception {
    Path data = dir.resolve(LmdbEnvironment.DATA_FILE);
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong commits = new AtomicLong();
      Thread writer =
          new Thread(
              () -> {
                long next = 2;
                while (!stop.get()) {
                  DeltaBuilder d = new DeltaBuilder();
                  for (int t = 0; t < 20; t++, next++) {
                    d.set(home, integer(next % 500), ref(next));
                    for (int i = 0; i < 10; i++) {
                      d.set(next, integer(i), text("value " + i + " of table " + next));
                    }
                  }
                  s.commit(d.build(), next);
                  commits.incrementAndGet();
                }
              });
      writer.start();
      try {
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (int i = 0; (i < 200 || commits.get() < 50) && System.nanoTime() < deadline; i++) {
          LmdbFileCheck.Result r = LmdbFileCheck.check(data, false);
          assertThat(r.problems()).as("check %d after %d commits", i, commits.get()).isEmpty();
        }
      } finally {
        stop.set(true);
        writer.join();
      }
      assertThat(commits.get()).as("commits during the checks").isGreaterThanOrEqualTo(50);
    }
    assertThat(LmdbFileCheck.check(data, true).ok()).isTrue();
  }

  /** A store of 2,000 rows in {@link #dir}, closed; returns its root table's id. */
  private long storeOfRows() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      DeltaBuilder d = new DeltaBuilder();
      for (int i = 0; i < 2000; i++) {
        d.set(home, integer(i), text("row " + i));
      }
      s.commit(d.build(), s.nextId());
      return home;
    }
  }

  /**
   * LMDB records as its last page the highest page a transaction took, but writes only the pages
   * still in use when it commits: a large value written and deleted in one transaction leaves
   * the last page beyond the file's end. Such a file is sound; opening it was refused as damaged.
   */
  @Test
  void aLastPageBeyondTheFileEndIsNoDamage() throws Exception {
    long home = storeOfRows();
    Path data = dir.resolve(LmdbEnvironment.DATA_FILE);
    dev.cu.internal.LmdbNative.prepare();
    try (Env<byte[]> env =
        Env.create(ByteArrayProxy.PROXY_BA)
            .setMaxDbs(2)
            .setMapSize(64L << 20)
            .open(dir.toFile(), EnvFlags.MDB_NOTLS)) {
      Dbi<byte[]> rows = env.openDbi("rows");
      try (Txn<byte[]> txn = env.txnWrite()) {
        rows.put(txn, new byte[] {1, 2, 3}, new byte[200_000]); // 49 overflow pages at the end
        rows.delete(txn, new byte[] {1, 2, 3});
        txn.commit();
      }
    }
    try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
      LmdbMetaPages.Chosen m = LmdbMetaPages.read(ch, p -> {});
      assertThat(m.lastPg())
          .as("the case: a last page past the file")
          .isGreaterThanOrEqualTo(ch.size() / m.psize());
    }
    assertThat(LmdbFileCheck.check(data, true).problems()).isEmpty();
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      assertThat(LmdbTestSupport.rows(s, home)).hasSize(2000);
    }
    assertThat(StoreVerifier.verify(dir, fast()).findings()).isEmpty();
  }

  /** A data file that is a named pipe would block the check's read for ever: it is refused. */
  @Test
  void aDataFileThatIsAPipeIsRefusedNotWaitedOn() throws Exception {
    Path data = dir.resolve(LmdbEnvironment.DATA_FILE);
    Process mkfifo;
    try {
      mkfifo = new ProcessBuilder("mkfifo", data.toString()).start();
    } catch (java.io.IOException e) {
      org.junit.jupiter.api.Assumptions.abort("no mkfifo here");
      return;
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
    assertThat(
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(10),
                () ->
                    org.assertj.core.api.Assertions.catchThrowable(
                        () -> LmdbEnvironment.open(dir, fast()))))
        .isInstanceOf(CuStoreException.class)
        .hasMessageContaining(data + " is not a regular file");
    assertThatThrownBy(() -> LmdbFileCheck.check(data, false)).isInstanceOf(CuStoreException.class);
  }

  /** A file cut short loses pages its trees use: the check finds it and open refuses it. */
  @Test
  void aFileCutShortIsRefused() throws Exception {
    storeOfRows();
    Path data = dir.resolve(LmdbEnvironment.DATA_FILE);
    try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
      ch.truncate(3 * 4096L);
    }
    byte[] cut = Files.readAllBytes(data);
    assertThat(LmdbFileCheck.check(data, false).problems()).isNotEmpty();
    assertThatThrownBy(() -> LmdbEnvironment.open(dir, fast()))
        .isInstanceOf(CuStateException.class)
        .hasMessageContaining("damaged LMDB file")
        .hasMessageContaining("the file ends before the last page");
    assertThat(Files.readAllBytes(data)).isEqualTo(cut);
  }

  /**
   * A last page beyond the map size the meta records is damage (a flipped high bit): LMDB would
   * write its next page there.
   */
  @Test
  void aLastPageBeyondTheMapIsRefused() throws Exception {
    storeOfRows();
    Path data = dir.resolve(LmdbEnvironment.DATA_FILE);
    long psize;
    try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
      psize = LmdbMetaPages.read(ch, p -> {}).psize();
    }
    try (FileChannel ch =
        FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      for (int meta = 0; meta < 2; meta++) {
        long at = meta * psize + LmdbMetaPages.PAGEHDRSZ + 24 + 2 * LmdbMetaPages.DB_SIZE;
        ByteBuffer b = LmdbMetaPages.read(ch, at, 8);
        b.putLong(0, b.getLong(0) | 1L << 40);
        ch.write(b, at);
      }
    }
    byte[] damaged = Files.readAllBytes(data);
    assertThat(LmdbFileCheck.check(data, false).problems())
        .singleElement(InstanceOfAssertFactories.STRING)
        .contains("lies outside its map of");
    assertThatThrownBy(() -> LmdbEnvironment.open(dir, fast()))
        .isInstanceOf(CuStateException.class)
        .hasMessageContaining("damaged LMDB file");
    assertThat(Files.readAllBytes(data)).isEqualTo(damaged);
  }
}
