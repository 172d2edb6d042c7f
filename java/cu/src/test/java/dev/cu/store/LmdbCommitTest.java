package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.closure;
import static dev.cu.store.LmdbTestSupport.counts;
import static dev.cu.store.LmdbTestSupport.fast;
import static dev.cu.store.LmdbTestSupport.funcref;
import static dev.cu.store.LmdbTestSupport.integer;
import static dev.cu.store.LmdbTestSupport.ref;
import static dev.cu.store.LmdbTestSupport.rows;
import static dev.cu.store.LmdbTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.codec.Cbor;
import dev.cu.store.LmdbTestSupport.DeltaBuilder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shortcuts of an LMDB commit: rows of tables new to the namespace written without a search,
 * a reclaimed table's rows deleted in one pass of the cursor, counts a commit leaves as stored
 * not written again, meta records written in key order. Each case checks the rows, the stored
 * reference counts against the rows, and the whole file with {@link StoreVerifier}.
 */
class LmdbCommitTest {
  @TempDir Path dir;

  /** The file in {@link #dir}, open between {@link #open} and {@link #close}. */
  private LmdbEnvironment env;

  /** The namespace "default" of {@link #env}. */
  private LmdbTableStore s;

  /** The root "home" of {@link #s}. */
  private long home;

  @BeforeEach
  void open() {
    env = LmdbEnvironment.open(dir, fast());
    s = env.store("default");
    home = s.root("home");
  }

  /** Closes the store and its file, if open. */
  @AfterEach
  void close() {
    if (env != null) {
      s.close();
      env.close();
      env = null;
      s = null;
    }
  }

  /**
   * Commits table {@code s.nextId()} with the row v = 7, referenced from each of home's keys.
   *
   * @return the table's id
   */
  private long referencedTable(String... keys) {
    long t = s.nextId();
    DeltaBuilder d = new DeltaBuilder();
    d.set(t, "v", integer(7));
    for (String k : keys) {
      d.set(home, k, ref(t));
    }
    s.commit(d.build(), t + 1);
    return t;
  }

  /** Stored counts equal the rows' references. */
  private void assertSound() {
    assertSound("default");
  }

  /** Namespace {@code ns}'s stored counts equal its rows' references. */
  private void assertSound(String ns) {
    Map<String, Map<Long, Long>> c = counts(env, ns);
    assertThat(c.get("stored")).isEqualTo(c.get("implied"));
  }

  /** Stored counts equal the rows' references; closed, the file verifies clean. */
  private void assertSoundAndVerified() {
    assertSound();
    close();
    StoreVerifier.Report r = StoreVerifier.verify(dir, fast());
    assertThat(r.findings()).isEmpty();
    assertThat(r.ok()).isTrue();
  }

  @Test
  void aNewTableWrittenTwiceInOneCommitKeepsTheLaterRow() {
    long t = s.nextId();
    DeltaBuilder d = new DeltaBuilder();
    d.set(t, "a", text("first"));
    d.set(t, "b", text("kept"));
    d.set(t, "a", text("second")); // found in the same commit: replaced, not added twice
    d.set(t, "b", new byte[] {(byte) Cbor.NULL});
    d.set(home, "t", ref(t));
    assertThat(s.commit(d.build(), t + 1)).isEmpty();
    assertThat(rows(s, t)).containsOnlyKeys(LmdbTestSupport.hex(text("a")));
    assertThat(LmdbTestSupport.decoded(s, t)).isEqualTo(Map.of("a", "second"));
    assertSoundAndVerified();
  }

  @Test
  void aNewTableWhoseRowsGoInTheSameCommitIsReclaimed() {
    long t = s.nextId();
    DeltaBuilder d = new DeltaBuilder();
    d.set(t, "a", text("gone"));
    d.set(t, "a", new byte[] {(byte) Cbor.NULL});
    d.set(t + 1, "x", ref(t)); // a new table that refers to t, itself unreferenced
    assertThat(s.commit(d.build(), t + 2)).containsExactly(t, t + 1);
    assertThat(s.load(t)).isNull();
    assertThat(s.load(t + 1)).isNull();
    d = new DeltaBuilder();
    d.set(home, "k", integer(1));
    s.commit(d.build(), t + 2);
    assertSoundAndVerified();
  }

  @Test
  void aReclaimedTableLosesEveryRowAndItsNeighboursKeepTheirs() {
    long first = s.nextId();
    DeltaBuilder d = new DeltaBuilder();
    for (long t = first; t < first + 3; t++) { // rows over many pages, tables side by side
      for (int i = 0; i < 400; i++) {
        d.set(t, integer(i), text(("row " + i + " of " + t + " ").repeat(8)));
      }
      d.set(home, integer(t), ref(t));
    }
    s.commit(d.build(), first + 3);
    d = new DeltaBuilder();
    d.delete(home, integer(first + 1)); // the middle one goes
    assertThat(s.commit(d.build(), first + 3)).containsExactly(first + 1);
    assertThat(s.load(first + 1)).isNull();
    assertThat(rows(s, first)).hasSize(400);
    assertThat(rows(s, first + 2)).hasSize(400);
    assertThat(s.tableIds()).containsExactly(home, first, first + 2);
    assertSoundAndVerified();
  }

