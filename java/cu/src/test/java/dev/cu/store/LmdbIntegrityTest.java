package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.fast;
import static dev.cu.store.LmdbTestSupport.function;
import static dev.cu.store.LmdbTestSupport.hex;
import static dev.cu.store.LmdbTestSupport.integer;
import static dev.cu.store.LmdbTestSupport.raw;
import static dev.cu.store.LmdbTestSupport.rawPut;
import static dev.cu.store.LmdbTestSupport.ref;
import static dev.cu.store.LmdbTestSupport.rowKey;
import static dev.cu.store.LmdbTestSupport.rows;
import static dev.cu.store.LmdbTestSupport.text;
import static dev.cu.store.LmdbTestSupport.withValidCrc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.codec.Cbor;
import dev.cu.store.LmdbTestSupport.DeltaBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged and forged rows: CRC32C, HMAC and decoding failures surface as CuStateException. */
class LmdbIntegrityTest {
  private static final int TABLES = 10;

  /** The first four bytes of a zstd frame, read as a little-endian int. */
  private static final int ZSTD_MAGIC = 0xFD2FB528;

  private static final byte[] KEY_A = filled(1);
  private static final byte[] KEY_B = filled(2);

  @TempDir Path dir;

  private static byte[] filled(int v) {
    byte[] b = new byte[32];
    Arrays.fill(b, (byte) v);
    return b;
  }

