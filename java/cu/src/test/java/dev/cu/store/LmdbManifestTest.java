package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.fast;
import static dev.cu.store.LmdbTestSupport.integer;
import static dev.cu.store.LmdbTestSupport.raw;
import static dev.cu.store.LmdbTestSupport.rawDelete;
import static dev.cu.store.LmdbTestSupport.rawPut;
import static dev.cu.store.LmdbTestSupport.ref;
import static dev.cu.store.LmdbTestSupport.rowKey;
import static dev.cu.store.LmdbTestSupport.rows;
import static dev.cu.store.LmdbTestSupport.text;
import static dev.cu.store.LmdbTestSupport.withValidCrc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.store.LmdbTestSupport.DeltaBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Table manifests: a row that vanishes from a table, or appears in it, with every remaining row
 * intact, fails the load of that table with {@link CuStateException} naming it.
 */
class LmdbManifestTest {
  @TempDir Path dir;

  /** Home -> tables 2..4 with three rows each; returns their contents. */
  private Map<Long, Map<String, String>> populate() {
    Map<Long, Map<String, String>> expected = new TreeMap<>();
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      DeltaBuilder d = new DeltaBuilder();
      for (long t = 2; t <= 4; t++) {
        d.set(home, integer(t), ref(t));
        for (int i = 0; i < 3; i++) {
          d.set(t, integer(i), text("row " + i + " of " + t));
        }
      }
      s.commit(d.build(), 5);
      for (long t = 1; t <= 4; t++) {
        expected.put(t, rows(s, t));
      }
    }
    return expected;
  }

  private static String hex(byte[] b) {
    return StoreBytes.hex(b);
  }

  @Test
  void aRowThatVanishesFailsItsTable() {
    Map<Long, Map<String, String>> expected = populate();
    rawDelete(dir, "rows", List.of(hex(rowKey(1, 3, integer(1)))));
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      assertThatThrownBy(() -> s.load(3))
          .isExactlyInstanceOf(CuStateException.class)
          .hasMessageContaining("namespace default, table 3")
          .hasMessageContaining("2 rows found where its manifest lists 3");
      assertThat(rows(s, 2)).isEqualTo(expected.get(2L)); // other tables stay readable
    }
  }

  @Test
  void aRowWhoseKeyMovedToAnotherTableFailsBothTables() {
    populate();
    // the damage a flipped table id in a key does, with the CRC a forger would recompute
    byte[] from = rowKey(1, 3, integer(2));
    byte[] to = rowKey(1, 4, integer(7));
    byte[] stored = raw(dir, "rows").get(hex(from));
    rawDelete(dir, "rows", List.of(hex(from)));
    rawPut(dir, "rows", Map.of(hex(to), withValidCrc(to, stored)));
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      assertThatThrownBy(() -> s.load(3))
          .isExactlyInstanceOf(CuStateException.class)
          .hasMessageContaining("table 3")
          .hasMessageContaining("2 rows found");
      assertThatThrownBy(() -> s.load(4))
          .isExactlyInstanceOf(CuStateException.class)
          .hasMessageContaining("table 4")
          .hasMessageContaining("4 rows found");
    }
  }

  @Test
  void aSwappedRowWithTheSameCountFailsItsTable() {
    populate();
    byte[] from = rowKey(1, 3, integer(2));
    byte[] to = rowKey(1, 3, integer(9));
    byte[] stored = raw(dir, "rows").get(hex(from));
    rawDelete(dir, "rows", List.of(hex(from)));
    rawPut(dir, "rows", Map.of(hex(to), withValidCrc(to, stored)));
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      assertThatThrownBy(() -> s.load(3))
          .isExactlyInstanceOf(CuStateException.class)
          .hasMessageContaining("table 3")
          .hasMessageContaining("do not match its manifest");
    }
  }

  @Test
  void manifestsFollowOverwritesDeletesReclamationAndSnapshots() {
    populate();
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      s.saveSnapshot("a");
      s.commit(
          new DeltaBuilder()
              .set(3, integer(0), text("changed"))
              .delete(3, integer(1))
              .set(3, "new", integer(5))
              .delete(1, integer(4))
              .build(),
          5); // table 4 reclaimed
      assertThat(rows(s, 3)).hasSize(3);
      assertThat(rows(s, 4)).isNull();
      assertThat(raw(dir, "meta").keySet()).noneMatch(k -> k.equals(hex(Manifest.key(1, 4))));
      s.loadSnapshot("a");
      assertThat(rows(s, 4)).hasSize(3);
      assertThat(rows(s, 3)).hasSize(3);
      s.clear();
      assertThat(s.load(3)).isNull();
    }
  }

  @Test
  void aStoreOfLayoutVersionOneGetsItsManifestsOnOpen() {
    Map<Long, Map<String, String>> expected = populate();
    List<String> manifests =
        raw(dir, "meta").keySet().stream()
            .filter(k -> k.startsWith("50" + "00000001" + "6d"))
            .toList();
    assertThat(manifests).hasSize(4);
    rawDelete(dir, "meta", manifests);
    rawPut(
        dir,
        "meta",
        Map.of("56", LmdbTestSupport.metaValue(new byte[] {'V'}, new byte[] {0, 0, 0, 1})));
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      for (Map.Entry<Long, Map<String, String>> e : expected.entrySet()) {
        assertThat(rows(s, e.getKey())).isEqualTo(e.getValue());
      }
    }
    rawDelete(dir, "rows", List.of(hex(rowKey(1, 2, integer(0)))));
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      assertThatThrownBy(() -> s.load(2))
          .isExactlyInstanceOf(CuStateException.class)
          .hasMessageContaining("table 2");
    }
  }
}
