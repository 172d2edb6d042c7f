package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.fast;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.ComputeUnit;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compute units on the LMDB store and on the overlay: _home across environment reopening. */
class LmdbUnitTest {
  @TempDir Path dir;

  @Test
  void homeSurvivesReopeningTheEnvironment() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, LmdbOptions.defaults());
        LmdbTableStore store = env.store("default");
        ComputeUnit a = ComputeUnit.builder().tableStore(store).build()) {
      a.compute(
          "_home.user = {name = 'Alice', address = {city = 'New York'}, tags = {'x', 'y'}}"
              + " _home.n = 1 _home.bio = string.rep('lorem ipsum ', 200)");
    }
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, LmdbOptions.defaults());
        LmdbTableStore store = env.store("default")) {
      try (ComputeUnit b = ComputeUnit.builder().tableStore(store).build()) {
        assertThat(b.compute("return _home.user"))
            .isEqualTo(
                Map.of(
                    "name",
                    "Alice",
                    "address",
                    Map.of("city", "New York"),
                    "tags",
                    List.of("x", "y")));
        assertThat(b.compute("return #_home.bio")).isEqualTo(2400L);
        b.compute("_home.user = nil _home.n = _home.n + 1");
      }
      assertThat(store.tableIds()).containsExactlyInAnyOrder(store.root("home"), store.root("io"));
    }
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, LmdbOptions.defaults());
        LmdbTableStore store = env.store("default");
        ComputeUnit c = ComputeUnit.builder().tableStore(store).build()) {
      assertThat(c.execute("return _home.n, _home.user").values()).containsExactly(2L, null);
    }
  }

  @Test
  void aCycleSweptAwayAndAttachedAgainKeepsItsContent() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore store = env.store("default")) {
      try (ComputeUnit a = ComputeUnit.builder().tableStore(store).build()) {
        a.compute("_home.a = {v = 1} _home.a.x = {v = 2} _home.a.x.back = _home.a");
        a.compute("g = _home.a");
        a.compute("_home.a = nil"); // a and x form a garbage cycle: swept
        a.compute("_home.b = g"); // attached again, written in full
        assertThat(a.execute("return _home.b.v, _home.b.x.v").values()).containsExactly(1L, 2L);
      }
      try (ComputeUnit b = ComputeUnit.builder().tableStore(store).build()) {
        assertThat(b.execute("return _home.b.v, _home.b.x.v, _home.b.x.back == _home.b").values())
            .containsExactly(1L, 2L, true);
        // one of the two references to a goes: a is still held by _home.b
        b.compute("_home.b.x.back = nil");
      }
      try (ComputeUnit c = ComputeUnit.builder().tableStore(store).build()) {
        assertThat(c.execute("return _home.b.v, _home.b.x.v").values()).containsExactly(1L, 2L);
      }
    }
  }

  @Test
  void theOverlayKeepsComputesInMemoryUntilFlushed() {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        OverlayTableStore store = new OverlayTableStore(env.store("default"));
        ComputeUnit a = ComputeUnit.builder().tableStore(store).build()) {
      a.compute("_home.x = 1 _home.t = {y = 1}");
      assertThat(store.hasPending()).isTrue();
      store.flush();
      a.compute("_home.x = 2 _home.t.y = 2 _home.u = {z = 3}");
      assertThat(a.execute("return _home.x, _home.t.y, _home.u.z").values())
          .containsExactly(2L, 2L, 3L);
      try (ComputeUnit b = ComputeUnit.builder().tableStore(store).build()) {
        assertThat(b.execute("return _home.x, _home.u.z").values()).containsExactly(2L, 3L);
      }
    } // closed without flushing: the second compute is gone
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore store = env.store("default");
        ComputeUnit c = ComputeUnit.builder().tableStore(store).build()) {
      assertThat(c.execute("return _home.x, _home.t.y, _home.u").values())
          .containsExactly(1L, 1L, null);
    }
  }
}
