package dev.cu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.BufferProxy;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/** Keys and values through the reusing proxy reach LMDB and come back byte for byte. */
class LmdbByteArraysTest {
  static {
    LmdbNative.prepare();
  }

  @TempDir Path dir;

  private static byte[] bytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  @Test
  void theKeyAndTheValueOfOneCallGetDifferentBuffers() {
    LmdbByteArrays.Scratch s = new LmdbByteArrays.Scratch();
    Pointer k = s.take(1000, 10);
    Pointer v = s.take(2000, 10);
    assertThat(v.address()).isNotEqualTo(k.address());
    assertThat(s.take(1000, 10).address()).isEqualTo(k.address());
    assertThat(s.take(2000, 10).address()).isEqualTo(v.address());
    // a third struct takes the buffer used least recently, never the one just filled
    Pointer w = s.take(3000, 10);
    assertThat(w.address()).isEqualTo(k.address());
    assertThat(s.take(2000, 10).address()).isEqualTo(v.address());
    // a larger argument gets a larger buffer
    assertThat(s.take(3000, 5000).size()).isGreaterThanOrEqualTo(5000);
  }

  @Test
  void copiesGoAroundJniOnThisJvm() {
    assertThat(LmdbByteArrays.copiesDirectly()).isTrue(); // else PROXY copies through jnr
  }

  @Test
  void rowsOfEverySizeReadBackAsWritten() throws Exception {
    roundTrip(LmdbByteArrays.PROXY);
  }

  @Test
  void rowsOfEverySizeReadBackAsWrittenThroughJnr() throws Exception {
    roundTrip(LmdbByteArrays.throughJnr());
  }

  private void roundTrip(BufferProxy<byte[]> proxy) throws Exception {
    int[] sizes = {0, 1, 7, 511, 512, 513, 4096, 65535, 65536, 65537, 200_000};
    try (Env<byte[]> env =
        Env.create(proxy)
            .setMapSize(64L << 20)
            .setMaxDbs(1)
            .open(dir.toFile(), EnvFlags.MDB_NOTLS)) {
      Dbi<byte[]> db = env.openDbi("t", DbiFlags.MDB_CREATE);
      Random r = new Random(7);
      List<byte[][]> rows = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        byte[] k = bytes(r, 1 + r.nextInt(400));
        byte[] v = bytes(r, sizes[i % sizes.length]);
        rows.add(new byte[][] {k, v});
      }
      try (Txn<byte[]> txn = env.txnWrite()) {
        try (Cursor<byte[]> c = db.openCursor(txn)) {
          for (int i = 0; i < rows.size(); i += 2) {
            c.put(rows.get(i)[0], rows.get(i)[1]);
          }
        }
        for (int i = 1; i < rows.size(); i += 2) {
          db.put(txn, rows.get(i)[0], rows.get(i)[1]);
        }
        txn.commit();
      }
      // reads from two threads at once, each with its own buffers
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<Boolean>> checks = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          checks.add(
              pool.submit(
                  () -> {
                    for (int round = 0; round < 20; round++) {
                      try (Txn<byte[]> txn = env.txnRead();
                          Cursor<byte[]> c = db.openCursor(txn)) {
                        for (byte[][] row : rows) {
                          if (!Arrays.equals(db.get(txn, row[0]), row[1])
                              || !c.get(row[0], GetOp.MDB_SET_KEY)
                              || !Arrays.equals(c.key(), row[0])
                              || !Arrays.equals(c.val(), row[1])) {
                            return false;
                          }
                        }
                      }
                    }
                    return true;
                  }));
        }
        for (Future<Boolean> f : checks) {
          assertThat(f.get()).isTrue();
        }
      } finally {
        pool.shutdown();
      }
    }
  }
}
