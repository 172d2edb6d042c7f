package dev.cu.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.ComputeUnit;
import dev.cu.LuaRuntimeException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A unit and the {@link TableStore} it is given: what reaches the store, and store failures. */
class UnitStoreTest {

  /** Delegates to an in-memory store; fails loads or commits on demand. */
  private static final class FlakyStore implements TableStore {
    final InMemoryTableStore inner = new InMemoryTableStore();
    volatile boolean failCommit;
    volatile boolean failLoad;
    int commits;
    boolean closed;

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
      if (failLoad) {
        throw new CuStoreException("disk on fire");
      }
      return inner.load(id);
    }

    @Override
    public long[] commit(Delta delta, long nextId) {
      if (failCommit) {
        throw new CuStoreException("disk full");
      }
      commits++;
      return inner.commit(delta, nextId);
    }

    @Override
    public Set<Long> tableIds() {
      return inner.tableIds();
    }

    @Override
    public void close() {
      closed = true;
      inner.close();
    }
  }

  @Test
  void aSecondUnitOnTheSameStoreSeesTheCommittedValues() {
    try (InMemoryTableStore store = new InMemoryTableStore()) {
      try (ComputeUnit a = ComputeUnit.builder().tableStore(store).build()) {
        a.compute(
            "_home.user = {name = 'Alice', age = 30, address = {city = 'New York'}, "
                + "tags = {'x', 'y'}} _home[1] = 'one' _home['1'] = 'str' _home[2.5] = true "
                + "_home[false] = -7 _home.big = math.maxinteger _home.f = 0.1 "
                + "_home.bytes = '\\xff\\xfe'");
      }
      try (ComputeUnit b = ComputeUnit.builder().tableStore(store).build()) {
        assertThat(b.compute("return _home.user.address.city")).isEqualTo("New York");
        assertThat(b.compute("return _home.user"))
            .isEqualTo(
                Map.of(
                    "name",
                    "Alice",
                    "age",
                    30L,
                    "address",
                    Map.of("city", "New York"),
                    "tags",
                    List.of("x", "y")));
        assertThat(
                b.execute(
                        "return _home[1], _home['1'], _home[2.5], _home[false], "
                            + "math.type(_home.big), _home.big == math.maxinteger, _home.f, _home.bytes")
                    .values()
                    .subList(0, 7))
            .containsExactly("one", "str", true, -7L, "integer", true, 0.1);
        assertThat((byte[]) b.compute("return _home.bytes")).containsExactly(0xff, 0xfe);
        b.compute("_home.user.age = 31");
      }
      try (ComputeUnit c = ComputeUnit.builder().tableStore(store).build()) {
        assertThat(c.compute("return _home.user.age")).isEqualTo(31L);
      }
    }
  }

  @Test
  void newTablesOfALaterUnitDoNotReuseIds() {
    try (InMemoryTableStore store = new InMemoryTableStore()) {
      try (ComputeUnit a = ComputeUnit.builder().tableStore(store).build()) {
        a.compute("_home.first = {v = 1}");
      }
      try (ComputeUnit b = ComputeUnit.builder().tableStore(store).build()) {
        b.compute("_home.second = {v = 2}");
        assertThat(b.execute("return _home.first.v, _home.second.v").values())
            .containsExactly(1L, 2L);
        assertThat(b.getTableInfo().tableCount()).isEqualTo(4);
      }
    }
  }

  @Test
  void theUnitDoesNotCloseAStoreItWasGiven() {
    FlakyStore store = new FlakyStore();
    try (ComputeUnit a = ComputeUnit.builder().tableStore(store).build()) {
      a.compute("_home.x = 1");
    }
    assertThat(store.closed).isFalse();
    assertThat(store.commits).isEqualTo(1);
    assertThat(store.load(store.root("home"))).isNotNull();
  }

  @Test
  void computesThatChangeNothingDoNotCommit() {
    FlakyStore store = new FlakyStore();
    try (ComputeUnit cu = ComputeUnit.builder().tableStore(store).build()) {
      cu.compute("return 1 + 1");
      cu.compute("local x = _home.missing");
      assertThat(store.commits).isZero();
      cu.compute("_home.a = 1 _home.b = {1}");
      assertThat(store.commits).isEqualTo(1);
    }
  }

  @Test
  void aFailedCommitFailsTheComputeAndChangesNothing() {
    FlakyStore store = new FlakyStore();
    try (ComputeUnit cu = ComputeUnit.builder().tableStore(store).build()) {
      cu.compute("_home.x = 1 _home.t = {n = 1}");
      store.failCommit = true;
      assertThatThrownBy(() -> cu.compute("_home.x = 2 _home.t.n = 2 _home.u = {} return 5"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("disk full")
          .hasCauseInstanceOf(CuStoreException.class);
      store.failCommit = false;
      assertThat(cu.compute("return _home")).isEqualTo(Map.of("x", 1L, "t", Map.of("n", 1L)));
      cu.compute("_home.x = 3");
      assertThat(cu.compute("return _home.x")).isEqualTo(3L);
    }
  }

  @Test
  void aFailedLoadIsALuaErrorThatPcallCanCatch() {
    FlakyStore store = new FlakyStore();
    try (ComputeUnit a = ComputeUnit.builder().tableStore(store).build()) {
      a.compute("_home.x = 1");
    }
    try (ComputeUnit b = ComputeUnit.builder().tableStore(store).build()) {
      store.failLoad = true;
      assertThat((String) b.execute("return pcall(function() return _home.x end)").values().get(1))
          .contains("disk on fire");
      assertThatThrownBy(() -> b.compute("return _home.x"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasCauseInstanceOf(CuStoreException.class);
      store.failLoad = false;
      assertThat(b.compute("return _home.x")).isEqualTo(1L);
    }
  }

  @Test
  void tableDroppedAndReattachedFromALuaVariableKeepsItsContentInTheStore() {
    try (InMemoryTableStore store = new InMemoryTableStore()) {
      try (ComputeUnit a = ComputeUnit.builder().tableStore(store).build()) {
        a.compute("_home.t = {y = 1}");
        a.compute("g = _home.t");
        a.compute("_home.t = nil");
        a.compute("_home.u = g");
        assertThat(a.compute("return _home.u.y")).isEqualTo(1L);
        assertThat(a.getTableInfo().tableCount()).isEqualTo(3);
      }
      try (ComputeUnit b = ComputeUnit.builder().tableStore(store).build()) {
        assertThat(b.compute("return _home.u.y")).isEqualTo(1L);
      }
    }
  }
}
