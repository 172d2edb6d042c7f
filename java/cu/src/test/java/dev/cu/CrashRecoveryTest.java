package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 of a child JVM in the middle of a stream of autoCommit commits, 20 times: every
 * restart opens, and the state is the last acknowledged commit (or the one after it, which may
 * have become durable just before the kill, before its acknowledgement was printed).
 */
class CrashRecoveryTest {
  @TempDir Path dir;

  @Test
  void killDashNineTwentyTimes() throws Exception {
    Random random = new Random(42);
    long acked = 0;
    for (int round = 0; round < 20; round++) {
      long last = runAndKill(20 + random.nextInt(200));
      assertThat(last).isGreaterThan(acked);
      try (ComputeUnit cu = ComputeUnit.builder().storage(dir).build()) {
        long n = (Long) cu.compute("return _home.n");
        assertThat(n).isBetween(last, last + 1);
        // the log is consistent with n: every commit is whole
        assertThat(cu.compute("return #_home.log")).isEqualTo(n);
        assertThat(cu.compute("return _home.log[#_home.log]")).isEqualTo(n);
        acked = n;
      }
    }
  }

  /** Starts the child, kills it (SIGKILL) after {@code acks} acknowledgements; the last one. */
  private long runAndKill(int acks) throws Exception {
    Path ackFile = Files.createTempFile(dir.getParent(), "acks", ".txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xss1m",
                "-XX:-CreateCoredumpOnCrash",
                "-cp",
                cp,
                CommitLoopChild.class.getName(),
                dir.toString(),
                ackFile.toString()));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (lines(ackFile).size() < acks) {
        assertThat(p.isAlive()).as("child still running").isTrue();
        assertThat(System.nanoTime()).as("acknowledgements within 60 s").isLessThan(deadline);
        Thread.sleep(5);
      }
      p.destroyForcibly(); // SIGKILL on Linux
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    List<String> all = lines(ackFile);
    Files.delete(ackFile);
    return Long.parseLong(all.get(all.size() - 1));
  }

  /** The complete lines of the file (a last line without its newline is not complete). */
  private static List<String> lines(Path f) throws Exception {
    String text = Files.readString(f, StandardCharsets.US_ASCII);
    List<String> out = new ArrayList<>(List.of(text.split("\n", -1)));
    out.remove(out.size() - 1);
    return out;
  }
}
