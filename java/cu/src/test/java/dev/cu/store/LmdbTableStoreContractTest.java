package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.fast;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link TableStore} contract run against {@link LmdbTableStore}; reopening closes the
 * environment and opens the directory again.
 */
class LmdbTableStoreContractTest extends TableStoreContract {
  @TempDir Path dir;
  private LmdbEnvironment env;

  @Override
  protected TableStore open() {
    env = LmdbEnvironment.open(dir, fast());
    return env.store("default");
  }

  @Override
  protected TableStore reopen(TableStore store) {
    store.close();
    env.close();
    return open();
  }

  @Override
  protected void cleanUp() {
    if (env != null) {
      env.close();
    }
  }
}
