package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.fast;
import static dev.cu.store.LmdbTestSupport.integer;
import static dev.cu.store.LmdbTestSupport.raw;
import static dev.cu.store.LmdbTestSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.store.LmdbTestSupport.DeltaBuilder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing, labelling and dropping namespaces ({@link LmdbEnvironment}, {@link LmdbTableStore}). */
class LmdbNamespacesTest {
  @TempDir Path dir;

  private static void fill(LmdbTableStore s, int n) {
    long home = s.root("home");
    DeltaBuilder d = new DeltaBuilder();
    for (int i = 0; i < n; i++) {
      d.set(home, "k" + i, integer(i));
    }
    s.commit(d.build(), s.nextId());
  }

  @Test
  void namespacesAreListedWithoutTheirSnapshots() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast())) {
      assertThat(env.namespaces()).isEmpty();
      try (LmdbTableStore a = env.store("b.two");
          LmdbTableStore b = env.store("a.one")) {
        fill(a, 3);
        a.saveSnapshot("s1");
      }
      assertThat(env.namespaces()).containsExactly("a.one", "b.two");
      assertThat(env.hasNamespace("a.one")).isTrue();
      assertThat(env.hasNamespace("b.two@s1")).isTrue(); // a snapshot's rows, not listed
      assertThat(env.hasNamespace("c")).isFalse();
    }
  }

  @Test
  void aLabelIsKeptAcrossReopeningAndReplaced() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast())) {
      try (LmdbTableStore s = env.store("h.x")) {
        assertThat(env.label("h.x")).isNull();
        s.setLabel("the key/ü");
        assertThatThrownBy(() -> s.setLabel(null)).isInstanceOf(IllegalArgumentException.class);
      }
      assertThat(env.label("missing")).isNull();
    }
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast())) {
      assertThat(env.label("h.x")).isEqualTo("the key/ü");
      try (LmdbTableStore s = env.store("h.x")) {
        s.setLabel("other");
        fill(s, 2);
        s.clear(); // the state goes, the label stays
      }
      assertThat(env.label("h.x")).isEqualTo("other");
    }
  }

  @Test
  void dropDeletesEverythingOfOneNamespaceAndNothingElse() {
    Map<String, String> kept;
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore keep = env.store("keep")) {
      fill(keep, 5);
      keep.saveSnapshot("k1");
      kept = rows(keep, keep.root("home"));
    }
    Set<String> metaBefore = raw(dir, "meta").keySet();
    Set<String> rowsBefore = raw(dir, "rows").keySet();
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast())) {
      LmdbTableStore gone = env.store("gone");
      fill(gone, 7);
      gone.setLabel("label");
      gone.saveSnapshot("s1");
      gone.saveSnapshot("s2");
      gone.drop();
      assertThatThrownBy(() -> gone.root("home")).isInstanceOf(CuStoreException.class);
      gone.close(); // idempotent after drop
      assertThat(env.namespaces()).containsExactly("keep");
      assertThat(env.hasNamespace("gone@s1")).isFalse();
      assertThat(env.label("gone")).isNull();
    }
    assertThat(raw(dir, "meta").keySet()).isEqualTo(metaBefore);
    assertThat(raw(dir, "rows").keySet()).isEqualTo(rowsBefore);
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast())) {
      try (LmdbTableStore again = env.store("gone")) { // held no more, and empty
        assertThat(again.load(again.root("home"))).isNull();
        assertThat(again.listSnapshots()).isEmpty();
      }
      try (LmdbTableStore keep = env.store("keep")) {
        assertThat(rows(keep, keep.root("home"))).isEqualTo(kept);
        assertThat(keep.listSnapshots()).containsExactly("k1");
      }
    }
    StoreVerifier.Report r = StoreVerifier.verify(dir, fast());
    assertThat(r.findings()).isEmpty();
    assertThat(r.ok()).isTrue();
  }
}
