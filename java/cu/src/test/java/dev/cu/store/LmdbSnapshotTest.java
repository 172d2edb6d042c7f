package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.fast;
import static dev.cu.store.LmdbTestSupport.function;
import static dev.cu.store.LmdbTestSupport.hex;
import static dev.cu.store.LmdbTestSupport.integer;
import static dev.cu.store.LmdbTestSupport.ref;
import static dev.cu.store.LmdbTestSupport.rows;
import static dev.cu.store.LmdbTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.store.LmdbTestSupport.DeltaBuilder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named snapshots of an {@link LmdbTableStore} namespace. */
class LmdbSnapshotTest {
  @TempDir Path dir;

  @Test
  void saveListLoadAndDelete() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      long t = s.nextId();
      s.commit(
          new DeltaBuilder()
              .set(home, "v", integer(1))
              .set(home, "t", ref(t))
              .set(home, "t2", ref(t))
              .set(t, "f", function("return 1"))
              .set(t, "big", text("snapshot ".repeat(500)))
              .set(t, "k".repeat(700), integer(7))
              .build(),
          t + 1);
      Map<String, String> homeV1 = rows(s, home);
      Map<String, String> tV1 = rows(s, t);
      long nextV1 = s.nextId();
      assertThat(s.listSnapshots()).isEmpty();
      s.saveSnapshot("v1");

      // change everything: rows, a new root, the next id, and reclaim t
      long u = s.nextId();
      s.commit(
          new DeltaBuilder()
              .set(home, "v", integer(2))
              .delete(home, "t")
              .delete(home, "t2")
              .set(home, "u", ref(u))
              .set(u, "x", integer(3))
              .build(),
          u + 5);
      assertThat(s.load(t)).isNull();
      long extra = s.root("extra");
      s.saveSnapshot("v2");
      Map<String, String> homeV2 = rows(s, home);
      assertThat(s.listSnapshots()).containsExactly("v1", "v2");

      s.loadSnapshot("v1");
      assertThat(rows(s, home)).isEqualTo(homeV1);
      assertThat(rows(s, t)).isEqualTo(tV1); // function row re-signed for its namespace
      assertThat(s.load(u)).isNull();
      assertThat(s.nextId()).isEqualTo(nextV1);
      assertThat(s.tableIds()).containsExactlyInAnyOrder(home, t);
      assertThat(s.root("extra")).isEqualTo(nextV1); // extra did not exist at v1
      assertThat(s.listSnapshots()).containsExactly("v1", "v2"); // the list is kept
      // the reference counts came back too: t is held twice
      assertThat(s.commit(new DeltaBuilder().delete(home, "t").build(), s.nextId())).isEmpty();
      assertThat(s.commit(new DeltaBuilder().delete(home, "t2").build(), s.nextId()))
          .containsExactly(t);

      s.loadSnapshot("v2");
      assertThat(rows(s, home)).isEqualTo(homeV2);
      assertThat(s.root("extra")).isEqualTo(extra);
      assertThat(s.nextId()).isEqualTo(extra + 1);

      assertThat(s.deleteSnapshot("v1")).isTrue();
      assertThat(s.deleteSnapshot("v1")).isFalse();
      assertThat(s.listSnapshots()).containsExactly("v2");
      assertThatThrownBy(() -> s.loadSnapshot("v1"))
          .isExactlyInstanceOf(CuStoreException.class)
          .hasMessageContaining("no snapshot v1");
    }
    Set<String> namespaces = new java.util.TreeSet<>();
    LmdbTestSupport.raw(dir, "meta").keySet().stream()
        .filter(k -> k.startsWith("4e"))
        .forEach(
            k ->
                namespaces.add(
                    new String(
                        LmdbTestSupport.unhex(k.substring(2)),
                        java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(namespaces).containsExactly("default", "default@v2"); // v1 fully removed
    // no rows of deleted snapshot namespaces are left behind
    assertThat(LmdbTestSupport.raw(dir, "rows").keySet())
        .allSatisfy(k -> assertThat(k).matches("0000000[13].*"));
  }

  @Test
  void savingAgainReplacesAndSnapshotsSurviveReopening() {
    long home;
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      home = s.root("home");
      s.commit(
          new DeltaBuilder().set(home, "a", integer(1)).set(home, "b", integer(1)).build(),
          s.nextId());
      s.saveSnapshot("s");
      s.commit(new DeltaBuilder().delete(home, "b").set(home, "a", integer(2)).build(), s.nextId());
      s.saveSnapshot("s"); // replaces: b must not come back
      s.commit(new DeltaBuilder().set(home, "a", integer(3)).build(), s.nextId());
    }
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      assertThat(s.listSnapshots()).containsExactly("s");
      s.loadSnapshot("s");
      assertThat(rows(s, home)).isEqualTo(Map.of(hex(text("a")), hex(integer(2))));
    }
  }

  @Test
  void snapshotsBelongToTheirNamespace() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore a = env.store("a");
        LmdbTableStore b = env.store("b")) {
      long ha = a.root("home");
      long hb = b.root("home");
      a.commit(new DeltaBuilder().set(ha, "who", text("a")).build(), a.nextId());
      b.commit(new DeltaBuilder().set(hb, "who", text("b")).build(), b.nextId());
      a.saveSnapshot("x");
      assertThat(b.listSnapshots()).isEmpty();
      assertThatThrownBy(() -> b.loadSnapshot("x")).isInstanceOf(CuStoreException.class);
      b.saveSnapshot("x");
      b.commit(new DeltaBuilder().set(hb, "who", text("b2")).build(), b.nextId());
      a.commit(new DeltaBuilder().set(ha, "who", text("a2")).build(), a.nextId());
      b.loadSnapshot("x");
      assertThat(rows(b, hb)).containsEntry(hex(text("who")), hex(text("b")));
      assertThat(rows(a, ha)).containsEntry(hex(text("who")), hex(text("a2")));
      assertThatThrownBy(() -> env.store("a@x")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void badNamesAreRefused() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      for (String bad :
          new String[] {"", "a/b", "a@b", "with space", "x".repeat(65), "é", "a\nb", null}) {
        assertThatThrownBy(() -> s.saveSnapshot(bad))
            .isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.loadSnapshot(bad))
            .isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.deleteSnapshot(bad))
            .isExactlyInstanceOf(IllegalArgumentException.class);
      }
      s.saveSnapshot("A-z_0.9");
      s.saveSnapshot("x".repeat(64));
      assertThat(s.listSnapshots()).containsExactly("A-z_0.9", "x".repeat(64));
    }
  }

  @Test
  void aDamagedRowFailsTheSnapshotAndLeavesTheOldOne() {
    long home;
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      home = s.root("home");
      s.commit(
          new DeltaBuilder().set(home, "a", integer(1)).set(home, "b", integer(2)).build(),
          s.nextId());
      s.saveSnapshot("good");
    }
    String key = hex(LmdbTestSupport.rowKey(1, home, text("b")));
    byte[] v = LmdbTestSupport.raw(dir, "rows").get(key).clone();
    v[v.length - 1] ^= 1;
    LmdbTestSupport.rawPut(dir, "rows", Map.of(key, v));
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      assertThatThrownBy(() -> s.saveSnapshot("good"))
          .isExactlyInstanceOf(CuStateException.class)
          .hasMessageContaining("namespace default, table " + home);
      s.loadSnapshot("good"); // repairs the namespace
      assertThat(rows(s, home)).containsEntry(hex(text("b")), hex(integer(2)));
    }
  }
}
