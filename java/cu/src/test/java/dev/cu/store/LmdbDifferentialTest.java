package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.fast;
import static dev.cu.store.LmdbTestSupport.function;
import static dev.cu.store.LmdbTestSupport.integer;
import static dev.cu.store.LmdbTestSupport.reachable;
import static dev.cu.store.LmdbTestSupport.ref;
import static dev.cu.store.LmdbTestSupport.rows;
import static dev.cu.store.LmdbTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.store.LmdbTestSupport.DeltaBuilder;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random deltas shaped like the VM's. Without re-attached tables, {@link LmdbTableStore} must
 * match {@link InMemoryTableStore} exactly (removed ids, table ids, rows). With detached tables
 * attached again in full (as the VM does), LMDB and an {@link OverlayTableStore} over LMDB,
 * flushed now and then, are each checked against a plain model of the rows: the content
 * reachable from the roots is the model's, and no id a store reports removed is reachable.
 */
class LmdbDifferentialTest {
  private static final byte[][] KEYS = {
    text("a"),
    text("b"),
    text("c"),
    text("d"),
    integer(1),
    integer(2),
    integer(3),
    text("k".repeat(500))
  };

  @TempDir Path dir;

  private static byte[] scalar(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> integer(r.nextInt(1000) - 500);
      case 1 -> text("s" + r.nextInt(100));
      case 2 -> text(("long text " + r.nextInt(10) + " ").repeat(20 + r.nextInt(50)));
      case 3 -> function("return " + r.nextInt(100));
      default -> integer(r.nextLong());
    };
  }

  /** Rows per table, as written; what a correct store shows for reachable tables. */
  private static final class Model {
    final Map<Long, Map<String, String>> tables = new HashMap<>();

    /** The rows removed tables had, as the VM's detached proxies still hold them. */
    final Map<Long, Map<String, String>> detached = new HashMap<>();

    void apply(byte[] delta) {
      for (Delta.Change c : Delta.parse(delta).changes()) {
        Map<String, String> t = tables.computeIfAbsent(c.table(), x -> new TreeMap<>());
        if (c.value() == null) {
          t.remove(StoreBytes.hex(c.key()));
        } else {
          t.put(StoreBytes.hex(c.key()), StoreBytes.hex(c.value()));
        }
        if (t.isEmpty()) {
          tables.remove(c.table());
        }
      }
    }

    Map<Long, Map<String, String>> reachable(long... roots) {
      Map<Long, Map<String, String>> out = new TreeMap<>();
      ArrayDeque<Long> todo = new ArrayDeque<>();
      for (long r : roots) {
        todo.add(r);
      }
      while (!todo.isEmpty()) {
        long id = todo.poll();
        if (out.containsKey(id)) {
          continue;
        }
        Map<String, String> t = tables.get(id);
        out.put(id, t == null ? null : new TreeMap<>(t));
        for (String v : t == null ? List.<String>of() : t.values()) {
          long ref = Delta.refOf(LmdbTestSupport.unhex(v));
          if (ref >= 0) {
            todo.add(ref);
          }
        }
      }
      return out;
    }

    /** Drops tables a store removed; none may be reachable. */
    void removed(long[] ids, long... roots) {
      Map<Long, Map<String, String>> live = reachable(roots);
      for (long id : ids) {
        assertThat(live).as("removed table %d is reachable", id).doesNotContainKey(id);
        Map<String, String> t = tables.remove(id);
        detached.put(id, t == null ? Map.of() : t);
      }
    }
  }

  /** One random delta over the tables reachable in {@code view}. */
  private static byte[] randomDelta(
      Random r,
      List<Long> live,
      long[] next,
      List<Long> pool,
      Map<Long, Map<String, String>> detached) {
    DeltaBuilder d = new DeltaBuilder();
    int n = 1 + r.nextInt(6);
    for (int i = 0; i < n; i++) {
      long t = live.get(r.nextInt(live.size()));
      byte[] key = KEYS[r.nextInt(KEYS.length)];
      int op = r.nextInt(10);
      if (op <= 2 || op == 9) {
        d.set(t, key, scalar(r));
      } else if (op == 3) {
        d.delete(t, key);
      } else if (op <= 5) {
        d.set(t, key, ref(live.get(r.nextInt(live.size()))));
      } else if (op <= 7) {
        long fresh = next[0]++;
        d.set(fresh, KEYS[r.nextInt(KEYS.length)], scalar(r));
        if (r.nextBoolean()) {
          d.set(fresh, KEYS[r.nextInt(KEYS.length)], ref(live.get(r.nextInt(live.size()))));
        }
        if (r.nextInt(5) > 0) {
          d.set(t, key, ref(fresh));
        }
      } else if (pool != null && !pool.isEmpty()) {
        // a detached table attached again: the VM writes its content in full
        long back = pool.remove(r.nextInt(pool.size()));
        for (Map.Entry<String, String> e : detached.get(back).entrySet()) {
          byte[] k = LmdbTestSupport.unhex(e.getKey());
          byte[] v = LmdbTestSupport.unhex(e.getValue());
          if (Delta.refOf(v) >= 0) {
            d.delete(back, k); // simplification: its references are not attached again
          } else {
            d.set(back, k, v);
          }
        }
        d.set(back, KEYS[0], scalar(r));
        d.set(t, key, ref(back));
      }
    }
    return d.bytes();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void lmdbMatchesTheInMemoryStoreExactly(long seed) {
    Random r = new Random(seed);
    try (InMemoryTableStore mem = new InMemoryTableStore();
        LmdbEnvironment env = LmdbEnvironment.open(dir, fast().withCompressionThreshold(16));
        LmdbTableStore lmdb = env.store("direct")) {
      long home = mem.root("home");
      long io = mem.root("io");
      assertThat(lmdb.root("home")).isEqualTo(home);
      assertThat(lmdb.root("io")).isEqualTo(io);
      int removals = 0;
      for (int step = 0; step < 300; step++) {
        long[] next = {mem.nextId()};
        assertThat(lmdb.nextId()).isEqualTo(next[0]);
        List<Long> live = new ArrayList<>(reachable(mem, home, io).keySet());
        byte[] delta = randomDelta(r, live, next, null, null);
        long[] expected = mem.commit(Delta.parse(delta), next[0]);
        assertThat(lmdb.commit(Delta.parse(delta), next[0]))
            .as("step %d", step)
            .containsExactly(expected);
        removals += expected.length;
        assertThat(lmdb.tableIds()).as("step %d", step).isEqualTo(mem.tableIds());
        for (long id : mem.tableIds()) {
          assertThat(rows(lmdb, id)).as("table %d at step %d", id, step).isEqualTo(rows(mem, id));
        }
        Map<String, Map<Long, Long>> counts = LmdbTestSupport.counts(env, "direct");
        assertThat(counts.get("stored")).as("step %d", step).isEqualTo(counts.get("implied"));
      }
      assertThat(removals).isGreaterThan(20);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void lmdbAndOverlayKeepEveryReachableRowWhenTablesAreAttachedAgain(long seed) {
    Random r = new Random(seed);
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast().withCompressionThreshold(16));
        LmdbTableStore lmdb = env.store("direct");
        OverlayTableStore over = new OverlayTableStore(env.store("overlay"))) {
      long home = lmdb.root("home");
      long io = lmdb.root("io");
      assertThat(over.root("home")).isEqualTo(home);
      assertThat(over.root("io")).isEqualTo(io);
      Model lmdbModel = new Model();
      Model overModel = new Model();
      List<Long> pool = new ArrayList<>();
      int reattached = 0;
      int flushes = 0;
      for (int step = 0; step < 300; step++) {
        long[] next = {lmdb.nextId()};
        assertThat(over.nextId()).isEqualTo(next[0]);
        List<Long> live = new ArrayList<>(reachable(lmdb, home, io).keySet());
        int poolBefore = pool.size();
        byte[] delta = randomDelta(r, live, next, pool, lmdbModel.detached);
        reattached += poolBefore - pool.size();
        lmdbModel.apply(delta);
        overModel.apply(delta);
        long[] removed = lmdb.commit(Delta.parse(delta), next[0]);
        lmdbModel.removed(removed, home, io);
        for (long id : removed) {
          pool.add(id);
        }
        overModel.removed(over.commit(Delta.parse(delta), next[0]), home, io);
        Map<Long, Map<String, String>> want = lmdbModel.reachable(home, io);
        assertThat(reachable(lmdb, home, io)).as("step %d", step).isEqualTo(want);
        assertThat(overModel.reachable(home, io)).as("step %d", step).isEqualTo(want);
        assertThat(reachable(over, home, io)).as("step %d", step).isEqualTo(want);
        if (r.nextInt(6) == 0) {
          overModel.removed(over.flush(), home, io);
          flushes++;
          assertThat(over.hasPending()).isFalse();
          assertThat(reachable(over.backing(), home, io)).as("step %d", step).isEqualTo(want);
        }
      }
      over.flush();
      assertThat(reachable(over.backing(), home, io)).isEqualTo(lmdbModel.reachable(home, io));
      for (String ns : new String[] {"direct", "overlay"}) {
        Map<String, Map<Long, Long>> counts = LmdbTestSupport.counts(env, ns);
        assertThat(counts.get("stored")).as(ns).isEqualTo(counts.get("implied"));
      }
      assertThat(reattached).isGreaterThan(5);
      assertThat(flushes).isGreaterThan(20);
    }
  }
}
