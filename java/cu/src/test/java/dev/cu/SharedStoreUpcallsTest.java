package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.store.InMemoryTableStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every unit's store loads and commits go through one pair of upcalls shared by the process,
 * which finds the unit by its state: each unit still reaches its own store only, while other
 * units are open and after units were closed (their state's memory reused by new ones).
 */
class SharedStoreUpcallsTest {
  @Test
  void eachUnitLoadsAndCommitsThroughItsOwnStore() {
    InMemoryTableStore[] stores = {new InMemoryTableStore(), new InMemoryTableStore()};
    try (ComputeUnit a = ComputeUnit.builder().tableStore(stores[0]).build();
        ComputeUnit b = ComputeUnit.builder().tableStore(stores[1]).build()) {
      a.compute("_home.who = 'a'; _home.t = {n = 1}");
      b.compute("_home.who = 'b'; _home.t = {n = 2}");
    }
    List<ComputeUnit> open = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        ComputeUnit u = ComputeUnit.builder().tableStore(stores[i % 2]).build();
        open.add(u);
        String who = i % 2 == 0 ? "a" : "b";
        assertThat(u.compute("return _home.who")).isEqualTo(who);
        assertThat(u.compute("return _home.t.n")).isEqualTo((long) (i % 2 + 1));
        u.compute("_home.t.n = _home.t.n + 2; _home.t.n = _home.t.n - 2");
        if (i % 3 == 0) {
          open.remove(u);
          u.close(); // a later unit may get this state's address
        }
      }
    } finally {
      open.forEach(ComputeUnit::close);
    }
    try (ComputeUnit a = ComputeUnit.builder().tableStore(stores[0]).build()) {
      assertThat(a.compute("return _home.who .. _home.t.n")).isEqualTo("a1");
    }
  }
}
