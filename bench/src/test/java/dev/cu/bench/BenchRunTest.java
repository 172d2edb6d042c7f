package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.bench.report.Target;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/**
 * Runs {@code bench/run} with a stand-in {@code java} that lists this module's benchmarks and
 * targets and records every other command instead of running it, and checks how the script
 * groups the benchmarks and in what order it runs the groups and the anchors.
 */
class BenchRunTest {
  private static final String NATIVE_ANCHOR = "dev.cu.bench.NativeLuaAnchor";

  @TempDir Path root;

  private List<String> names;
  private Set<String> targets;

  /** The script's short and wide classes, as alternatives of a regular expression. */
  private String shortClasses;

  private String wideClasses;

  @BeforeEach
  void setUp() throws IOException {
    names = benchmarkNames();
    targets =
        Target.all().stream()
            .flatMap(t -> t.refs().stream())
            .map(r -> "dev.cu.bench." + r.key())
            .collect(Collectors.toCollection(TreeSet::new));
    String script = Files.readString(Path.of("run"));
    shortClasses = assignment(script, "short_classes");
    wideClasses = assignment(script, "wide_classes");
    Path bench = Files.createDirectories(root.resolve("bench"));
    Files.copy(Path.of("run"), bench.resolve("run"));
    Files.createDirectories(bench.resolve("target"));
    Files.writeString(bench.resolve("target/benchmarks.jar"), "");
    for (String platform :
        List.of("linux-x86_64", "linux-aarch64", "macos-aarch64", "macos-x86_64")) {
      Path lua = Files.createDirectories(root.resolve("native/target/" + platform)).resolve("lua");
      executable(lua, "#!/bin/sh\n");
    }
    Files.write(root.resolve("names.txt"), names);
    Files.write(root.resolve("targets.txt"), targets);
    Path bin = Files.createDirectories(root.resolve("bin"));
    // java -l [REGEX] lists the benchmarks as JMH does (a pattern found anywhere in the name),
    // Target prints the targets' benchmarks; every other command is only recorded.
    executable(
        bin.resolve("java"),
        "#!/usr/bin/env bash\n"
            + "printf '%s\\n' \"$*\" >> \"$FAKE_ROOT/calls.txt\"\n"
            + "args=(\"$@\")\n"
            + "for ((i = 0; i < ${#args[@]}; i++)); do\n"
            + "  case \"${args[i]}\" in\n"
            + "    -l) echo 'Benchmarks:'\n"
            + "        if [ -n \"${args[i+1]:-}\" ]; then\n"
            + "          grep -E -- \"${args[i+1]}\" \"$FAKE_ROOT/names.txt\" || true\n"
            + "        else cat \"$FAKE_ROOT/names.txt\"; fi\n"
            + "        exit 0 ;;\n"
            + "    dev.cu.bench.report.Target) cat \"$FAKE_ROOT/targets.txt\"; exit 0 ;;\n"
            + "  esac\n"
            + "done\n");
    executable(
        bin.resolve("mvn"), "#!/bin/sh\necho \"mvn $*\" >> \"$FAKE_ROOT/calls.txt\"\nexit 1\n");
  }

  @Test
  void aStableRunGroupsEveryBenchmarkOnceInItsOrder() throws Exception {
    List<String> calls = run("stable");
    List<String> jmh = jmhCalls(calls);
    assertThat(jmh).hasSize(4);
    assertThat(jmh.get(0)).contains("-f 10 -wi 2 -w 1s -i 4 -r 250ms");
    assertThat(jmh.get(1)).contains("-f 2 -wi 2 -w 1s -i 4 -r 250ms");
    assertThat(jmh.get(2)).contains("-f 6 -wi 2 -i 4 -jvmArgsAppend");
    assertThat(jmh.get(3)).doesNotContain(" -f ").contains("-jvmArgsAppend");

    Set<String> shortGroup = includes(jmh.get(0));
    Set<String> wideGroup = includes(jmh.get(2));
    assertThat(shortGroup)
        .isEqualTo(
            select(
                n ->
                    n.matches("dev\\.cu\\.bench\\.FloorBenchmark\\..*")
                        || (targets.contains(n)
                            && n.matches("dev\\.cu\\.bench\\.(" + shortClasses + ")\\..*"))));
    assertThat(includes(jmh.get(1)))
        .isEqualTo(
            select(
                n ->
                    !shortGroup.contains(n)
                        && n.matches("dev\\.cu\\.bench\\.(" + shortClasses + ")\\..*")));
    assertThat(wideGroup)
        .isNotEmpty()
        .isEqualTo(
            select(
                n ->
                    targets.contains(n)
                        && n.matches("dev\\.cu\\.bench\\.(" + wideClasses + ")\\..*")));
    assertEveryNameOnce(jmh, names);

    int wide = calls.indexOf(jmh.get(2));
    assertThat(calls.get(wide + 1)).contains(NATIVE_ANCHOR).contains("--forks 6");
    assertThat(calls.get(wide + 2)).isEqualTo(jmh.get(3));
    assertThat(calls).noneMatch(c -> c.startsWith("mvn"));
    assertThat(calls.get(calls.size() - 1))
        .contains("dev.cu.bench.report.Report --out docs")
        .contains("--mode stable");
  }