  /** Home refers to tables 2..11; each holds small, compressed, function and long-key rows. */
  private Map<Long, Map<String, String>> populate(LmdbOptions options) {
    Map<Long, Map<String, String>> expected = new HashMap<>();
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, options);
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      long first = s.nextId();
      DeltaBuilder d = new DeltaBuilder();
      for (long t = first; t < first + TABLES; t++) {
        d.set(home, integer(t), ref(t));
        for (int i = 0; i < 4; i++) {
          d.set(t, integer(i), text("value " + i + " of " + t));
        }
        d.set(t, "big", text(("row of table " + t + ", ").repeat(100)));
        d.set(t, "fn", function("return " + t));
        d.set(t, "bigfn", function(("local x = " + t + " ").repeat(80)));
        d.set(t, "k".repeat(600), integer(t));
      }
      s.commit(d.build(), first + TABLES);
      expected.put(home, rows(s, home));
      for (long t = first; t < first + TABLES; t++) {
        expected.put(t, rows(s, t));
      }
    }
    return expected;
  }

  @Test
  void everyFlippedByteOfAStoredValueIsCaughtAndNamed() {
    Map<Long, Map<String, String>> expected = populate(fast());
    Map<String, byte[]> original = raw(dir, "rows");
    Map<Long, List<String>> keysByTable = new HashMap<>();
    for (String k : original.keySet()) {
      keysByTable
          .computeIfAbsent(Long.parseLong(k.substring(8, 24), 16), x -> new ArrayList<>())
          .add(k);
    }
    List<Long> tables = new ArrayList<>(keysByTable.keySet());
    Random r = new Random(42);
    int flips = 0;
    for (int round = 0; round < 40; round++) {
      java.util.Collections.shuffle(tables, r);
      Map<Long, String> damaged = new HashMap<>();
      Map<String, byte[]> changed = new HashMap<>();
      for (long t : tables.subList(0, 5)) {
        List<String> keys = keysByTable.get(t);
        String k = keys.get(r.nextInt(keys.size()));
        byte[] v = original.get(k).clone();
        v[r.nextInt(v.length)] ^= (byte) (1 + r.nextInt(255));
        changed.put(k, v);
        damaged.put(t, k);
        flips++;
      }
      rawPut(dir, "rows", changed);
      try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
          LmdbTableStore s = env.store("default")) {
        for (long t : tables) {
          String k = damaged.get(t);
          if (k == null) {
            assertThat(rows(s, t)).isEqualTo(expected.get(t)); // other tables stay readable
          } else {
            String keyHex = k.substring(24);
            assertThatThrownBy(() -> s.load(t))
                .isExactlyInstanceOf(CuStateException.class)
                .hasMessageContaining("namespace default, table " + t + ", key ")
                .hasMessageContaining(keyHex.startsWith("ff") ? "(hashed) " + keyHex : keyHex);
          }
        }
        if (round == 0) {
          // a commit that must read a damaged row (to find an old reference) changes nothing
          long t = damaged.keySet().iterator().next();
          long next = s.nextId();
          byte[] key = LmdbTestSupport.unhex(damaged.get(t).substring(24));
          if (key[0] != (byte) 0xff) {
            Delta d = new DeltaBuilder().set(1, "new", integer(1)).set(t, key, integer(0)).build();
            assertThatThrownBy(() -> s.commit(d, next + 1))
                .isExactlyInstanceOf(CuStateException.class);
            assertThat(rows(s, 1)).isEqualTo(expected.get(1L));
            assertThat(s.nextId()).isEqualTo(next);
          }
        }
      }
      Map<String, byte[]> restore = new HashMap<>();
      for (String k : changed.keySet()) {
        restore.put(k, original.get(k));
      }
      rawPut(dir, "rows", restore);
    }
    assertThat(flips).isEqualTo(200);
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      for (long t : tables) {
        assertThat(rows(s, t)).isEqualTo(expected.get(t));
      }
    }
  }

  @Test
  void rowsWithAValidCrcThatCannotBeDecodedAreRefused() {
    populate(fast());
    byte[] lk = rowKey(1, 2, integer(0));
    Map<String, byte[][]> cases = new java.util.LinkedHashMap<>();
    byte[] zstd =
        ByteBuffer.allocate(6)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(ZSTD_MAGIC)
            .put((byte) 9)
            .put((byte) 9)
            .array(); // a frame that ends after its magic number
    cases.put("zstd", new byte[][] {concat(new byte[5], zstd, 1)});
    byte[] shortArray = {(byte) (Cbor.MAJOR_ARRAY << 5 | 3), 1}; // [1, and no more items
    cases.put("not one CBOR item", new byte[][] {concat(new byte[5], shortArray, 0)});
    cases.put("unknown format", new byte[][] {{4, 0, 0, 0, 0, 1}});
    cases.put("shorter than its header", new byte[][] {{0, 0, 0}});
    cases.put("HMAC on a plain row", new byte[][] {concat(new byte[37], integer(5), 2)});
    for (Map.Entry<String, byte[][]> c : cases.entrySet()) {
      byte[] v = c.getValue()[0];
      byte[] stored = v.length >= 5 ? withValidCrc(lk, v) : v;
      rawPut(dir, "rows", Map.of(hex(lk), stored));
      try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
          LmdbTableStore s = env.store("default")) {
        assertThatThrownBy(() -> s.load(2))
            .isExactlyInstanceOf(CuStateException.class)
            .hasMessageContaining("table 2, key 00")
            .hasMessageContaining(c.getKey());
        assertThat(rows(s, 3)).isNotNull();
      }
    }
  }

  private static byte[] concat(byte[] head, byte[] tail, int format) {
    byte[] out = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    out[0] = (byte) format;
    return out;
  }

  @Test
  void damagedMetaRecordsAreNamed() {
    populate(fast());
    Map<String, byte[]> meta = raw(dir, "meta");
    String next = hex(new byte[] {'P', 0, 0, 0, 1, 'i'});
    byte[] v = meta.get(next).clone();
    v[6] ^= 0x10;
    rawPut(dir, "meta", Map.of(next, v));
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      assertThatThrownBy(s::nextId)
          .isExactlyInstanceOf(CuStateException.class)
          .hasMessageContaining("next id of namespace #1");
      assertThat(rows(s, 2)).isNotNull();
    }
  }

  @Test
  void aFunctionRowCarryingAnotherRowsBytesIsRefused() {
    populate(fast());
    Map<String, byte[]> original = raw(dir, "rows");
    byte[] fn2 = rowKey(1, 2, text("fn"));
    byte[] fn3 = rowKey(1, 3, text("fn"));
    byte[] v2 = original.get(hex(fn2));
    assertThat(v2[0]).isEqualTo((byte) 2); // plain + HMAC
    // table 3's function row replaced by table 2's, with a CRC valid for its new place
    rawPut(dir, "rows", Map.of(hex(fn3), withValidCrc(fn3, v2)));
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      assertThatThrownBy(() -> s.load(3))
          .isExactlyInstanceOf(CuStateException.class)
          .hasMessageContaining("table 3, key " + hex(text("fn")))
          .hasMessageContaining("HMAC mismatch");
      assertThat(rows(s, 2)).containsEntry(hex(text("fn")), hex(function("return 2")));
    }
    // the HMAC removed (format 0) and the CRC fixed: still refused
    byte[] stripped = new byte[5 + function("return 3").length];
    System.arraycopy(function("return 3"), 0, stripped, 5, stripped.length - 5);
    // the row's own bytes with a forged HMAC
    byte[] forged = original.get(hex(fn3)).clone();
    for (int i = 5; i < 37; i++) {
      forged[i] ^= 0x5a;
    }
    for (byte[] bad : new byte[][] {stripped, forged}) {
      rawPut(dir, "rows", Map.of(hex(fn3), withValidCrc(fn3, bad)));
      try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
          LmdbTableStore s = env.store("default")) {
        assertThatThrownBy(() -> s.load(3))
            .isExactlyInstanceOf(CuStateException.class)
            .hasMessageContaining("HMAC");
      }
    }
  }

  @Test
  void anotherKeyRefusesExistingFunctionRowsButNotPlainOnes() throws Exception {
    Map<Long, Map<String, String>> expected = populate(fast().withHmacKey(KEY_A));
    assertThat(dir.resolve("hmac.key")).doesNotExist();
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast().withHmacKey(KEY_B));
        LmdbTableStore s = env.store("default")) {
      assertThat(rows(s, 1)).isEqualTo(expected.get(1L)); // home holds no functions
      for (long t = 2; t < 2 + TABLES; t++) {
        long id = t;
        assertThatThrownBy(() -> s.load(id))
            .isExactlyInstanceOf(CuStateException.class)
            .hasMessageContaining("HMAC mismatch");
      }
      // rewriting a function row under the new key makes it readable under that key
      s.commit(
          new DeltaBuilder().delete(2, "bigfn").set(2, "fn", function("return 2")).build(),
          s.nextId());
      assertThat(rows(s, 2)).containsEntry(hex(text("fn")), hex(function("return 2")));
    }
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast().withHmacKey(KEY_A));
        LmdbTableStore s = env.store("default")) {
      assertThat(rows(s, 3)).isEqualTo(expected.get(3L));
      assertThatThrownBy(() -> s.load(2)).isExactlyInstanceOf(CuStateException.class);
    }
    // the key file: a lost key file means a new key, and old function rows are refused
    Path other = dir.resolve("filekey");
    Files.createDirectories(other);
    try (LmdbEnvironment env = LmdbEnvironment.open(other, fast());
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      s.commit(new DeltaBuilder().set(home, "f", function("x")).build(), s.nextId());
    }
    Files.delete(other.resolve("hmac.key"));
    try (LmdbEnvironment env = LmdbEnvironment.open(other, fast());
        LmdbTableStore s = env.store("default")) {
      assertThatThrownBy(() -> s.load(1)).isExactlyInstanceOf(CuStateException.class);
    }
  }
}
