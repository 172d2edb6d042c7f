package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.decoded;
import static dev.cu.store.LmdbTestSupport.fast;
import static dev.cu.store.LmdbTestSupport.integer;
import static dev.cu.store.LmdbTestSupport.ref;
import static dev.cu.store.LmdbTestSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.store.LmdbTestSupport.DeltaBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OverlayTableStore} over an {@link LmdbTableStore}: pending, flush, discard. */
class OverlayTableStoreTest {
  @TempDir Path dir;

  /** Records the backing commits; can fail the next one. */
  private static final class Recording implements TableStore {
    final TableStore inner;
    final List<Set<Long>> commitTables = new ArrayList<>();
    boolean failNext;

    Recording(TableStore inner) {
      this.inner = inner;
    }

    @Override
    public long root(String name) {
      return inner.root(name);
    }

    @Override
    public long nextId() {
      return inner.nextId();
    }

    @Override
    public byte[] load(long id) {
      return inner.load(id);
    }

    @Override
    public long[] commit(Delta delta, long nextId) {
      if (failNext) {
        failNext = false;
        throw new CuStoreException("disk full");
      }
      Set<Long> tables = new TreeSet<>();
      delta.changes().forEach(c -> tables.add(c.table()));
      commitTables.add(tables);
      return inner.commit(delta, nextId);
    }

    @Override
    public Set<Long> tableIds() {
      return inner.tableIds();
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  @Test
  void pendingChangesAreSeenBeforeFlushAndGoneAfterDiscard() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        OverlayTableStore o = new OverlayTableStore(env.store("default"))) {
      TableStore backing = o.backing();
      long home = o.root("home");
      backing.commit(
          new DeltaBuilder()
              .set(home, "a", integer(1))
              .set(home, "b", integer(2))
              .set(home, "c", integer(3))
              .build(),
          backing.nextId());
      long baseNext = backing.nextId();
      assertThat(o.hasPending()).isFalse();

      long t = o.nextId();
      assertThat(
              o.commit(
                  new DeltaBuilder()
                      .set(home, "b", integer(20))
                      .delete(home, "c")
                      .set(home, "t", ref(t))
                      .set(t, "x", integer(9))
                      .build(),
                  t + 1))
          .isEmpty();
      assertThat(o.hasPending()).isTrue();
      assertThat(decoded(o, home))
          .containsEntry("a", 1L)
          .containsEntry("b", 20L)
          .doesNotContainKey("c")
          .containsKey("t");
      assertThat(decoded(o, t)).isEqualTo(Map.of("x", 9L));
      assertThat(o.nextId()).isEqualTo(t + 1);
      assertThat(o.tableIds()).containsExactlyInAnyOrder(home, t);
      assertThat(decoded(backing, home)).isEqualTo(Map.of("a", 1L, "b", 2L, "c", 3L));
      assertThat(backing.load(t)).isNull();

      // deleting every row hides the table, even though the backing store has it
      o.commit(
          new DeltaBuilder().delete(home, "a").delete(home, "b").delete(home, "t").build(),
          o.nextId());
      assertThat(o.load(home)).isNull();
      assertThat(o.tableIds()).containsExactly(home);

      o.discard();
      assertThat(o.hasPending()).isFalse();
      assertThat(decoded(o, home)).isEqualTo(Map.of("a", 1L, "b", 2L, "c", 3L));
      assertThat(o.load(t)).isNull();
      assertThat(o.nextId()).isEqualTo(baseNext);
      assertThat(o.flush()).isEmpty();
    }
  }

