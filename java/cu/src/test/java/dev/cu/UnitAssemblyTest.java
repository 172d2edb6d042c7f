package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.store.Delta;
import dev.cu.store.InMemoryTableStore;
import dev.cu.store.TableStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building a unit is atomic: a failed build leaves nothing open and throws its own cause. */
class UnitAssemblyTest {
  @TempDir Path dir;

  @Test
  void aUnitWhoseMemoryLimitCannotOpenTheLibrariesReleasesTheNamespace() {
    assertThatThrownBy(() -> ComputeUnit.builder().storage(dir).memoryLimit(4 << 10).build())
        .isInstanceOf(LuaMemoryException.class);
    // the storage was opened before the Lua state: a second unit gets the namespace at once
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).lockTimeout(Duration.ZERO).build()) {
      cu.compute("_home.n = 1");
    }
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).lockTimeout(Duration.ZERO).build()) {
      assertThat(cu.compute("return _home.n")).isEqualTo(1L);
    }
  }

  @Test
  void aHostFunctionThatCannotBeRegisteredReleasesTheNamespaceEveryTime() {
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(
              () ->
                  ComputeUnit.builder()
                      .storage(dir)
                      .lockTimeout(Duration.ZERO)
                      .function("string.len.x", args -> 1)
                      .build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("string.len.x");
    }
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).lockTimeout(Duration.ZERO).build()) {
      assertThat(cu.compute("return 1")).isEqualTo(1L);
    }
  }

  @Test
  void aStoreWhoseRootFailsFailsTheBuildWithItsOwnExceptionAndStaysOpen() {
    RuntimeException boom = new IllegalStateException("root unavailable");
    FlakyStore store = new FlakyStore();
    store.failRoot = boom;
    assertThatThrownBy(() -> ComputeUnit.builder().tableStore(store).build()).isSameAs(boom);
    assertThat(store.closed).as("a store the caller gave is the caller's to close").isFalse();
    store.failRoot = null;
    try (ComputeUnit cu = ComputeUnit.builder().tableStore(store).build()) {
      cu.compute("_home.x = 2");
      assertThat(cu.compute("return _home.x")).isEqualTo(2L);
    }
    assertThat(store.closed).isFalse();
  }

  @Test
  void aStoreWhoseNextIdFailsAfterTheLuaStateOpenedFailsTheBuildWithItsOwnException() {
    RuntimeException boom = new IllegalStateException("next id unavailable");
    FlakyStore store = new FlakyStore();
    store.failNextId = boom;
    assertThatThrownBy(() -> ComputeUnit.builder().tableStore(store).build()).isSameAs(boom);
    assertThat(boom.getSuppressed()).isEmpty();
    assertThat(store.closed).isFalse();
  }

  @Test
  void resourcesOpenedBeforeAFailureCloseInReverseOrderWithTheirFailuresSuppressed() {
    List<String> closed = new ArrayList<>();
    RuntimeException failure = new RuntimeException("step 4 failed");
    RuntimeException closeFailure = new IllegalStateException("close of b failed");
    UnitAssembly.Opened opened = new UnitAssembly.Opened();
    opened.add(() -> closed.add("a"));
    opened.add(
        () -> {
          closed.add("b");
          throw closeFailure;
        });
    opened.add(() -> closed.add("c"));
    opened.add(
        () -> {
          closed.add("d");
          throw failure; // a close that rethrows the failure itself is not suppressed in it
        });
    opened.closeAfter(failure);
    assertThat(closed).containsExactly("d", "c", "b", "a");
    assertThat(failure.getSuppressed()).containsExactly(closeFailure);
    opened.closeAfter(new RuntimeException("again"));
    assertThat(closed).as("each resource is closed once").hasSize(4);
  }

  /** An in-memory store whose root or next id can be made to fail; records its closing. */
  private static final class FlakyStore implements TableStore {
    private final InMemoryTableStore store = new InMemoryTableStore();
    RuntimeException failRoot;
    RuntimeException failNextId;
    boolean closed;

    @Override
    public long root(String name) {
      if (failRoot != null) {
        throw failRoot;
      }
      return store.root(name);
    }

    @Override
    public long nextId() {
      if (failNextId != null) {
        throw failNextId;
      }
      return store.nextId();
    }

    @Override
    public byte[] load(long id) {
      return store.load(id);
    }

    @Override
    public long[] commit(Delta delta, long nextId) {
      return store.commit(delta, nextId);
    }

    @Override
    public Set<Long> tableIds() {
      return store.tableIds();
    }

    @Override
    public void close() {
      closed = true;
      store.close();
    }
  }
}
