package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.fast;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link TableStore} contract run against an {@link OverlayTableStore} over an {@link
 * LmdbTableStore}. Its content outlives it once flushed, so reopening flushes (as {@code
 * saveState()} does), closes the environment and opens a new overlay over the directory; tables
 * of the backing store are reclaimed by the next flush.
 */
class OverlayTableStoreContractTest extends TableStoreContract {
  @TempDir Path dir;
  private LmdbEnvironment env;

  @Override
  protected TableStore open() {
    env = LmdbEnvironment.open(dir, fast());
    return new OverlayTableStore(env.store("default"));
  }

  @Override
  protected TableStore reopen(TableStore store) {
    ((OverlayTableStore) store).flush();
    store.close();
    env.close();
    return open();
  }

  /** Tables the backing store held are reclaimed by the flush that drops their last reference. */
  @Override
  protected long[] deferredRemovals(TableStore store) {
    return ((OverlayTableStore) store).flush();
  }

  @Override
  protected void cleanUp() {
    if (env != null) {
      env.close();
    }
  }
}