  /**
   * Reclaimed tables are deleted in ascending order through one cursor, and a deletion starts
   * where the previous one left the cursor when that is at or past the table's first row: here
   * on the next table's rows, before an empty table, before a kept table (a search then), after
   * a cascade to a higher id, at the namespace's last table and past it, with another namespace
   * behind and without.
   */
  @Test
  void reclaimedTablesSideBySideLoseTheirRowsAndOnlyTheirs() {
    try (LmdbTableStore other = env.store("other")) {
      long oh = other.root("home");
      DeltaBuilder d = new DeltaBuilder();
      for (int i = 0; i < 50; i++) {
        d.set(oh, integer(i), text("other " + i));
      }
      other.commit(d.build(), other.nextId());
      long t = s.nextId(); // tables t .. t+8; t+3 and t+7 are empty, t+8 only t+2 refers to
      d = new DeltaBuilder();
      for (long id = t; id <= t + 8; id++) {
        if (id != t + 3 && id != t + 7) {
          for (int i = 0; i < 120; i++) {
            d.set(id, integer(i), text(("row " + i + " of " + id + " ").repeat(4)));
          }
        }
        if (id != t + 8) {
          d.set(home, integer(id), ref(id));
        }
      }
      d.set(t + 2, text("next"), ref(t + 8));
      d.set(home, text("empty"), ref(t + 9)); // an empty table above all others
      s.commit(d.build(), t + 10);
      d = new DeltaBuilder();
      for (long id : new long[] {t + 1, t + 2, t + 3, t + 5, t + 6, t + 7}) {
        d.delete(home, integer(id));
      }
      assertThat(s.commit(d.build(), t + 10))
          .containsExactly(t + 1, t + 2, t + 3, t + 5, t + 6, t + 7, t + 8);
      for (long id : new long[] {t + 1, t + 2, t + 5, t + 6, t + 8}) {
        assertThat(s.load(id)).isNull();
      }
      assertThat(rows(s, t)).hasSize(120);
      assertThat(rows(s, t + 4)).hasSize(120);
      assertThat(s.tableIds()).containsExactly(home, t, t + 4);
      assertThat(rows(other, oh)).hasSize(50);
      assertSound("default");
      assertSound("other");
      // now without rows behind: the last deletion leaves the cursor past the DBI's end
      d = new DeltaBuilder();
      for (int i = 0; i < 50; i++) {
        d.delete(oh, integer(i));
      }
      other.commit(d.build(), other.nextId());
      d = new DeltaBuilder();
      d.delete(home, integer(t));
      d.delete(home, integer(t + 4));
      d.delete(home, text("empty"));
      assertThat(s.commit(d.build(), t + 10)).containsExactly(t, t + 4, t + 9);
      assertThat(s.tableIds()).containsExactly(home);
      assertSound("default");
    }
    assertSoundAndVerified();
  }

  @Test
  void aReferenceMovedWithinOneCommitKeepsItsCount() {
    long t = referencedTable("a", "b");
    DeltaBuilder d = new DeltaBuilder();
    d.delete(home, "a"); // 2 -> 1
    d.set(home, "c", ref(t)); // 1 -> 2: as stored, so not written again
    assertThat(s.commit(d.build(), t + 1)).isEmpty();
    assertSound();
    d = new DeltaBuilder();
    d.delete(home, "b");
    d.delete(home, "c");
    assertThat(s.commit(d.build(), t + 1)).containsExactly(t); // the count was right
    assertSoundAndVerified();
  }

  @Test
  void closuresReplacedEveryCommitLeaveOnlyTheLastOnes() {
    long fns = s.nextId();
    DeltaBuilder d = new DeltaBuilder();
    d.set(home, "fns", ref(fns));
    s.commit(d.build(), fns + 1);
    for (int round = 0; round < 5; round++) { // as functionPersist: 50 new closures a round
      long next = s.nextId();
      d = new DeltaBuilder();
      for (int i = 0; i < 50; i++) {
        long f = next + 2L * i;
        d.set(fns, integer(i), funcref(f));
        d.set(f + 1, integer(1), integer(round * 100 + i));
        d.set(f, integer(0), closure("return k + " + i, f + 1));
      }
      long[] removed = s.commit(d.build(), next + 100);
      assertThat(removed).hasSize(round == 0 ? 0 : 100);
      assertThat(rows(s, fns)).hasSize(50);
      assertSound();
    }
    assertThat(s.tableIds()).hasSize(2 + 100);
    assertSoundAndVerified();
  }

  @Test
  void aDamagedReferenceRowFailsTheCommitThatReplacesIt() {
    long t = referencedTable("a");
    close();
    String lk = LmdbTestSupport.hex(LmdbTestSupport.rowKey(1, home, text("a")));
    byte[] row = LmdbTestSupport.raw(dir, "rows").get(lk);
    byte[] damaged = row.clone();
    damaged[damaged.length - 1] ^= 1; // another id, as a flipped bit makes it
    LmdbTestSupport.rawPut(dir, "rows", Map.of(lk, damaged));
    open();
    DeltaBuilder d = new DeltaBuilder();
    d.set(home, "a", integer(1));
    assertThatThrownBy(() -> s.commit(d.build(), t + 1))
        .isInstanceOf(CuStateException.class)
        .hasMessageContaining("CRC32C");
    close();
    assertThat(LmdbTestSupport.raw(dir, "rows").get(lk)).isEqualTo(damaged); // nothing changed
  }
}
