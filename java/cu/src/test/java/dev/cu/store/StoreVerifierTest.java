package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.closure;
import static dev.cu.store.LmdbTestSupport.fast;
import static dev.cu.store.LmdbTestSupport.funcref;
import static dev.cu.store.LmdbTestSupport.function;
import static dev.cu.store.LmdbTestSupport.hex;
import static dev.cu.store.LmdbTestSupport.integer;
import static dev.cu.store.LmdbTestSupport.metaValue;
import static dev.cu.store.LmdbTestSupport.raw;
import static dev.cu.store.LmdbTestSupport.rawDelete;
import static dev.cu.store.LmdbTestSupport.rawPut;
import static dev.cu.store.LmdbTestSupport.ref;
import static dev.cu.store.LmdbTestSupport.rowKey;
import static dev.cu.store.LmdbTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.store.LmdbTestSupport.DeltaBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StoreVerifier}: a sound store is ok; each kind of damage is listed and named. */
class StoreVerifierTest {
  @TempDir Path dir;

  /** Tables 2..21 of small, long, function rows, plus a snapshot. */
  private void populate() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      DeltaBuilder d = new DeltaBuilder();
      for (long t = 2; t <= 21; t++) {
        d.set(home, integer(t), ref(t));
        for (int i = 0; i < 20; i++) {
          d.set(t, integer(i), text("row " + i + " of " + t));
        }
        d.set(t, "big", text(("long row of " + t + " ").repeat(300)));
        d.set(t, "fn", function("return " + t));
      }
      s.commit(d.build(), 22);
      s.saveSnapshot("before");
    }
  }

  @Test
  void aSoundStoreIsOk() {
    populate();
    StoreVerifier.Report r = StoreVerifier.verify(dir, fast());
    assertThat(r.findings()).isEmpty();
    assertThat(r.ok()).isTrue();
    assertThat(r.namespaces()).isEqualTo(2); // default and default@before
    assertThat(r.rows()).isEqualTo(raw(dir, "rows").size()).isEqualTo(2 * (20 + 20 * 22));
    assertThat(r.tables()).isEqualTo(2 * 21);
    assertThat(r.pages()).isGreaterThan(10);
  }

  @Test
  void progressIsToldOfEveryRowAgainstTheTotal() {
    populate();
    java.util.List<long[]> calls = new java.util.ArrayList<>();
    StoreVerifier.Report r =
        StoreVerifier.verify(dir, fast(), (done, total) -> calls.add(new long[] {done, total}));
    long total = raw(dir, "rows").size();
    assertThat(calls).isNotEmpty();
    assertThat(calls.get(0)).containsExactly(0, total);
    assertThat(calls.get(calls.size() - 1)).containsExactly(r.rows(), total);
    assertThat(calls).allMatch(c -> c[0] <= c[1]);
  }

  @Test
  void everyDamagedRowIsListedWithItsTableAndKey() {
    populate();
    Map<String, byte[]> rows = raw(dir, "rows");
    String a = StoreBytes.hex(rowKey(1, 5, integer(3)));
    String b = StoreBytes.hex(rowKey(1, 9, text("fn")));
    byte[] va = rows.get(a).clone();
    byte[] vb = rows.get(b).clone();
    va[va.length - 1] ^= 1;
    vb[vb.length - 1] ^= 0x40;
    rawPut(dir, "rows", Map.of(a, va, b, vb));
    StoreVerifier.Report r = StoreVerifier.verify(dir, fast());
    assertThat(r.ok()).isFalse();
    assertThat(r.findings()).extracting(StoreVerifier.Finding::table).contains(5L, 9L);
    assertThat(r.findings())
        .filteredOn(f -> f.key() != null)
        .extracting(StoreVerifier.Finding::key)
        .containsExactlyInAnyOrder(a.substring(24), b.substring(24));
    assertThat(r.findings())
        .extracting(StoreVerifier.Finding::message)
        .anyMatch(m -> m.contains("namespace default, table 5, key " + a.substring(24)));
  }

  @Test
  void aRowThatVanishedIsReportedByItsTable() {
    populate();
    rawDelete(dir, "rows", List.of(StoreBytes.hex(rowKey(1, 7, integer(0)))));
    StoreVerifier.Report r = StoreVerifier.verify(dir, fast());
    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.namespace()).isEqualTo("default");
              assertThat(f.table()).isEqualTo(7);
              assertThat(f.message()).contains("21 rows found where its manifest lists 22");
            });
  }

  /** The meta key of the reference count of table {@code t} in namespace 1 ("default"). */
  private static byte[] countKey(long t) {
    return ByteBuffer.allocate(14).put((byte) 'P').putInt(1).put((byte) 'c').putLong(t).array();
  }

  /** The stored value of a reference count record {@code key} that says {@code n}. */
  private static byte[] countValue(byte[] key, long n) {
    return metaValue(key, ByteBuffer.allocate(8).putLong(n).array());
  }

  @Test
  void aWrongReferenceCountIsReportedByItsTable() {
    populate();
    byte[] k = countKey(5);
    assertThat(raw(dir, "meta").get(hex(k))).isEqualTo(countValue(k, 1)); // home refers to it
    rawPut(dir, "meta", Map.of(hex(k), countValue(k, 2))); // its CRC matches: a wrong count
    StoreVerifier.Report r = StoreVerifier.verify(dir, fast());
    assertThat(r.ok()).isFalse();
    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.namespace()).isEqualTo("default");
              assertThat(f.table()).isEqualTo(5);
              assertThat(f.key()).isNull();
              assertThat(f.message())
                  .isEqualTo(
                      "wrong reference count (namespace default, table 5): the namespace's rows"
                          + " hold 1 reference to it where its count says 2");
            });
  }

  @Test
  void aMissingCountAndACountNothingHoldsAreReported() {
    populate();
    rawDelete(dir, "meta", List.of(hex(countKey(9))));
    byte[] k = countKey(500); // no table 500, no row refers to it
    rawPut(dir, "meta", Map.of(hex(k), countValue(k, 1)));
    StoreVerifier.Report r = StoreVerifier.verify(dir, fast());
    assertThat(r.findings())
        .extracting(StoreVerifier.Finding::table, StoreVerifier.Finding::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                9L,
                "wrong reference count (namespace default, table 9): the namespace's rows hold"
                    + " 1 reference to it where its count is not stored"),
            org.assertj.core.groups.Tuple.tuple(
                500L,
                "wrong reference count (namespace default, table 500): the namespace's rows"
                    + " hold 0 references to it where its count says 1"));
  }

  @Test
  void aRowThatCannotBeReadLeavesItsNamespacesCountsUncompared() {
    populate();
    String lk = StoreBytes.hex(rowKey(1, 1, integer(5))); // home's reference to table 5
    byte[] v = raw(dir, "rows").get(lk).clone();
    v[v.length - 1] ^= 1;
    rawPut(dir, "rows", Map.of(lk, v));
    StoreVerifier.Report r = StoreVerifier.verify(dir, fast());
    assertThat(r.findings()) // the row, not also the count of the table it referred to
        .singleElement()
        .extracting(StoreVerifier.Finding::key)
        .isEqualTo(lk.substring(24));
  }

  @Test
  void aStoreIsSoundAfterWritesReplacedTablesAndDeletions() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      long a = s.nextId();
      long b = a + 1;
      long c = a + 2;
      long fn = a + 3;
      long box = a + 4;
      DeltaBuilder d = new DeltaBuilder();
      d.set(home, "a", ref(a));
      d.set(home, "b", ref(b));
      d.set(home, "c", ref(c));
      d.set(a, "c", ref(c)); // c: two references
      d.set(b, "v", text("b"));
      for (int i = 0; i < 5; i++) {
        d.set(c, integer(i), text("c" + i));
      }
      d.set(home, "fn", funcref(fn));
      d.set(fn, integer(0), closure("return k", box));
      d.set(box, integer(1), integer(1));
      s.commit(d.build(), a + 5);
      s.saveSnapshot("first"); // a second namespace with counts of its own

      long a2 = a + 5;
      d = new DeltaBuilder();
      d.set(a2, "c", ref(c));
      d.set(home, "a", ref(a2)); // a replaced: reclaimed, and its reference to c with it
      assertThat(s.commit(d.build(), a + 6)).containsExactly(a);

      d = new DeltaBuilder();
      d.delete(home, "b");
      d.delete(c, integer(0));
      d.set(home, "c2", ref(c)); // c: three references
      assertThat(s.commit(d.build(), a + 6)).containsExactly(b);

      long x = a + 6;
      long y = a + 7;
      long fn2 = a + 8;
      long box2 = a + 9;
      d = new DeltaBuilder();
      d.set(x, "y", ref(y));
      d.set(y, "x", ref(x)); // a cycle
      d.set(home, "x", ref(x));
      d.set(home, "fn", funcref(fn2)); // the closure replaced: fn and its box reclaimed
      d.set(fn2, integer(0), closure("return k + 1", box2));
      d.set(box2, integer(1), integer(2));
      assertThat(s.commit(d.build(), a + 10)).containsExactlyInAnyOrder(fn, box);

      d = new DeltaBuilder();
      d.delete(home, "x"); // the cycle goes by the sweep
      assertThat(s.commit(d.build(), a + 10)).containsExactlyInAnyOrder(x, y);
    }
    StoreVerifier.Report r = StoreVerifier.verify(dir, fast());
    assertThat(r.findings()).isEmpty();
    assertThat(r.ok()).isTrue();
    assertThat(r.namespaces()).isEqualTo(2);
  }

  @Test
  void structuralDamageIsReportedWithoutLmdbMappingTheFile() throws Exception {
    populate();
    byte[] f = java.nio.file.Files.readAllBytes(dir.resolve("data.mdb"));
    LmdbBitFlipTest.Pages pages = LmdbBitFlipTest.Pages.of(f);
    try (FileChannel ch = FileChannel.open(dir.resolve("data.mdb"), StandardOpenOption.WRITE)) {
      for (long leaf : pages.leaf()) { // in use or free: the walk must meet one in use
        ByteBuffer b =
            ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, leaf + (1L << 40));
        ch.write(b, leaf * pages.psize()); // the page's own number
      }
    }
    StoreVerifier.Report r = StoreVerifier.verify(dir, fast());
    assertThat(r.ok()).isFalse();
    assertThat(r.findings())
        .first()
        .extracting(StoreVerifier.Finding::message)
        .asString()
        .startsWith("damaged LMDB file: ")
        .containsPattern("page (\\d+) says it is page " + "1099511627\\d+");
    assertThatThrownBy(() -> LmdbEnvironment.open(dir, fast()))
        .isExactlyInstanceOf(CuStateException.class)
        .hasMessageContaining("says it is page");
  }

  @Test
  void aFolderWithoutAStoreIsAStoreError() {
    assertThatThrownBy(() -> StoreVerifier.verify(dir.resolve("none"), fast()))
        .isInstanceOf(CuStoreException.class)
        .hasMessageContaining("no store in");
  }
}