  @Test
  void aFocusedStableRunWithoutFloorsRunsItsTargetsThenTheAnchor() throws Exception {
    List<String> calls = run("stable", "PureLua");
    List<String> jmh = jmhCalls(calls);
    List<String> selected = select(n -> n.contains("PureLua")).stream().toList();
    assertThat(selected).isNotEmpty();
    assertThat(jmh).hasSizeBetween(1, 2);
    assertThat(jmh.get(0)).contains("-f 6 -wi 2 -i 4");
    assertThat(includes(jmh.get(0)))
        .isEqualTo(select(n -> selected.contains(n) && targets.contains(n)));
    assertEveryNameOnce(jmh, selected);
    assertThat(calls.get(calls.indexOf(jmh.get(0)) + 1)).contains(NATIVE_ANCHOR);
    assertThat(calls.get(calls.size() - 1)).contains("--out bench/target/report");
  }

  @Test
  void aFocusedRunOfTheFloorsAloneRunsNoAnchor() throws Exception {
    List<String> calls = run("stable", "FloorBenchmark");
    List<String> jmh = jmhCalls(calls);
    assertThat(jmh).hasSize(1);
    assertThat(includes(jmh.get(0))).isEqualTo(select(n -> n.contains("FloorBenchmark")));
    assertThat(calls).noneMatch(c -> c.contains(NATIVE_ANCHOR));
  }

  @Test
  void aQuickRunRunsOneGroupThenTheAnchor() throws Exception {
    List<String> calls = run("quick", "PureLua");
    List<String> jmh = jmhCalls(calls);
    assertThat(jmh).hasSize(1);
    assertThat(jmh.get(0)).contains("-f 2 -wi 2 -w 1500ms -i 3 -r 200ms");
    assertThat(includes(jmh.get(0))).isEqualTo(select(n -> n.contains("PureLua")));
    assertThat(calls.get(calls.indexOf(jmh.get(0)) + 1))
        .contains(NATIVE_ANCHOR)
        .contains("--forks 2");
  }

  @Test
  void anUnknownModeIsAUsageError() throws Exception {
    Process p = start(false, "fast");
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
        .contains("usage: bench/run quick|stable|full|smoke");
    assertThat(root.resolve("calls.txt")).doesNotExist();
  }

  /** Runs the script to its end and returns the commands it gave the stand-ins, in order. */
  private List<String> run(String... args) throws Exception {
    Process p = start(true, args);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return Files.readAllLines(root.resolve("calls.txt"));
  }

  /** Starts the script; {@code merge}: its errors go to its output. */
  private Process start(boolean merge, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", root.resolve("bench/run").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(merge);
    pb.environment().put("PATH", root.resolve("bin") + ":" + System.getenv("PATH"));
    pb.environment().put("FAKE_ROOT", root.toString());
    return pb.start();
  }

  /** The JMH runs among {@code calls}: the benchmark jar run with include patterns. */
  private static List<String> jmhCalls(List<String> calls) {
    return calls.stream().filter(c -> c.startsWith("-jar bench/target/benchmarks.jar ^")).toList();
  }

  /** The benchmarks a JMH run includes: its {@code ^name$} patterns. */
  private static Set<String> includes(String call) {
    Set<String> in = new TreeSet<>();
    Matcher m = Pattern.compile("\\^(\\S+)\\$").matcher(call);
    while (m.find()) {
      in.add(m.group(1).replace("\\.", "."));
    }
    return in;
  }

  private static void assertEveryNameOnce(List<String> jmh, List<String> expected) {
    List<String> all = new ArrayList<>();
    jmh.forEach(c -> all.addAll(includes(c)));
    assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
  }

  private Set<String> select(java.util.function.Predicate<String> p) {
    return names.stream().filter(p).collect(Collectors.toCollection(TreeSet::new));
  }

  /** The benchmarks JMH lists, from the list the annotation processor generated. */
  private static List<String> benchmarkNames() throws IOException {
    try (InputStream in = BenchRunTest.class.getResourceAsStream(BenchmarkList.BENCHMARK_LIST)) {
      assertThat(in).as("the generated benchmark list").isNotNull();
      Set<String> n = new LinkedHashSet<>();
      for (BenchmarkListEntry e : BenchmarkList.readBenchmarkList(in)) {
        n.add(e.getUsername());
      }
      return new ArrayList<>(new TreeSet<>(n));
    }
  }

  /** The value of the script's {@code name='...'}. */
  private static String assignment(String script, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "='([^']+)'$").matcher(script);
    assertThat(m.find()).as(name).isTrue();
    return m.group(1);
  }

  private static void executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
