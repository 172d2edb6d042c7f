package dev.cu;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a main class of the test classpath in a new JVM, so that an input which crashes the
 * native library fails one test instead of killing the test JVM. The child's crash report (if
 * any) goes to a temporary folder that is deleted afterwards.
 */
public final class ChildJvm {
  /** What the child did: its exit code (not 0 after a native crash) and its output. */
  public record Result(int exitCode, String output) {}

  private ChildJvm() {}

  /**
   * Starts {@code main} in a new JVM without waiting, with {@code env} added to its environment,
   * its output (stdout and stderr) going to {@code out}. The caller waits for it and kills it.
   */
  static Process start(java.util.Map<String, String> env, Path out, Class<?> main, String... args)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xss1m",
                "-XX:-CreateCoredumpOnCrash",
                "-XX:ErrorFile=" + out.resolveSibling(out.getFileName() + ".hs_err_%p.log"),
                "-cp",
                cp,
                main.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  public static Result run(Class<?> main, String... args) throws IOException, InterruptedException {
    return runWith(List.of(), main, args);
  }

  /** As {@link #run}, with extra JVM options (e.g. {@code -Dname=value}) before the class. */
  public static Result runWith(List<String> jvmArgs, Class<?> main, String... args)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path dir = Files.createTempDirectory("cu-child");
    try {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  java,
                  "-Xss1m",
                  "-XX:-CreateCoredumpOnCrash",
                  "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log")));
      cmd.addAll(jvmArgs);
      cmd.addAll(List.of("-cp", cp, main.getName()));
      cmd.addAll(List.of(args));
      File out = dir.resolve("out.txt").toFile();
      Process p =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out)
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("child JVM did not finish within 120 s");
      }
      return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8));
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
