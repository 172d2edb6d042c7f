package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.store.CuLockTimeoutException;
import dev.cu.store.CuStoreException;
import dev.cu.store.LmdbEnvironment;
import dev.cu.store.LmdbOptions;
import dev.cu.store.LmdbTableStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several JVMs on one storage folder at once: every namespace is held by one unit at a time
 * across processes, so read-modify-write computes never lose an update, ids never collide, a
 * waiter names the holder when it gives up, and a killed holder's lock goes away with it.
 */
class MultiProcessStorageTest {
  @TempDir Path tmp;

  private Path state() {
    return tmp.resolve("state");
  }

  /** Starts StorageChild with {@code args}; its output goes to a file named after {@code tag}. */
  private Process child(String tag, String... args) throws Exception {
    return ChildJvm.start(Map.of(), tmp.resolve(tag + ".out"), StorageChild.class, args);
  }

  private void awaitSuccess(String tag, Process p) throws Exception {
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(tag + " did not finish within 180 s");
    }
    String out = Files.readString(tmp.resolve(tag + ".out"), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(tag + ": " + out).isZero();
  }

  @Test
  void sixProcessesIncrementingOneCounterLoseNoUpdate() throws Exception {
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ps.add(child("inc" + i, "inc", state().toString(), "3")); // a fresh folder: all create it
    }
    for (int i = 0; i < ps.size(); i++) {
      awaitSuccess("inc" + i, ps.get(i));
    }
    try (ComputeUnit cu = ComputeUnit.builder().storage(state()).build()) {
      assertThat(cu.compute("return _home.c")).isEqualTo(18L);
    }
  }

  @Test
  void processesCreatingManyTablesInOneEnvironmentKeepEveryTable() throws Exception {
    String[][] jobs = {{"a", "x"}, {"b", "y"}, {"shared", "p"}, {"shared", "q"}};
    int n = 150;
    List<Process> ps = new ArrayList<>();
    for (String[] j : jobs) {
      ps.add(child("tables-" + j[1], "tables", state().toString(), j[0], j[1], "" + n));
    }
    for (int i = 0; i < ps.size(); i++) {
      awaitSuccess("tables-" + jobs[i][1], ps.get(i));
    }
    String check =
        "local tag, n = ... local bad = 0 for i = 1, n do local t = _home[tag .. i]"
            + " if not t or t.i ~= i or t.tag ~= tag or t.inner[1] ~= i then bad = bad + 1 end end"
            + " return bad";
    for (String[] j : jobs) {
      try (ComputeUnit cu = ComputeUnit.builder().storage(state()).namespace(j[0]).build()) {
        assertThat(
                cu.compute("return (function(...) " + check + " end)('" + j[1] + "', " + n + ")"))
            .as(j[0] + "/" + j[1])
            .isEqualTo(0L);
        // home, io, and per entry the record and its inner table; the shared namespace twice
        int entries = j[0].equals("shared") ? 2 * n : n;
        assertThat(cu.getTableInfo().tableCount()).as(j[0]).isEqualTo(2 + 2 * entries);
      }
    }
  }

  @Test
  void aWaiterGivesUpNamingTheHolderAndAKilledHolderReleasesTheLock() throws Exception {
    Path ready = tmp.resolve("ready");
    Process holder = child("hold", "hold", state().toString(), "default", ready.toString());
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.exists(ready)) {
        assertThat(holder.isAlive()).as("holder running").isTrue();
        assertThat(System.nanoTime()).as("holder ready within 120 s").isLessThan(deadline);
        Thread.sleep(20);
      }
      long t0 = System.nanoTime();
      assertThatThrownBy(
              () ->
                  ComputeUnit.builder()
                      .storage(state())
                      .lockTimeout(Duration.ofMillis(300))
                      .build())
          .isInstanceOf(CuLockTimeoutException.class)
          .hasMessageContaining("namespace default")
          .hasMessageContaining("pid=" + holder.pid())
          .hasMessageContaining("started=")
          .satisfies(
              e ->
                  assertThat(((CuLockTimeoutException) e).holder())
                      .startsWith("pid=" + holder.pid() + " host="));
      assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(300_000_000L);
      // another namespace of the same folder is free meanwhile
      try (ComputeUnit other =
          ComputeUnit.builder()
              .storage(state())
              .namespace("other")
              .lockTimeout(Duration.ZERO)
              .build()) {
        assertThat(other.compute("return _home.holder")).isNull();
      }
      holder.destroyForcibly(); // SIGKILL: no shutdown hook, no close
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
      try (ComputeUnit cu =
          ComputeUnit.builder().storage(state()).lockTimeout(Duration.ofSeconds(5)).build()) {
        assertThat(cu.compute("return _home.holder")).isEqualTo("child");
      }
    } finally {
      holder.destroyForcibly();
    }
  }

  @Test
  void aWriterWhoseLockWasBypassedFailsInsteadOfOverwriting() throws Exception {
    try (ComputeUnit a = ComputeUnit.builder().storage(state()).build()) {
      a.compute("_home.c = 10");
      // someone deletes the lock file: the next process creates a new one and gets in
      Files.delete(state().resolve("locks").resolve("default.lock"));
      awaitSuccess("bypass", child("bypass", "inc", state().toString(), "1"));
      assertThatThrownBy(() -> a.compute("_home.c = _home.c + 100"))
          .isInstanceOf(LuaRuntimeException.class)
          .cause()
          .isInstanceOf(CuStoreException.class)
          .hasMessageContaining("changed by another writer");
    }
    try (ComputeUnit cu = ComputeUnit.builder().storage(state()).build()) {
      assertThat(cu.compute("return _home.c")).isEqualTo(11L); // the other writer's commit
    }
  }

  @Test
  void aMapGrownByAnotherProcessIsAdopted() throws Exception {
    LmdbOptions small = LmdbOptions.defaults().withMapSize(64 << 10);
    try (LmdbEnvironment env = LmdbEnvironment.open(state(), small);
        LmdbTableStore store = env.store("small")) {
      long home = store.root("home");
      awaitSuccess("grow", child("grow", "grow", state().toString()));
      // the other process grew the file far beyond this process's map
      assertThat(Files.size(state().resolve("data.mdb"))).isGreaterThan(64 << 10);
      assertThat(store.load(home)).isNull();
      assertThat(store.nextId()).isGreaterThan(home);
      assertThat(env.mapSize()).isGreaterThan(64 << 10);
    }
    try (ComputeUnit cu =
        ComputeUnit.builder().storage(state()).namespace("big").memoryLimit(0).build()) {
      assertThat(cu.compute("return #_home.big")).isEqualTo(4000L);
    }
  }
}
