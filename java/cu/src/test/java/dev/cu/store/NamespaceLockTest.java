package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.fast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The namespace lock inside one JVM: the lock file and its holder line, waiting and giving up,
 * release by close and by closing the environment. Other processes: dev.cu.MultiProcessStorageTest.
 */
class NamespaceLockTest {
  @TempDir Path dir;

  @Test
  void aStoreHoldsItsLockFileAndWritesWhoHoldsIt() throws Exception {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("app:1")) {
      Path f = dir.resolve("locks").resolve("app%3A1.lock");
      assertThat(f).exists();
      String line = Files.readString(f, StandardCharsets.UTF_8).strip();
      assertThat(line)
          .startsWith("pid=" + ProcessHandle.current().pid() + " host=")
          .contains(" started=")
          .endsWith(" namespace=app:1");
      if (Files.getFileStore(f).supportsFileAttributeView("posix")) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
            .isEqualTo("rw-------");
      }
      assertThat(s.root("home")).isPositive();
    }
  }

  @Test
  void aSecondStoreWaitsForTheFirstAndGivesUpAtTheTimeout() throws Exception {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast().withLockTimeout(Duration.ZERO))) {
      LmdbTableStore first = env.store("default");
      assertThatThrownBy(() -> env.store("default")) // the options' timeout: zero
          .isInstanceOf(CuLockTimeoutException.class)
          .hasMessageContaining("already open in this process")
          .satisfies(
              e ->
                  assertThat(((CuLockTimeoutException) e).holder())
                      .contains("pid=" + ProcessHandle.current().pid()));
      try (LmdbTableStore other = env.store("other")) { // other namespaces are free
        assertThat(other.namespace()).isEqualTo("other");
      }
      CompletableFuture<LmdbTableStore> waiter =
          CompletableFuture.supplyAsync(() -> env.store("default", Duration.ofSeconds(30)));
      Thread.sleep(200);
      assertThat(waiter).isNotDone();
      first.close();
      try (LmdbTableStore second = waiter.get(30, TimeUnit.SECONDS)) {
        assertThat(second.namespace()).isEqualTo("default");
      }
    }
  }

  @Test
  void closingTheEnvironmentReleasesItsNamespacesAndWakesWaiters() throws Exception {
    LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
    LmdbTableStore held = env.store("default");
    CompletableFuture<LmdbTableStore> waiter =
        CompletableFuture.supplyAsync(() -> env.store("default", Duration.ofSeconds(30)));
    Thread.sleep(100);
    env.close();
    assertThatThrownBy(() -> waiter.get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CuStoreException.class)
        .hasMessageContaining("closed");
    try (LmdbEnvironment again = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = again.store("default", Duration.ZERO)) {
      assertThat(s.namespace()).isEqualTo("default");
    }
    held.close(); // after its environment: harmless
  }

  @Test
  void aNegativeTimeoutIsRefused() {
    assertThatThrownBy(() -> fast().withLockTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast())) {
      assertThatThrownBy(() -> env.store("default", Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class);
      try (LmdbTableStore s = env.store("default", Duration.ZERO)) { // nothing left held
        assertThat(s.namespace()).isEqualTo("default");
      }
    }
  }
}
