package dev.cu.flink;

import dev.cu.store.TableStore;
import dev.cu.store.TableStoreContract;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.api.Nested;

/**
 * The {@link TableStore} contract run against the store over Flink's keyed state, on the heap
 * and on the RocksDB backend. Reopening snapshots the state as a checkpoint does and restores it
 * into a new operator, so everything must survive in keyed state.
 */
class KeyedStateTableStoreContractTest {
  private abstract static class OnBackend extends TableStoreContract {
    private KeyedStates states;

    abstract StateBackend backend();

    @Override
    protected TableStore open() {
      try {
        states = new KeyedStates(backend(), null);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      states.key("user-1");
      return states.store("user-1");
    }

    @Override
    protected TableStore reopen(TableStore store) {
      store.close();
      try {
        var snapshot = states.snapshot();
        states.close();
        states = new KeyedStates(backend(), snapshot);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      states.key("user-1");
      return states.store("user-1");
    }

    @Override
    protected void cleanUp() {
      try {
        if (states != null) {
          states.close();
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  @Nested
  class OnTheHeap extends OnBackend {
    @Override
    StateBackend backend() {
      return new HashMapStateBackend();
    }
  }

  @Nested
  class OnRocksDb extends OnBackend {
    @Override
    StateBackend backend() {
      return new EmbeddedRocksDBStateBackend();
    }
  }
}
