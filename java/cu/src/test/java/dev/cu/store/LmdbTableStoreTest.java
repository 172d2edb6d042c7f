package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.decoded;
import static dev.cu.store.LmdbTestSupport.fast;
import static dev.cu.store.LmdbTestSupport.integer;
import static dev.cu.store.LmdbTestSupport.ref;
import static dev.cu.store.LmdbTestSupport.rows;
import static dev.cu.store.LmdbTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.store.LmdbTestSupport.DeltaBuilder;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LmdbTableStore} driven with deltas as the VM drives it: rows, roots, reclamation. */
class LmdbTableStoreTest {
  @TempDir Path dir;

  @Test
  void rowsRoundTripAndDecode() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, LmdbOptions.defaults());
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      assertThat(s.load(home)).isNull();
      s.commit(
          new DeltaBuilder()
              .set(home, "a", integer(1))
              .set(home, "b", text("x"))
              .set(home, integer(7), integer(-3))
              .set(home, integer(1L << 40), text("é"))
              .build(),
          s.nextId());
      Map<Object, Object> expected = new LinkedHashMap<>();
      expected.put("a", 1L);
      expected.put("b", "x");
      expected.put(7L, -3L);
      expected.put(1L << 40, "é");
      assertThat(decoded(s, home)).isEqualTo(expected);

      s.commit(
          new DeltaBuilder()
              .set(home, "a", integer(2))
              .delete(home, "b")
              .delete(home, "never-there")
              .build(),
          s.nextId());
      expected.put("a", 2L);
      expected.remove("b");
      assertThat(decoded(s, home)).isEqualTo(expected);
    }
  }

  @Test
  void tablesCommittedAboveTheNextIdAreNotTakenForNewOnes() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      long next = s.nextId();
      // ids above the next id the commit reports: the VM never sends them, the SPI takes them
      s.commit(new DeltaBuilder().set(home, "t", ref(100)).set(100, "a", integer(1)).build(), next);
      assertThat(s.nextId()).isEqualTo(next);
      s.commit(new DeltaBuilder().set(100, "b", integer(2)).set(home, "u", ref(100)).build(), next);
      assertThat(rows(s, 100)).hasSize(2); // the table's manifest lists both rows
      assertThat(s.commit(new DeltaBuilder().delete(home, "t").build(), next)).isEmpty();
      assertThat(rows(s, 100)).hasSize(2); // both references were counted
      assertThat(s.commit(new DeltaBuilder().delete(home, "u").build(), next))
          .containsExactly(100L);
    }
  }

  @Test
  void everythingReadsBackAfterReopening() {
    Map<String, String> homeRows;
    Map<String, String> childRows;
    long home;
    long child;
    long next;
    Set<Long> ids;
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, LmdbOptions.defaults());
        LmdbTableStore s = env.store("default")) {
      home = s.root("home");
      long io = s.root("io");
      assertThat(io).isNotEqualTo(home);
      child = s.nextId();
      s.commit(
          new DeltaBuilder()
              .set(home, "child", ref(child))
              .set(child, "x", integer(5))
              .set(child, "s", text("hello".repeat(300)))
              .build(),
          child + 10);
      homeRows = rows(s, home);
      childRows = rows(s, child);
      next = s.nextId();
      ids = s.tableIds();
      assertThat(next).isEqualTo(child + 10);
      assertThat(ids).containsExactlyInAnyOrder(home, io, child);
    }
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, LmdbOptions.defaults());
        LmdbTableStore s = env.store("default")) {
      assertThat(s.root("home")).isEqualTo(home);
      assertThat(s.nextId()).isEqualTo(next);
      assertThat(s.tableIds()).isEqualTo(ids);
      assertThat(rows(s, home)).isEqualTo(homeRows);
      assertThat(rows(s, child)).isEqualTo(childRows);
      assertThat(decoded(s, child)).containsEntry("s", "hello".repeat(300)).containsEntry("x", 5L);
    }
  }

  @Test
  void rootsAndNextIdPersistAndNeverMoveBack() {
    long a;
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      assertThat(s.nextId()).isEqualTo(1);
      a = s.root("a");
      assertThat(s.root("a")).isEqualTo(a);
      assertThat(s.nextId()).isEqualTo(a + 1);
      s.commit(new DeltaBuilder().build(), 100);
      s.commit(new DeltaBuilder().build(), 50); // a lower next id never lowers it
      assertThat(s.nextId()).isEqualTo(100);
    }
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      assertThat(s.nextId()).isEqualTo(100);
      assertThat(s.root("a")).isEqualTo(a);
      assertThat(s.root("b")).isEqualTo(100);
      assertThat(s.nextId()).isEqualTo(101);
      assertThatThrownBy(() -> s.root("x".repeat(401)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aCommitThatFailsMidwayAppliesNothing() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      s.commit(new DeltaBuilder().set(home, "keep", integer(1)).build(), s.nextId());
      long next = s.nextId();
      Map<String, String> before = rows(s, home);
      byte[] badRef = ref(-1); // an id of 2^64-1, which no table can have
      Delta bad =
          new DeltaBuilder()
              .set(home, "keep", integer(2))
              .set(home, "new", text("v"))
              .set(next, "x", integer(1))
              .set(home, "t", ref(next))
              .set(home, "broken", badRef)
              .build();
      assertThatThrownBy(() -> s.commit(bad, next + 5))
          .isInstanceOf(CuStoreException.class)
          .hasMessageContaining("table reference");
      assertThat(rows(s, home)).isEqualTo(before);
      assertThat(s.load(next)).isNull();
      assertThat(s.nextId()).isEqualTo(next);
      assertThat(s.tableIds()).containsExactly(home);

      Delta negative =
          new DeltaBuilder().set(home, "keep", integer(3)).set(-1L, "x", integer(1)).build();
      assertThatThrownBy(() -> s.commit(negative, next))
          .isInstanceOf(CuStoreException.class)
          .hasMessageContaining("out of range");
      assertThat(rows(s, home)).isEqualTo(before);
      // the store still works afterwards
      s.commit(new DeltaBuilder().set(home, "keep", integer(4)).build(), next);
      assertThat(decoded(s, home)).containsEntry("keep", 4L);
    }
  }

  @Test
  void unreachableTablesAreReclaimedIncludingCycles() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      long a = s.nextId();
      long b = a + 1;
      long c = a + 2;
      // home.a = a; a.b = b; b.a = a (cycle); home.c = c, c shared by a.c
      assertThat(
              s.commit(
                  new DeltaBuilder()
                      .set(home, "a", ref(a))
                      .set(a, "b", ref(b))
                      .set(b, "a", ref(a))
                      .set(b, "v", integer(1))
                      .set(home, "c", ref(c))
                      .set(a, "c", ref(c))
                      .set(c, "v", integer(2))
                      .build(),
                  c + 1))
          .isEmpty();
      assertThat(s.tableIds()).containsExactlyInAnyOrder(home, a, b, c);

      // dropping home.a leaves a referenced by b: only the sweep finds the cycle
      assertThat(s.commit(new DeltaBuilder().delete(home, "a").build(), c + 1))
          .containsExactly(a, b);
      assertThat(s.tableIds()).containsExactlyInAnyOrder(home, c);
      assertThat(s.load(a)).isNull();
      assertThat(s.load(b)).isNull();
      assertThat(decoded(s, c)).containsEntry("v", 2L);

      // a shared table survives until its last reference goes; a chain goes at once
      long d = c + 1;
      long e = c + 2;
      s.commit(
          new DeltaBuilder()
              .set(home, "c2", ref(c))
              .set(c, "d", ref(d))
              .set(d, "e", ref(e))
              .set(e, "v", integer(3))
              .build(),
          e + 1);
      assertThat(s.commit(new DeltaBuilder().delete(home, "c").build(), e + 1)).isEmpty();
      assertThat(s.commit(new DeltaBuilder().set(home, "c2", integer(0)).build(), e + 1))
          .containsExactly(c, d, e);
      assertThat(s.tableIds()).containsExactly(home);
      // a table created and dropped in one commit is reported and never kept
      long f = e + 1;
      assertThat(s.commit(new DeltaBuilder().set(f, "x", integer(1)).build(), f + 1))
          .containsExactly(f);
      assertThat(s.load(f)).isNull();
    }
    // counts persisted: after reopening, reclamation still works
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      long g = s.nextId();
      s.commit(
          new DeltaBuilder()
              .set(home, "g", ref(g))
              .set(home, "g2", ref(g))
              .set(g, "x", integer(1))
              .build(),
          g + 1);
    }
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      long g = s.nextId() - 1;
      assertThat(s.commit(new DeltaBuilder().delete(home, "g").build(), g + 1)).isEmpty();
      assertThat(s.commit(new DeltaBuilder().delete(home, "g2").build(), g + 1)).containsExactly(g);
    }
  }

  @Test
  void aTableSweptWithACycleAndAttachedAgainIsKept() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
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
      assertThat(s.commit(new DeltaBuilder().delete(home, "a").build(), y + 1))
          .containsExactly(x, y);
      // the VM attaches x again, written in full: its count must start from zero again
      assertThat(
              s.commit(
                  new DeltaBuilder().set(home, "b", ref(x)).set(x, "v", integer(2)).build(), y + 1))
          .isEmpty();
      assertThat(decoded(s, x)).isEqualTo(Map.of("v", 2L));
      assertThat(s.commit(new DeltaBuilder().delete(home, "b").build(), y + 1)).containsExactly(x);
    }
  }

  @Test
  void namespacesOfOneEnvironmentAreIndependent() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast())) {
      try (LmdbTableStore a = env.store("default");
          LmdbTableStore b = env.store("proc-42")) {
        long ha = a.root("home");
        long hb = b.root("home");
        assertThat(ha).isEqualTo(hb); // same ids, separate rows
        long t = a.nextId();
        a.commit(
            new DeltaBuilder()
                .set(ha, "x", integer(1))
                .set(ha, "t", ref(t))
                .set(t, "v", integer(9))
                .build(),
            t + 1);
        b.commit(new DeltaBuilder().set(hb, "x", integer(2)).build(), b.nextId());
        assertThat(rows(a, ha)).containsEntry(hex(text("x")), hex(integer(1)));
        assertThat(decoded(b, hb)).containsEntry("x", 2L).doesNotContainKey("t");
        assertThat(b.load(t)).isNull();
        assertThat(a.tableIds()).containsExactlyInAnyOrder(ha, t);
        assertThat(b.tableIds()).containsExactly(hb);
        assertThat(b.nextId()).isLessThan(a.nextId());
        // a reclamation in b never touches a
        assertThat(b.commit(new DeltaBuilder().set(hb, "t", ref(t)).build(), t + 1)).isEmpty();
        assertThat(b.commit(new DeltaBuilder().delete(hb, "t").build(), t + 1)).containsExactly(t);
        assertThat(decoded(a, t)).containsEntry("v", 9L);
        assertThatThrownBy(() -> env.store("default", java.time.Duration.ZERO))
            .isInstanceOf(CuLockTimeoutException.class)
            .hasMessageContaining("already open");
      }
      try (LmdbTableStore again = env.store("default")) { // released by close
        assertThat(again.tableIds()).hasSize(2);
      }
      for (String bad : new String[] {"", "a@b", "with space", "x".repeat(129), "ü"}) {
        assertThatThrownBy(() -> env.store(bad)).isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  @Test
  void keysLongerThanTheLmdbLimitRoundTrip() {
    Map<String, String> expected;
    long home;
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      home = s.root("home");
      DeltaBuilder d = new DeltaBuilder();
      for (int n : new int[] {1, 465, 466, 467, 468, 469, 470, 1000, 100_000}) {
        d.set(home, "k".repeat(n), integer(n));
        d.set(home, "f".repeat(n), LmdbTestSupport.function("fn " + n));
      }
      s.commit(d.build(), s.nextId());
      expected = rows(s, home);
      assertThat(expected).hasSize(18);
      assertThat(expected).containsEntry(hex(text("k".repeat(100_000))), hex(integer(100_000)));
      // overwrite and delete a long key
      s.commit(
          new DeltaBuilder()
              .set(home, "k".repeat(1000), text("new"))
              .delete(home, "k".repeat(470))
              .build(),
          s.nextId());
      expected.put(hex(text("k".repeat(1000))), hex(text("new")));
      expected.remove(hex(text("k".repeat(470))));
      assertThat(rows(s, home)).isEqualTo(expected);
    }
    Map<String, byte[]> raw = LmdbTestSupport.raw(dir, "rows");
    assertThat(raw.keySet()).allSatisfy(k -> assertThat(k.length() / 2).isLessThanOrEqualTo(480));
    assertThat(raw).hasSize(17);
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      assertThat(rows(s, home)).isEqualTo(expected);
    }
  }

  @Test
  void largeValuesAreCompressedAndComeBackIntact() {
    String big = "the quick brown fox jumps over the lazy dog; ".repeat(200);
    byte[] random = new byte[4000];
    new java.util.Random(1).nextBytes(random);
    byte[] randomValue = LmdbTestSupport.function(random);
    long home;
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      home = s.root("home");
      s.commit(
          new DeltaBuilder()
              .set(home, "big", text(big))
              .set(home, "small", text("tiny"))
              .set(home, "random", randomValue)
              .set(home, "f", LmdbTestSupport.function(big))
              .build(),
          s.nextId());
    }
    Map<String, byte[]> raw = LmdbTestSupport.raw(dir, "rows");
    byte[] bigStored = raw.get(hex(LmdbTestSupport.rowKey(1, home, text("big"))));
    byte[] fnStored = raw.get(hex(LmdbTestSupport.rowKey(1, home, text("f"))));
    byte[] smallStored = raw.get(hex(LmdbTestSupport.rowKey(1, home, text("small"))));
    byte[] randomStored = raw.get(hex(LmdbTestSupport.rowKey(1, home, text("random"))));
    assertThat(bigStored[0]).isEqualTo((byte) 1); // zstd
    assertThat(bigStored.length).isLessThan(big.length() / 10);
    assertThat(fnStored[0]).isEqualTo((byte) 3); // zstd + HMAC
    assertThat(smallStored[0]).isEqualTo((byte) 0);
    assertThat(randomStored[0]).isEqualTo((byte) 2); // incompressible: kept plain, HMAC
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      Map<String, String> r = rows(s, home);
      assertThat(r.get(hex(text("big")))).isEqualTo(hex(text(big)));
      assertThat(r.get(hex(text("random")))).isEqualTo(hex(randomValue));
      assertThat(r.get(hex(text("f")))).isEqualTo(hex(LmdbTestSupport.function(big)));
    }
    // compression off: stored plain
    try (LmdbEnvironment env =
            LmdbEnvironment.open(dir, fast().withCompressionThreshold(Integer.MAX_VALUE));
        LmdbTableStore s = env.store("plain")) {
      long h = s.root("home");
      s.commit(new DeltaBuilder().set(h, "big", text(big)).build(), s.nextId());
      assertThat(rows(s, h).get(hex(text("big")))).isEqualTo(hex(text(big)));
    }
    byte[] plain =
        LmdbTestSupport.raw(dir, "rows").get(hex(LmdbTestSupport.rowKey(2, 1, text("big"))));
    assertThat(plain[0]).isEqualTo((byte) 0);
  }

  @Test
  void noAddOpensIsNeeded() {
    assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
        .noneMatch(a -> a.contains("add-opens") || a.contains("add-exports"));
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      s.commit(new DeltaBuilder().set(home, "x", text("y".repeat(2000))).build(), s.nextId());
      assertThat(s.load(home)).isNotNull();
    }
  }

  private static String hex(byte[] b) {
    return LmdbTestSupport.hex(b);
  }
}
