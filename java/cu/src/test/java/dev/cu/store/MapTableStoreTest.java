package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.decoded;
import static dev.cu.store.LmdbTestSupport.integer;
import static dev.cu.store.LmdbTestSupport.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.store.LmdbTestSupport.DeltaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link MapTableStore} promises beyond the contract: how it uses its map. */
class MapTableStoreTest {
  private final HeapTableMap map = new HeapTableMap();
  private final MapTableStore store = new MapTableStore(map);

  @Test
  void aFailingCommitWritesNothingToTheMap() {
    long home = store.root("home");
    long child = store.nextId();
    store.commit(
        new DeltaBuilder().set(home, "t", ref(child)).set(child, "x", integer(1)).build(),
        child + 1);
    Map<Long, byte[]> tables = Map.copyOf(map.tables);
    Map<Long, Long> counts = Map.copyOf(map.counts);
    int writes = map.writes;
    map.tables.put(child, new byte[] {1, 2, 3}); // not a CBOR map: the cascade cannot read it
    tables = new java.util.HashMap<>(tables);
    tables.put(child, map.tables.get(child));

    assertThatThrownBy(
            () -> store.commit(new DeltaBuilder().delete(home, "t").build(), store.nextId()))
        .isInstanceOf(CuStoreException.class);
    assertThat(map.writes).isEqualTo(writes);
    assertThat(map.tables).isEqualTo(tables);
    assertThat(map.counts).isEqualTo(counts);
  }

  @Test
  void aCommitWritesOnlyTheTablesItChanges() {
    long home = store.root("home");
    long[] ids = new long[5];
    DeltaBuilder d = new DeltaBuilder();
    for (int i = 0; i < ids.length; i++) {
      ids[i] = store.nextId() + i;
      d.set(home, "t" + i, ref(ids[i])).set(ids[i], "v", integer(i));
    }
    store.commit(d.build(), ids[4] + 1);
    int writes = map.writes;

    store.commit(new DeltaBuilder().set(ids[2], "v", integer(20)).build(), store.nextId());

    assertThat(map.writes - writes).isEqualTo(1); // the one table; no count, no next id changed
    assertThat(decoded(store, ids[2])).isEqualTo(Map.of("v", 20L));
  }

  @Test
  void storesOverOneMapShareTheContentAndClosingKeepsIt() {
    long home = store.root("home");
    store.commit(new DeltaBuilder().set(home, "a", integer(1)).build(), store.nextId());
    store.close();
    store.close();

    assertThatThrownBy(() -> store.load(home)).isInstanceOf(CuStoreException.class);
    MapTableStore again = new MapTableStore(map);
    assertThat(again.root("home")).isEqualTo(home);
    assertThat(decoded(again, home)).isEqualTo(Map.of("a", 1L));
  }

  @Test
  void aNullMapIsRefused() {
    assertThatThrownBy(() -> new MapTableStore(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
