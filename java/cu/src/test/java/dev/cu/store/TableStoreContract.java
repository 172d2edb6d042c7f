package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.decoded;
import static dev.cu.store.LmdbTestSupport.head;
import static dev.cu.store.LmdbTestSupport.integer;
import static dev.cu.store.LmdbTestSupport.ref;
import static dev.cu.store.LmdbTestSupport.rows;
import static dev.cu.store.LmdbTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cu.store.LmdbTestSupport.DeltaBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link TableStore} contract (its class comment) as tests: extend this class with {@link
 * #open()} (and, for a store that keeps its content, {@link #reopen}) to run them against an
 * implementation. Each test opens one store over empty content and drives it with deltas as the
 * VM does.
 */
public abstract class TableStoreContract {
  private TableStore store;

  /** Opens the store under test over empty content; called once per test. */
  protected abstract TableStore open();

  /**
   * Closes {@code store} and opens its content again, as a later process would; null when the
   * store keeps nothing past {@link TableStore#close()} (the default, which closes it).
   */
  protected TableStore reopen(TableStore store) {
    store.close();
    return null;
  }

  /**
   * Completes the removals that {@code store} defers past {@link TableStore#commit} and returns
   * their ids; the default, for a store that removes at once, returns none.
   */
  protected long[] deferredRemovals(TableStore store) {
    return new long[0];
  }

  /** Releases what {@link #open()} needed besides the store; runs after the store is closed. */
  protected void cleanUp() {}

  @AfterEach
  final void closeStore() {
    try {
      if (store != null) {
        store.close();
      }
    } finally {
      cleanUp();
    }
  }

  private TableStore store() {
    if (store == null) {
      store = open();
    }
    return store;
  }

  @Test
  void rootsAreStableDistinctListedAndBelowTheNextId() {
    TableStore s = store();
    long home = s.root("home");
    long io = s.root("io");
    assertThat(io).isNotEqualTo(home);
    assertThat(s.root("home")).isEqualTo(home);
    assertThat(s.root("io")).isEqualTo(io);
    assertThat(home).isNotNegative();
    assertThat(io).isNotNegative();
    assertThat(s.nextId()).isGreaterThan(Math.max(home, io));
    assertThat(s.tableIds()).containsExactlyInAnyOrder(home, io);
    assertThat(s.load(home)).isNull();
    assertThat(s.load(s.nextId() + 1000)).isNull();
  }

  @Test
  void committedRowsLoadAsOneMapAndLaterChangesWin() {
    TableStore s = store();
    long home = s.root("home");
    assertThat(
            s.commit(
                new DeltaBuilder()
                    .set(home, "a", integer(1))
                    .set(home, "b", text("x"))
                    .set(home, "gone", integer(0))
                    .build(),
                s.nextId()))
        .isEmpty();
    assertThat(decoded(s, home)).isEqualTo(Map.of("a", 1L, "b", "x", "gone", 0L));
    s.commit(
        new DeltaBuilder()
            .set(home, "a", integer(2))
            .delete(home, "gone")
            .set(home, "k", integer(1))
            .set(home, "k", integer(2))
            .delete(home, "b")
            .set(home, "b", text("y"))
            .delete(home, "never")
            .build(),
        s.nextId());
    assertThat(decoded(s, home)).isEqualTo(Map.of("a", 2L, "b", "y", "k", 2L));
    // keys are compared as bytes: the integer 1 and the text "1" are two rows
    s.commit(
        new DeltaBuilder()
            .set(home, integer(1), text("int"))
            .set(home, text("1"), text("text"))
            .build(),
        s.nextId());
    assertThat(decoded(s, home)).containsEntry(1L, "int").containsEntry("1", "text");
  }

  @Test
  void aTableWhoseRowsAreAllDeletedIsNoLongerListedButStaysReferenced() {
    TableStore s = store();
    long home = s.root("home");
    long t = s.nextId();
    s.commit(
        new DeltaBuilder()
            .set(home, "t", ref(t))
            .set(home, "n", integer(1))
            .set(t, "x", integer(1))
            .build(),
        t + 1);
    assertThat(s.tableIds()).contains(home, t);
    assertThat(s.commit(new DeltaBuilder().delete(t, "x").delete(home, "n").build(), t + 1))
        .isEmpty();
    assertThat(s.load(t)).isNull();
    assertThat(s.tableIds()).doesNotContain(t).contains(home);
    // still referenced: rows written later belong to the same table
    s.commit(new DeltaBuilder().set(t, "y", integer(2)).build(), t + 1);
    assertThat(decoded(s, t)).isEqualTo(Map.of("y", 2L));
    // a root with no rows is still listed
    s.commit(new DeltaBuilder().delete(home, "t").build(), t + 1);
    assertThat(s.load(home)).isNull();
    assertThat(s.tableIds()).contains(home).doesNotContain(t);
  }

  @Test
  void theNextIdOnlyGrowsAndNewRootsTakeFreshIds() {
    TableStore s = store();
    long home = s.root("home");
    long next = s.nextId();
    s.commit(new DeltaBuilder().set(home, "a", integer(1)).build(), next + 5);
    assertThat(s.nextId()).isEqualTo(next + 5);
    s.commit(new DeltaBuilder().set(home, "a", integer(2)).build(), next);
    assertThat(s.nextId()).isEqualTo(next + 5);
    long late = s.root("late");
    assertThat(late).isGreaterThanOrEqualTo(next + 5);
    assertThat(s.nextId()).isGreaterThan(late);
    // a table removed does not give its id back
    long t = s.nextId();
    assertThat(s.commit(new DeltaBuilder().set(t, "x", integer(1)).build(), t + 1))
        .containsExactly(t);
    assertThat(s.nextId()).isEqualTo(t + 1);
    assertThat(s.root("later")).isGreaterThan(t);
  }

  @Test
  void aTableNothingRefersToIsRemovedByTheCommitThatCreatedIt() {
    TableStore s = store();
    long home = s.root("home");
    long t = s.nextId();
    assertThat(
            s.commit(
                new DeltaBuilder()
                    .set(home, "a", integer(1))
                    .set(t, "x", integer(1))
                    .set(t + 1, "y", ref(t))
                    .build(),
                t + 2))
        .containsExactly(t, t + 1);
    assertThat(s.load(t)).isNull();
    assertThat(s.load(t + 1)).isNull();
    assertThat(s.tableIds()).containsExactly(home);
    assertThat(decoded(s, home)).isEqualTo(Map.of("a", 1L));
  }

  @Test
  void droppingTheLastReferenceRemovesAChainInCascade() {
    TableStore s = store();
    long home = s.root("home");
    long io = s.root("io");
    long a = s.nextId();
    long b = a + 1;
    long c = a + 2;
    s.commit(
        new DeltaBuilder()
            .set(home, "a", ref(a))
            .set(a, "b", ref(b))
            .set(b, "c", ref(c))
            .set(c, "v", integer(3))
            .set(home, "keep", integer(1))
            .build(),
        c + 1);
    assertThat(s.tableIds()).containsExactlyInAnyOrder(home, io, a, b, c);
    assertThat(s.commit(new DeltaBuilder().delete(home, "a").build(), c + 1))
        .containsExactly(a, b, c);
    assertThat(s.tableIds()).containsExactlyInAnyOrder(home, io);
    assertThat(s.load(a)).isNull();
    assertThat(s.load(c)).isNull();
    // overwriting a reference with another drops the old one the same way
    long d = s.nextId();
    s.commit(new DeltaBuilder().set(home, "r", ref(d)).set(d, "v", integer(1)).build(), d + 1);
    assertThat(
            s.commit(
                new DeltaBuilder().set(home, "r", ref(d + 1)).set(d + 1, "v", integer(2)).build(),
                d + 2))
        .containsExactly(d);
    assertThat(decoded(s, d + 1)).isEqualTo(Map.of("v", 2L));
  }

  @Test
  void aSharedTableSurvivesUntilItsLastReferenceGoes() {
    TableStore s = store();
    long home = s.root("home");
    long t = s.nextId();
    long u = t + 1;
    s.commit(
        new DeltaBuilder()
            .set(home, "t1", ref(t))
            .set(home, "t2", ref(t))
            .set(u, "t", ref(t))
            .set(home, "u", ref(u))
            .set(t, "v", integer(1))
            .build(),
        u + 1);
    assertThat(s.commit(new DeltaBuilder().delete(home, "t1").build(), u + 1)).isEmpty();
    assertThat(s.commit(new DeltaBuilder().delete(home, "u").build(), u + 1)).containsExactly(u);
    assertThat(decoded(s, t)).isEqualTo(Map.of("v", 1L));
    assertThat(s.commit(new DeltaBuilder().set(home, "t2", integer(0)).build(), u + 1))
        .containsExactly(t);
    assertThat(s.tableIds()).containsExactly(home);
  }

  /**
   * A row written again with the bytes it holds ({@code _home.t = _home.t or {}}) changes
   * nothing: no table goes, and the counts stay exact, so the later real drops remove exactly
   * what they should.
   */
  @Test
  void aRowRewrittenUnchangedKeepsCountsExact() {
    TableStore s = store();
    long home = s.root("home");
    long t = s.nextId();
    long u = t + 1;
    s.commit(
        new DeltaBuilder()
            .set(home, "t", ref(t))
            .set(home, "t2", ref(t))
            .set(t, "u", ref(u))
            .set(u, "v", integer(1))
            .build(),
        u + 1);
    for (int i = 0; i < 3; i++) {
      assertThat(
              s.commit(
                  new DeltaBuilder()
                      .set(home, "t", ref(t))
                      .set(t, "u", ref(u))
                      .set(u, "v", integer(1))
                      .build(),
                  u + 1))
          .isEmpty();
    }
    assertThat(decoded(s, u)).isEqualTo(Map.of("v", 1L));
    assertThat(s.commit(new DeltaBuilder().delete(home, "t").build(), u + 1)).isEmpty();
    Set<Long> removed = new TreeSet<>();
    for (long id : s.commit(new DeltaBuilder().delete(home, "t2").build(), u + 1)) {
      removed.add(id);
    }
    for (long id : deferredRemovals(s)) {
      removed.add(id);
    }
    assertThat(removed).containsExactly(t, u);
    assertThat(s.tableIds()).containsExactly(home);
  }

  @Test
  void garbageCyclesAreSweptWhileReachableTablesStay() {
    TableStore s = store();
    long home = s.root("home");
    long io = s.root("io");
    long a = s.nextId();
    long b = a + 1;
    long c = a + 2;
    long self = a + 3;
    // home.a -> a <-> b, a -> c, home.c -> c; a -> self -> self; home.io -> io
    s.commit(
        new DeltaBuilder()
            .set(home, "a", ref(a))
            .set(a, "b", ref(b))
            .set(b, "a", ref(a))
            .set(a, "c", ref(c))
            .set(home, "c", ref(c))
            .set(c, "v", integer(1))
            .set(a, "s", ref(self))
            .set(self, "me", ref(self))
            .set(home, "io", ref(io))
            .set(io, "x", integer(1))
            .build(),
        self + 1);
    assertThat(s.commit(new DeltaBuilder().delete(home, "a").delete(home, "io").build(), self + 1))
        .containsExactly(a, b, self);
    assertThat(s.tableIds()).containsExactlyInAnyOrder(home, io, c);
    assertThat(decoded(s, c)).isEqualTo(Map.of("v", 1L));
    assertThat(decoded(s, io)).isEqualTo(Map.of("x", 1L));
    // c's count no longer includes a's row: one more drop removes it
    assertThat(s.commit(new DeltaBuilder().delete(home, "c").build(), self + 1)).containsExactly(c);
  }

  @Test
  void aCycleThatOnlyARemovedTableReferredToIsGoneByTheNextSweep() {
    TableStore s = store();
    long home = s.root("home");
    long a = s.nextId();
    long b = a + 1;
    long c = a + 2;
    long d = a + 3;
    // home.a -> a -> b <-> c; home.d1, home.d2 -> d
    s.commit(
        new DeltaBuilder()
            .set(home, "a", ref(a))
            .set(a, "b", ref(b))
            .set(b, "c", ref(c))
            .set(c, "b", ref(b))
            .set(home, "d1", ref(d))
            .set(home, "d2", ref(d))
            .set(d, "v", integer(1))
            .build(),
        d + 1);
    Set<Long> removed = new TreeSet<>();
    for (long id : s.commit(new DeltaBuilder().delete(home, "a").build(), d + 1)) {
      removed.add(id);
    }
    assertThat(removed).contains(a);
    // dropping one of d's two references leaves a shared table: this commit sweeps
    for (long id : s.commit(new DeltaBuilder().delete(home, "d1").build(), d + 1)) {
      removed.add(id);
    }
    for (long id : deferredRemovals(s)) {
      removed.add(id);
    }
    assertThat(removed).containsExactly(a, b, c);
    assertThat(s.tableIds()).containsExactlyInAnyOrder(home, d);
    assertThat(decoded(s, d)).isEqualTo(Map.of("v", 1L));
  }

  @Test
  void aTableSweptWithACycleAndAttachedAgainIsKept() {
    TableStore s = store();
    long home = s.root("home");
    long x = s.nextId();
    long y = x + 1;
    // home.a -> y -> x -> y: the sweep removes x first, then y's reference to x
    s.commit(
        new DeltaBuilder()
            .set(home, "a", ref(y))
            .set(y, "x", ref(x))
            .set(x, "y", ref(y))
            .set(x, "v", integer(2))
            .build(),
        y + 1);
    assertThat(s.commit(new DeltaBuilder().delete(home, "a").build(), y + 1)).containsExactly(x, y);
    // the VM attaches x again, written in full: its count starts from zero again
    assertThat(
            s.commit(
                new DeltaBuilder().set(home, "b", ref(x)).set(x, "v", integer(2)).build(), y + 1))
        .isEmpty();
    assertThat(decoded(s, x)).isEqualTo(Map.of("v", 2L));
    assertThat(s.tableIds()).containsExactlyInAnyOrder(home, x);
    assertThat(s.commit(new DeltaBuilder().delete(home, "b").build(), y + 1)).containsExactly(x);
  }

  @Test
  void rootsAreNeverReclaimed() {
    TableStore s = store();
    long home = s.root("home");
    long io = s.root("io");
    s.commit(
        new DeltaBuilder()
            .set(home, "self", ref(home))
            .set(home, "io", ref(io))
            .set(io, "home", ref(home))
            .set(io, "v", integer(1))
            .build(),
        s.nextId());
    assertThat(
            s.commit(
                new DeltaBuilder()
                    .delete(home, "self")
                    .delete(home, "io")
                    .delete(io, "home")
                    .build(),
                s.nextId()))
        .isEmpty();
    assertThat(s.tableIds()).containsExactlyInAnyOrder(home, io);
    assertThat(decoded(s, io)).isEqualTo(Map.of("v", 1L));
  }

  @Test
  void functionReferencesAndUpvalueBoxesKeepTheirTablesAlive() {
    TableStore s = store();
    long home = s.root("home");
    long fn = s.nextId();
    long box = fn + 1;
    byte[] row = function(box);
    s.commit(
        new DeltaBuilder()
            .set(home, "f", funcref(fn))
            .set(fn, "fn", row)
            .set(box, integer(1), integer(41))
            .build(),
        box + 1);
    assertThat(s.tableIds()).containsExactlyInAnyOrder(home, fn, box);
    assertThat(rows(s, fn)).containsValue(LmdbTestSupport.hex(row));
    assertThat(decoded(s, box)).isEqualTo(Map.of(1L, 41L));
    assertThat(s.commit(new DeltaBuilder().delete(home, "f").build(), box + 1))
        .containsExactly(fn, box);
    assertThat(s.tableIds()).containsExactly(home);
  }

  @Test
  void anEmptyTableIsReportedWhenItsLastReferenceGoes() {
    TableStore s = store();
    long home = s.root("home");
    long e = s.nextId();
    assertThat(s.commit(new DeltaBuilder().set(home, "e", ref(e)).build(), e + 1)).isEmpty();
    assertThat(s.load(e)).isNull();
    assertThat(s.tableIds()).containsExactly(home);
    assertThat(s.commit(new DeltaBuilder().delete(home, "e").build(), e + 1)).containsExactly(e);
  }

  @Test
  void longChainsAndLongCyclesAreReclaimedWithoutRecursion() {
    TableStore s = store();
    long home = s.root("home");
    int n = 5000;
    long first = s.nextId();
    DeltaBuilder chain =
        new DeltaBuilder().set(home, "chain", ref(first)).set(home, "cycle", ref(first + n));
    for (int i = 0; i < n; i++) {
      long t = first + i;
      chain.set(t, "next", i + 1 < n ? ref(t + 1) : integer(0));
      long c = first + n + i;
      chain.set(c, "next", ref(i + 1 < n ? c + 1 : first + n));
    }
    assertThat(s.commit(chain.build(), first + 2L * n)).isEmpty();
    assertThat(s.tableIds()).hasSize(1 + 2 * n);
    assertThat(
            s.commit(
                new DeltaBuilder().delete(home, "chain").delete(home, "cycle").build(),
                first + 2L * n))
        .containsExactly(LongStream.range(first, first + 2L * n).toArray());
    assertThat(s.tableIds()).containsExactly(home);
  }

  @Test
  void aFailedCommitLeavesThePreviousState() {
    TableStore s = store();
    long home = s.root("home");
    long t = s.nextId();
    s.commit(
        new DeltaBuilder()
            .set(home, "keep", integer(1))
            .set(home, "t", ref(t))
            .set(t, "v", integer(1))
            .build(),
        t + 1);
    Map<String, String> before = rows(s, home);
    Set<Long> ids = s.tableIds();
    long next = s.nextId();
    byte[] badRef = ref(-1); // an id beyond 2^63-1
    ByteArrayOutputStream badFunction = new ByteArrayOutputStream(); // [code, boxes, extra]
    head(badFunction, 6, Delta.TAG_FUNCTION);
    head(badFunction, 4, 3);
    badFunction.writeBytes(integer(1));
    badFunction.writeBytes(integer(2));
    badFunction.writeBytes(integer(3));
    for (Delta bad :
        new Delta[] {
          // each would set, delete, create, drop a reference and reclaim, but fails at its end
          new DeltaBuilder()
              .set(home, "keep", integer(2))
              .delete(home, "t")
              .set(next, "x", integer(1))
              .set(home, "n", ref(next))
              .set(home, "broken", badRef)
              .build(),
          new DeltaBuilder()
              .set(home, "keep", integer(3))
              .delete(home, "t")
              .set(home, "f", badFunction.toByteArray())
              .build(),
          new DeltaBuilder()
              .set(home, "keep", integer(4))
              .delete(home, "t")
              .set(-1L, "x", integer(1))
              .build()
        }) {
      assertThatThrownBy(() -> s.commit(bad, next + 5)).isInstanceOf(CuStoreException.class);
      assertThat(rows(s, home)).isEqualTo(before);
      assertThat(decoded(s, t)).isEqualTo(Map.of("v", 1L));
      assertThat(s.load(next)).isNull();
      assertThat(s.nextId()).isEqualTo(next);
      assertThat(s.tableIds()).isEqualTo(ids);
    }
    // the counts are intact too: dropping the one reference to t removes it
    assertThat(s.commit(new DeltaBuilder().delete(home, "t").build(), next)).containsExactly(t);
    assertThat(decoded(s, home)).isEqualTo(Map.of("keep", 1L));
  }

  @Test
  void commitsRootsAndCountsSurviveReopening() {
    TableStore s = store();
    long home = s.root("home");
    long io = s.root("io");
    long g = s.nextId();
    s.commit(
        new DeltaBuilder()
            .set(home, "g1", ref(g))
            .set(home, "g2", ref(g))
            .set(g, "x", integer(1))
            .set(home, "n", text("v"))
            .build(),
        g + 10);
    store = reopen(s);
    assumeThat(store).as("the store keeps its content past close").isNotNull();
    TableStore r = store;
    assertThat(r.root("home")).isEqualTo(home);
    assertThat(r.root("io")).isEqualTo(io);
    assertThat(r.nextId()).isEqualTo(g + 10);
    assertThat(r.tableIds()).containsExactlyInAnyOrder(home, io, g);
    assertThat(decoded(r, home)).isEqualTo(Map.of("g1", "ref:" + g, "g2", "ref:" + g, "n", "v"));
    assertThat(r.commit(new DeltaBuilder().delete(home, "g1").build(), g + 10)).isEmpty();
    assertThat(deferredRemovals(r)).isEmpty();
    long[] removed = r.commit(new DeltaBuilder().delete(home, "g2").build(), g + 10);
    long[] deferred = deferredRemovals(r);
    assertThat(LongStream.concat(LongStream.of(removed), LongStream.of(deferred)).toArray())
        .containsExactly(g);
    assertThat(r.load(g)).isNull();
    assertThat(r.tableIds()).containsExactlyInAnyOrder(home, io);
  }

  @Test
  void closeIsIdempotent() {
    TableStore s = store();
    s.root("home");
    s.close();
    s.close();
    store = null;
  }

  /** A function reference: tag {@link Delta#TAG_FUNCREF} + id. */
  private static byte[] funcref(long id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    head(out, 6, Delta.TAG_FUNCREF);
    head(out, 0, id);
    return out.toByteArray();
  }

  /** A function row whose upvalues are the given boxes (the bytecode is never run by a store). */
  private static byte[] function(long... boxes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    head(out, 6, Delta.TAG_FUNCTION);
    head(out, 4, 2);
    byte[] code = "not bytecode".getBytes(StandardCharsets.UTF_8);
    head(out, 2, code.length);
    out.writeBytes(code);
    head(out, 4, boxes.length);
    for (long box : boxes) {
      head(out, 6, Delta.TAG_BOX);
      head(out, 0, box);
    }
    return out.toByteArray();
  }
}