  @Test
  void flushWritesEverythingInOneCommitAndReopeningShowsOnlyFlushedState() {
    long home;
    long t;
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast())) {
      Recording rec = new Recording(env.store("default"));
      try (OverlayTableStore o = new OverlayTableStore(rec)) {
        home = o.root("home");
        t = o.nextId();
        o.commit(new DeltaBuilder().set(home, "t", ref(t)).set(t, "x", integer(1)).build(), t + 1);
        o.commit(
            new DeltaBuilder().set(t, "y", integer(2)).set(home, "n", integer(5)).build(), t + 1);
        o.commit(new DeltaBuilder().set(t, "x", integer(3)).build(), t + 1);
        assertThat(rec.commitTables).isEmpty();
        rec.failNext = true;
        assertThatThrownBy(o::flush).isInstanceOf(CuStoreException.class);
        assertThat(o.hasPending()).isTrue(); // a failed flush keeps the changes
        assertThat(o.flush()).isEmpty();
        assertThat(rec.commitTables).containsExactly(Set.of(home, t));
        assertThat(o.hasPending()).isFalse();
        assertThat(decoded(rec, t)).isEqualTo(Map.of("x", 3L, "y", 2L));
        assertThat(rec.nextId()).isEqualTo(t + 1);
        // committed after the flush, never flushed
        o.commit(new DeltaBuilder().set(home, "n", integer(6)).build(), t + 1);
        assertThat(decoded(o, home)).containsEntry("n", 6L);
      }
    }
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        OverlayTableStore o = new OverlayTableStore(env.store("default"))) {
      assertThat(decoded(o, home)).containsEntry("n", 5L);
      assertThat(decoded(o, t)).isEqualTo(Map.of("x", 3L, "y", 2L));
      assertThat(o.hasPending()).isFalse();
    }
  }

  @Test
  void tablesCreatedAndDroppedBeforeAFlushAreNeverWritten() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast())) {
      Recording rec = new Recording(env.store("default"));
      try (OverlayTableStore o = new OverlayTableStore(rec)) {
        long home = o.root("home");
        long a = o.nextId();
        long b = a + 1;
        long c = a + 2;
        long d = a + 3;
        // home.a -> a -> b -> a (cycle); home.c -> c -> d
        o.commit(
            new DeltaBuilder()
                .set(home, "a", ref(a))
                .set(a, "b", ref(b))
                .set(b, "a", ref(a))
                .set(home, "c", ref(c))
                .set(c, "d", ref(d))
                .set(d, "v", integer(1))
                .build(),
            d + 1);
        assertThat(o.commit(new DeltaBuilder().delete(home, "a").build(), d + 1))
            .containsExactly(a, b);
        assertThat(o.commit(new DeltaBuilder().set(home, "c", integer(0)).build(), d + 1))
            .containsExactly(c, d);
        assertThat(o.load(a)).isNull();
        assertThat(o.load(d)).isNull();
        long e = d + 1;
        assertThat(o.commit(new DeltaBuilder().set(e, "lonely", integer(1)).build(), e + 1))
            .containsExactly(e);
        // a removed table written again in full (re-attached) comes back
        o.commit(new DeltaBuilder().set(home, "d", ref(d)).set(d, "v", integer(1)).build(), e + 1);
        assertThat(o.flush()).isEmpty();
        assertThat(rec.commitTables).containsExactly(Set.of(home, d));
        assertThat(rec.tableIds()).containsExactlyInAnyOrder(home, d);
        assertThat(rec.nextId()).isEqualTo(e + 1);
      }
    }
  }

  @Test
  void tablesOfTheBackingStoreAreReclaimedByTheFlush() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        OverlayTableStore o = new OverlayTableStore(env.store("default"))) {
      long home = o.root("home");
      long t = o.nextId();
      long u = t + 1;
      o.commit(
          new DeltaBuilder()
              .set(home, "t", ref(t))
              .set(t, "v", integer(1))
              .set(home, "u", ref(u))
              .set(u, "v", integer(2))
              .build(),
          u + 1);
      o.flush();
      // t dropped and attached again before the flush: kept; u dropped: reclaimed by the flush
      long n = o.nextId();
      assertThat(
              o.commit(
                  new DeltaBuilder()
                      .delete(home, "t")
                      .delete(home, "u")
                      .set(u, "n", ref(n))
                      .set(n, "v", integer(3))
                      .build(),
                  n + 1))
          .isEmpty();
      assertThat(decoded(o, t)).isEqualTo(Map.of("v", 1L)); // still there until the flush
      assertThat(o.commit(new DeltaBuilder().set(home, "t2", ref(t)).build(), n + 1)).isEmpty();
      assertThat(o.flush()).containsExactly(u, n);
      assertThat(o.backing().tableIds()).containsExactlyInAnyOrder(home, t);
      assertThat(decoded(o, t)).isEqualTo(Map.of("v", 1L));
    }
  }

  @Test
  void rootsMadeWhilePendingDoNotReuseIdsAndBadCommitsApplyNothing() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        OverlayTableStore o = new OverlayTableStore(env.store("default"))) {
      long home = o.root("home");
      long t = o.nextId();
      o.commit(new DeltaBuilder().set(home, "t", ref(t)).set(t, "v", integer(1)).build(), t + 10);
      long late = o.root("late");
      assertThat(late).isGreaterThanOrEqualTo(t + 10);
      assertThat(o.nextId()).isGreaterThan(late);
      o.commit(new DeltaBuilder().set(late, "x", integer(1)).build(), o.nextId());
      assertThat(decoded(o, late)).isEqualTo(Map.of("x", 1L));

      Map<String, String> before = rows(o, home);
      byte[] badRef = ref(-1); // an id of 2^64-1, which no table can have
      assertThatThrownBy(
              () ->
                  o.commit(
                      new DeltaBuilder()
                          .set(home, "z", integer(1))
                          .set(home, "bad", badRef)
                          .build(),
                      o.nextId() + 100))
          .isInstanceOf(CuStoreException.class);
      assertThat(rows(o, home)).isEqualTo(before);
      o.flush();
      assertThat(decoded(o.backing(), late)).isEqualTo(Map.of("x", 1L));
      assertThat(o.backing().tableIds()).containsExactlyInAnyOrder(home, t, late);
    }
  }
}
