package dev.cu.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.store.CuStoreException;
import dev.cu.store.MapTableStore;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.junit.jupiter.api.Test;

/** The keyed-state map keeps keys apart and refuses to work under another key. */
class KeyedStateTableMapTest {
  @Test
  void eachKeyHasItsOwnContentAndAStoreRefusesAnotherCurrentKey() throws Exception {
    try (KeyedStates states = new KeyedStates(new HashMapStateBackend(), null)) {
      MapTableStore ann = states.store("ann");
      MapTableStore bob = states.store("bob");
      states.key("ann");
      long annHome = ann.root("home");
      ann.root("io");
      states.key("bob");
      assertThat(bob.root("home")).isEqualTo(annHome); // the same first id, in another key
      assertThat(bob.tableIds()).containsExactly(annHome);

      assertThatThrownBy(() -> ann.load(annHome))
          .isInstanceOf(CuStoreException.class)
          .hasMessageContaining("key ann")
          .hasMessageContaining("processes key bob");
      states.key("ann");
      assertThat(ann.tableIds()).hasSize(2);
    }
  }

  @Test
  void aFailureIsRememberedUntilTakenEvenWhenItsExceptionWasSwallowed() throws Exception {
    try (KeyedStates states = new KeyedStates(new HashMapStateBackend(), null)) {
      KeyedStateTableMap ann = states.map("ann");
      states.key("bob");
      try {
        ann.table(1); // as a script's pcall would, the caller drops the exception
      } catch (CuStoreException ignored) {
        // taken below
      }
      assertThat(ann.takeFailure()).hasMessageContaining("processes key bob");
      assertThat(ann.takeFailure()).isNull();
      states.key("ann");
      ann.table(1);
      assertThat(ann.takeFailure()).isNull();
    }
  }
}
