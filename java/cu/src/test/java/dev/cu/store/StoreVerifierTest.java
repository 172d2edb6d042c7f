package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.fast;
import static dev.cu.store.LmdbTestSupport.function;
import static dev.cu.store.LmdbTestSupport.integer;
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
