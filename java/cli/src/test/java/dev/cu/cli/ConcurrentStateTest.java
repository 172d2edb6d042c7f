package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.ComputeUnit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cu} processes sharing one {@code --state} folder: concurrent runs serialize without
 * losing an update, a run that waits too long names the holder, and the HMAC key can come from
 * {@code CU_HMAC_KEY} or {@code --hmac-key-file}.
 */
class ConcurrentStateTest {
  private static final String KEY_A = "00".repeat(31) + "0a";
  private static final String KEY_B = "00".repeat(31) + "0b";

  @TempDir Path dir;

  private String state() {
    return dir.resolve("state").toString();
  }

  /** A {@code cu} child process: exit code, stdout and stderr. */
  private record Proc(Process process, Path out, Path err) {
    Proc await() throws InterruptedException {
      if (!process.waitFor(180, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("cu did not finish within 180 s");
      }
      return this;
    }

    int exit() {
      return process.exitValue();
    }

    String stdout() throws IOException {
      return Files.readString(out, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
      return Files.readString(err, StandardCharsets.UTF_8);
    }
  }

  private Proc cu(String tag, Map<String, String> env, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", cp, Main.class.getName()));
    cmd.addAll(List.of(args));
    Path out = dir.resolve(tag + ".out");
    Path err = dir.resolve(tag + ".err");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().remove("CU_HMAC_KEY");
    pb.environment().putAll(env);
    return new Proc(pb.start(), out, err);
  }

  @Test
  void sixConcurrentEvalsOnOneStateCountToSix() throws Exception {
    assertThat(Cli.run("eval", "--state", state(), "_home.c = 0").exit()).isZero();
    List<Proc> ps = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ps.add(cu("inc" + i, Map.of(), "eval", "--state", state(), "_home.c = _home.c + 1"));
    }
    for (Proc p : ps) {
      p.await();
      assertThat(p.exit()).as(p.stderr()).isZero();
      assertThat(p.stderr()).isEmpty();
    }
    assertThat(Cli.run("eval", "--state", state(), "return _home.c").out()).isEqualTo("6\n");
  }

  @Test
  void aRunThatWaitsPastTheLockTimeoutFailsNamingTheHolder() throws Exception {
    try (ComputeUnit holder = ComputeUnit.builder().storage(Path.of(state())).build()) {
      holder.compute("_home.x = 1");
      Proc p =
          cu("wait", Map.of(), "eval", "--state", state(), "--lock-timeout", "300ms", "return 1")
              .await();
      assertThat(p.exit()).isEqualTo(ExitCode.STORAGE);
      assertThat(p.stdout()).isEmpty();
      assertThat(p.stderr())
          .startsWith("cu: storage: namespace default in ")
          .contains("held by another process (pid=" + ProcessHandle.current().pid() + " host=")
          .contains("gave up after");
      Cli.Run state = Cli.run("state", "--state", state(), "--lock-timeout", "0", "list");
      assertThat(state.exit()).isEqualTo(ExitCode.STORAGE);
      assertThat(state.err()).contains("already open in this process");
    }
    assertThat(Cli.run("eval", "--state", state(), "return _home.x").out()).isEqualTo("1\n");
  }

  @Test
  void theHmacKeyComesFromTheEnvironmentOrAFile() throws Exception {
    Proc w =
        cu(
                "write",
                Map.of("CU_HMAC_KEY", KEY_A),
                "eval",
                "--state",
                state(),
                "_home.lib = {f = function(x) return x * 2 end}")
            .await();
    assertThat(w.exit()).as(w.stderr()).isZero();
    assertThat(Path.of(state(), "hmac.key")).doesNotExist();

    Path a = dir.resolve("a.key");
    Files.writeString(a, KEY_A + "\n");
    assertThat(
            Cli.run(
                    "eval",
                    "--state",
                    state(),
                    "--hmac-key-file",
                    a.toString(),
                    "return _home.lib.f(21)")
                .out())
        .isEqualTo("42\n");
    Path b = dir.resolve("b.key");
    Files.writeString(b, KEY_B);
    Cli.Run wrong =
        Cli.run(
            "eval", "--state", state(), "--hmac-key-file", b.toString(), "return _home.lib.f(21)");
    assertThat(wrong.exit()).isEqualTo(ExitCode.STORAGE);
    assertThat(wrong.err()).contains("HMAC mismatch");
    // the file wins over the variable
    Proc both =
        cu(
                "both",
                Map.of("CU_HMAC_KEY", KEY_B),
                "eval",
                "--state",
                state(),
                "--hmac-key-file",
                a.toString(),
                "return _home.lib.f(1)")
            .await();
    assertThat(both.stdout()).as(both.stderr()).isEqualTo("2\n");

    Proc shortKey =
        cu("short", Map.of("CU_HMAC_KEY", "abcd"), "eval", "--state", state(), "return 1").await();
    assertThat(shortKey.exit()).isEqualTo(ExitCode.STORAGE);
    assertThat(shortKey.stderr())
        .startsWith("cu: storage: CU_HMAC_KEY must be 64 hexadecimal digits")
        .doesNotContain("abcd");
    Cli.Run missing =
        Cli.run(
            "eval",
            "--state",
            state(),
            "--hmac-key-file",
            dir.resolve("nope").toString(),
            "return 1");
    assertThat(missing.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(missing.err())
        .isEqualTo(
            "cu: usage: cannot read --hmac-key-file " + dir.resolve("nope") + ": no such file\n");
    Cli.Run directory =
        Cli.run("eval", "--state", state(), "--hmac-key-file", dir.toString(), "return 1");
    assertThat(directory.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(directory.err()).contains("is a directory");
  }
}
