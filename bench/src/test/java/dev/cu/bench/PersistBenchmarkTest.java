package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Smoke test: saves write the changed entries, loads read them back, functions survive a reload,
 * commits reach LMDB. The 1,000,000-entry states share their code with the 10,000-entry ones and
 * take seconds to build, so only their size is checked here (the JMH smoke run exercises them).
 */
class PersistBenchmarkTest {
  private final PersistBenchmark bench = new PersistBenchmark();

  @Test
  void saveThenLoadGivesTheTouchedState() {
    PersistBenchmark.Dirty10k s = new PersistBenchmark.Dirty10k();
    s.setUp();
    try {
      assertThat(s.load()).isEqualTo(10_000L);
      s.change();
      bench.saveState10k(s);
      s.unit.compute("_home[1] = -1");
      assertThat(s.load()).isEqualTo(10_001L);
      assertThat(s.unit.compute("return _home[1]")).isEqualTo(2L);
    } finally {
      s.tearDown();
    }
    assertThat(s.stored.dir).doesNotExist();
  }

  @Test
  void loadDropsUnsavedChanges() {
    PersistBenchmark.Home10k s = new PersistBenchmark.Home10k();
    s.setUp();
    try {
      s.touch();
      assertThat(bench.loadState10k(s)).isEqualTo(10_000L);
    } finally {
      s.tearDown();
    }
  }

  @Test
  void theLargeStatesHoldAMillionEntries() {
    assertThat(new PersistBenchmark.Home1m().size).isEqualTo(1_000_000);
    assertThat(new PersistBenchmark.Dirty1m().size).isEqualTo(1_000_000);
    assertThat(new PersistBenchmark.Dirty10k().size).isEqualTo(10_000);
  }

  @Test
  void storedClosuresKeepTheirUpvaluesAcrossALoad() {
    PersistBenchmark.Functions s = new PersistBenchmark.Functions();
    s.setUp();
    try {
      bench.functionPersist(s);
      s.unit.compute("_home.fns = {}");
      s.unit.loadState();
      assertThat(s.unit.compute("return #_home.fns")).isEqualTo(100L);
      assertThat(s.unit.compute("return _home.fns[7](1) + _home.fns[100](0)")).isEqualTo(108L);
    } finally {
      s.tearDown();
    }
  }

  @Test
  void autoCommitMakesEachCallDurable() {
    PersistBenchmark.Sync sync = new PersistBenchmark.Sync();
    PersistBenchmark.NoSync noSync = new PersistBenchmark.NoSync();
    sync.setUp();
    noSync.setUp();
    try {
      bench.commitSync(sync);
      bench.commitSync(sync);
      bench.commitNoSync(noSync);
      sync.unit.loadState();
      noSync.unit.loadState();
      assertThat(sync.unit.compute("return _home.n")).isEqualTo(2L);
      assertThat(noSync.unit.compute("return _home.n")).isEqualTo(1L);
    } finally {
      sync.tearDown();
      noSync.tearDown();
    }
  }
}
