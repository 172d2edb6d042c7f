package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.store.InMemoryTableStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A closure whose stored row the store removed (nothing in {@code _home} referred to it any
 * more) while Lua still holds it: stored again, it gets a new row, so a later unit loads it. The
 * same holds for a table removed with its closures and attached again.
 */
class RemovedFunctionTest {
  @TempDir Path dir;

  private static final String STORE_DROP_STORE_AGAIN =
      "local n = 40 f = function() n = n + 1 return n end";

  @Test
  void aRemovedClosureStoredAgainLoadsInANewUnit() {
    InMemoryTableStore store = new InMemoryTableStore();
    try (ComputeUnit cu = ComputeUnit.builder().tableStore(store).build()) {
      cu.compute(STORE_DROP_STORE_AGAIN);
      cu.compute("_home.f = f");
      cu.compute("_home.f = nil"); // the function row and its box go
      cu.compute("_home.g = f");
      assertThat(cu.compute("return _home.g()")).isEqualTo(41L);
    }
    try (ComputeUnit cu = ComputeUnit.builder().tableStore(store).build()) {
      assertThat(cu.compute("return _home.g()")).isEqualTo(42L);
      assertThat(cu.compute("return _home.g()")).isEqualTo(43L);
    }
  }

  @Test
  void aRemovedClosureStoredAgainSurvivesReopeningLmdb() {
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).build()) {
      cu.compute(STORE_DROP_STORE_AGAIN);
      cu.compute("_home.f = f");
      cu.compute("_home.f = nil");
      cu.compute("_home.g = f");
    }
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).build()) {
      assertThat(cu.compute("return _home.g()")).isEqualTo(41L);
    }
  }

  @Test
  void aRemovedTableWithAClosureAttachedAgainLoadsInANewUnit() {
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).build()) {
      cu.compute("local k = 5 _home.t = {f = function() return k end, x = 1} t = _home.t");
      cu.compute("_home.t = nil"); // t, its function row and the box go; Lua still holds t
      cu.compute("_home.u = t");
      assertThat(cu.compute("return _home.u.f()")).isEqualTo(5L);
    }
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).build()) {
      assertThat(cu.compute("return _home.u.f() + _home.u.x")).isEqualTo(6L);
    }
  }
}
