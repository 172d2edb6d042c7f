package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.bytes;
import static dev.cu.store.LmdbTestSupport.fast;
import static dev.cu.store.LmdbTestSupport.integer;
import static dev.cu.store.LmdbTestSupport.ref;
import static dev.cu.store.LmdbTestSupport.rows;
import static dev.cu.store.LmdbTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.store.LmdbTestSupport.DeltaBuilder;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LmdbEnvironment}: map growth, readers, the key file, opening and closing. */
class LmdbEnvironmentTest {
  @TempDir Path dir;

  @Test
  void theMapGrowsFromOneMebibyteWithoutTheCallerNoticing() {
    LmdbOptions small = fast().withMapSize(1 << 20);
    Random r = new Random(7);
    long home;
    Map<String, String> expected;
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, small);
        LmdbTableStore s = env.store("default")) {
      assertThat(env.mapSize()).isEqualTo(1 << 20);
      home = s.root("home");
      for (int c = 0; c < 12; c++) { // 12 x 800 x 1000 random (incompressible) bytes
        DeltaBuilder d = new DeltaBuilder();
        for (int i = 0; i < 800; i++) {
          byte[] v = new byte[1000];
          r.nextBytes(v);
          d.set(home, "r" + c + "_" + i, bytes(v));
        }
        s.commit(d.build(), s.nextId());
      }
      assertThat(env.resizes()).isGreaterThanOrEqualTo(3);
      assertThat(env.mapSize()).isGreaterThanOrEqualTo(8L << 20);
      expected = rows(s, home);
      assertThat(expected).hasSize(9600);
    }
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, small);
        LmdbTableStore s = env.store("default")) {
      assertThat(rows(s, home)).isEqualTo(expected);
      s.commit(new DeltaBuilder().set(home, "more", bytes(new byte[100_000])).build(), s.nextId());
      assertThat(rows(s, home)).hasSize(9601);
    }
  }

  @Test
  void aSingleCommitLargerThanTheWholeMapGoesThrough() {
    Random r = new Random(8);
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast().withMapSize(1 << 20));
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      long t = s.nextId();
      DeltaBuilder d = new DeltaBuilder().set(home, "t", ref(t));
      for (int i = 0; i < 300; i++) {
        byte[] v = new byte[30_000];
        r.nextBytes(v);
        d.set(t, integer(i), bytes(v));
      }
      assertThat(s.commit(d.build(), t + 1)).isEmpty();
      assertThat(env.mapSize()).isGreaterThanOrEqualTo(8L << 20);
      assertThat(rows(s, t)).hasSize(300);
      // dropping it reclaims 9 MB in one transaction as well
      assertThat(s.commit(new DeltaBuilder().delete(home, "t").build(), t + 1)).containsExactly(t);
    }
  }

  @Test
  void thirtyTwoPoolThreadsReadWhileOneWrites() throws Exception {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast().withMaxReaders(40))) {
      List<LmdbTableStore> stores = new ArrayList<>();
      for (int n = 0; n < 4; n++) {
        LmdbTableStore s = env.store("ns" + n);
        stores.add(s);
        long home = s.root("home");
        DeltaBuilder d = new DeltaBuilder();
        for (int i = 0; i < 200; i++) {
          d.set(home, integer(i), integer(0));
        }
        s.commit(d.build(), s.nextId());
      }
      ExecutorService pool = Executors.newFixedThreadPool(32);
      AtomicBoolean writing = new AtomicBoolean(true);
      Thread writer =
          new Thread(
              () -> {
                LmdbTableStore s = stores.get(0);
                for (int v = 1; v <= 100; v++) {
                  DeltaBuilder d = new DeltaBuilder();
                  for (int i = 0; i < 200; i++) {
                    d.set(1, integer(i), integer(v));
                  }
                  s.commit(d.build(), s.nextId());
                }
                writing.set(false);
              });
      writer.start();
      List<Future<Integer>> results = new ArrayList<>();
      for (int task = 0; task < 32 * 50; task++) {
        int n = task % 4;
        results.add(
            pool.submit(
                () -> {
                  Map<String, String> m = rows(stores.get(n), 1);
                  assertThat(m).hasSize(200);
                  // a commit is seen whole or not at all
                  assertThat(m.values().stream().distinct().count()).isEqualTo(1);
                  return m.size();
                }));
      }
      for (Future<Integer> f : results) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(200);
      }
      writer.join(60_000);
      assertThat(writing.get()).isFalse();
      assertThat(rows(stores.get(0), 1)).containsValue(LmdbTestSupport.hex(integer(100)));

      // 64 live pool threads each read, at most 16 at a time, with 40 reader slots: with
      // thread-local slots (no MDB_NOTLS) every live thread would keep one and the 41st fails
      ExecutorService wide = Executors.newFixedThreadPool(64);
      Semaphore concurrent = new Semaphore(16);
      CountDownLatch allRead = new CountDownLatch(64);
      List<Future<Integer>> wideResults = new ArrayList<>();
      for (int t = 0; t < 64; t++) {
        wideResults.add(
            wide.submit(
                () -> {
                  concurrent.acquire();
                  try {
                    return rows(stores.get(1), 1).size();
                  } finally {
                    concurrent.release();
                    allRead.countDown();
                    allRead.await(60, TimeUnit.SECONDS); // keep every thread alive until all read
                  }
                }));
      }
      for (Future<Integer> f : wideResults) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(200);
      }
      pool.shutdown();
      wide.shutdown();
      for (LmdbTableStore s : stores) {
        s.close();
      }
    }
  }

  @Test
  void theKeyFileIsCreatedPrivateAndReused() throws Exception {
    byte[] key;
    long home;
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, LmdbOptions.defaults());
        LmdbTableStore s = env.store("default")) {
      Path f = dir.resolve("hmac.key");
      key = Files.readAllBytes(f);
      assertThat(key).hasSize(32);
      assertThat(key).isNotEqualTo(new byte[32]);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
            .isEqualTo("rw-------");
        assertThat(
                PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("data.mdb"))))
            .isEqualTo("rw-------");
      }
      home = s.root("home");
      s.commit(
          new DeltaBuilder().set(home, "f", LmdbTestSupport.function("code")).build(), s.nextId());
    }
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, LmdbOptions.defaults());
        LmdbTableStore s = env.store("default")) {
      assertThat(Files.readAllBytes(dir.resolve("hmac.key"))).isEqualTo(key);
      assertThat(rows(s, home)).hasSize(1);
    }
    Files.write(dir.resolve("hmac.key"), new byte[31]);
    assertThatThrownBy(() -> LmdbEnvironment.open(dir, LmdbOptions.defaults()))
        .isInstanceOf(CuStoreException.class)
        .hasMessageContaining("31 bytes");
    Files.write(dir.resolve("hmac.key"), key);
    LmdbEnvironment.open(dir, LmdbOptions.defaults()).close(); // not left marked open

    Path other = dir.resolve("supplied");
    LmdbEnvironment.open(other, LmdbOptions.defaults().withHmacKey(new byte[32])).close();
    assertThat(other.resolve("hmac.key")).doesNotExist();
  }

  @Test
  void aDirectoryOpensOncePerJvmAndClosedEnvironmentsFailCleanly() {
    LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
    assertThatThrownBy(() -> LmdbEnvironment.open(dir, fast()))
        .isInstanceOf(CuStoreException.class)
        .hasMessageContaining("already open");
    LmdbTableStore s = env.store("default");
    long home = s.root("home");
    s.commit(new DeltaBuilder().set(home, "x", text("kept")).build(), s.nextId());
    env.close();
    env.close();
    assertThatThrownBy(() -> s.load(home))
        .isInstanceOf(CuStoreException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> env.store("other")).isInstanceOf(CuStoreException.class);
    s.close();
    s.close();
    assertThatThrownBy(() -> s.nextId()).isInstanceOf(CuStoreException.class);
    try (LmdbEnvironment again = LmdbEnvironment.open(dir, fast());
        LmdbTableStore t = again.store("default")) {
      assertThat(rows(t, home)).containsValue(LmdbTestSupport.hex(text("kept")));
    }
  }

  @Test
  void optionsAreValidatedAndALaterLayoutIsRefused() {
    LmdbOptions d = LmdbOptions.defaults();
    assertThat(d.mapSize()).isEqualTo(LmdbOptions.DEFAULT_MAP_SIZE).isEqualTo(1L << 30);
    assertThat(d.durability()).isEqualTo(LmdbOptions.Durability.SYNC);
    assertThat(d.compressionThreshold()).isEqualTo(512);
    assertThat(d.hmacKey()).isNull();
    assertThatThrownBy(() -> d.withMapSize(1000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withHmacKey(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withCompressionThreshold(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withMaxReaders(0)).isInstanceOf(IllegalArgumentException.class);
    byte[] k = new byte[32];
    LmdbOptions withKey = d.withHmacKey(k);
    k[0] = 1;
    assertThat(withKey.hmacKey()).isEqualTo(new byte[32]); // copied in

    LmdbEnvironment.open(dir, d).close();
    byte[] payload = {0, 0, 0, 3};
    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
    c.update(new byte[] {'V'});
    c.update(payload);
    int crc = (int) c.getValue();
    LmdbTestSupport.rawPut(
        dir,
        "meta",
        Map.of(
            "56",
            new byte[] {
              (byte) (crc >>> 24), (byte) (crc >>> 16), (byte) (crc >>> 8), (byte) crc, 0, 0, 0, 3
            }));
    assertThatThrownBy(() -> LmdbEnvironment.open(dir, d))
        .isInstanceOf(CuStoreException.class)
        .hasMessageContaining("layout version 3");
  }
}
