package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.fast;
import static dev.cu.store.LmdbTestSupport.integer;
import static dev.cu.store.LmdbTestSupport.ref;
import static dev.cu.store.LmdbTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.store.LmdbTestSupport.DeltaBuilder;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The structural check of data.mdb while the environment is in use. */
class LmdbFileCheckTest {
  @TempDir Path dir;

  /**
   * The check is no registered LMDB reader: a commit during its walk may reuse pages of the
   * tree it reads. Such pages must not be reported as damage (another process opening the
   * environment would refuse a sound file).
   */
  @Test
  void checkDuringConcurrentCommitsReportsNoDamage() throws Exception {
    Path data = dir.resolve(LmdbEnvironment.DATA_FILE);
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, fast());
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong commits = new AtomicLong();
      Thread writer =
          new Thread(
              () -> {
                long next = 2;
                while (!stop.get()) {
                  DeltaBuilder d = new DeltaBuilder();
                  for (int t = 0; t < 20; t++, next++) {
                    d.set(home, integer(next % 500), ref(next));
                    for (int i = 0; i < 10; i++) {
                      d.set(next, integer(i), text("value " + i + " of table " + next));
                    }
                  }
                  s.commit(d.build(), next);
                  commits.incrementAndGet();
                }
              });
      writer.start();
      try {
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (int i = 0; (i < 200 || commits.get() < 50) && System.nanoTime() < deadline; i++) {
          LmdbFileCheck.Result r = LmdbFileCheck.check(data, false);
          assertThat(r.problems()).as("check %d after %d commits", i, commits.get()).isEmpty();
        }
      } finally {
        stop.set(true);
        writer.join();
      }
      assertThat(commits.get()).as("commits during the checks").isGreaterThanOrEqualTo(50);
    }
    assertThat(LmdbFileCheck.check(data, true).ok()).isTrue();
  }
}
