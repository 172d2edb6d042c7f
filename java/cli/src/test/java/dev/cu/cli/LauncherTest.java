package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./cu} launcher's first build: one line per module on stderr, Maven's output in a
 * log it names when the build fails. It runs the repository's script in a copy of the layout
 * with a stand-in {@code mvn} (printing what Maven prints) and a stand-in {@code java}.
 */
class LauncherTest {
  @TempDir Path dir;

  /** What a run of the launcher printed and returned. */
  record Run(int exit, String out, String err) {}

  private Path root() throws Exception {
    Path root = dir.resolve("repo");
    Files.createDirectories(root.resolve("java/cli/src/main"));
    Files.writeString(root.resolve("java/cli/src/main/A.java"), "class A {}");
    Path script = root.resolve("cu");
    Files.copy(Path.of("../../cu"), script);
    script.toFile().setExecutable(true);
    return root;
  }

  private static Path executable(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private Run run(Path root, String mvnBody) throws Exception {
    Path bin = dir.resolve("bin");
    executable(bin.resolve("mvn"), "#!/usr/bin/env bash\n" + mvnBody);
    Path javaHome = dir.resolve("jdk");
    executable(javaHome.resolve("bin/java"), "#!/usr/bin/env bash\necho \"java ran: $*\"\n");
    ProcessBuilder pb = new ProcessBuilder(root.resolve("cu").toString(), "eval", "return 1");
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("JAVA_HOME", javaHome.toString());
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static final String MAVEN_LINES =
      String.join(
          "\n",
          "echo '[INFO] Scanning for projects...'",
          "echo '[INFO] Building cu parent 0.1.0-SNAPSHOT                                     [1/3]'",
          "echo '-- Looking for __GLIBC__ - found'",
          "echo '[  4%] Building C object CMakeFiles/lua.dir/lapi.c.o'",
          "echo '[INFO] Building cu native 0.1.0-SNAPSHOT                                     [2/3]'",
          "echo '[INFO] Building cu command line 0.1.0-SNAPSHOT                               [3/3]'",
          "");

  @Test
  void theFirstBuildPrintsOneLinePerModuleAndKeepsMavensOutputInItsLog() throws Exception {
    Path root = root();
    Run r =
        run(
            root,
            MAVEN_LINES
                + "mkdir -p java/cli/target && echo jar > java/cli/target/cu-cli.jar\n"
                + "echo \"args: $*\"\n");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "java ran: -Xss1m -Dcu.stderr.terminal=false -jar "
                + root.resolve("java/cli/target/cu-cli.jar")
                + " eval return 1\n");
    List<String> lines = r.err().lines().toList();
    assertThat(lines)
        .containsSubsequence(
            "cu:   [1/3] cu parent", "cu:   [2/3] cu native", "cu:   [3/3] cu command line");
    assertThat(r.err()).doesNotContain("lapi.c").doesNotContain("GLIBC");
    String log = Files.readString(root.resolve("java/cli/target/cu-build.log"));
    assertThat(log).contains("lapi.c", "[INFO] Building cu native").contains("-pl java/cli -am");
    // built once: the next run uses the jar without building
    Run again = run(root, "echo 'must not run'; exit 1\n");
    assertThat(again.exit()).isZero();
    assertThat(again.err()).isEmpty();
  }

  @Test
  void aFailedBuildNamesTheLogThatHoldsMavensOutput() throws Exception {
    Path root = root();
    Run r = run(root, MAVEN_LINES + "echo '[ERROR] compilation failed: A.java'\nexit 1\n");
    assertThat(r.exit()).isEqualTo(2);
    Path log = root.resolve("java/cli/target/cu-build.log");
    assertThat(r.err()).contains("cu: build failed; Maven's output is in " + log);
    assertThat(r.err()).doesNotContain("compilation failed");
    assertThat(Files.readString(log)).contains("[ERROR] compilation failed: A.java");
    assertThat(r.out()).isEmpty();
  }
}
