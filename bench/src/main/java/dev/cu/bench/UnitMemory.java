package dev.cu.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cu.ComputeUnit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.util.ListStatistics;
import party.iroiro.luajava.Lua;

/**
 * Native memory per idle unit with many units alive, for cu and for LuaJava, written in JMH's
 * JSON format as {@code UnitBenchmark.cu_idleUnitMemory} and {@code
 * UnitBenchmark.luajava_idleUnitMemory} in bytes per unit ({@code B/op}), so the report treats
 * them like JMH results.
 *
 * <p>Method: each fork is a new JVM (this class with {@code --child cu|luajava}) whose Java heap
 * is fixed and touched up front ({@code -Xms} = {@code -Xmx}, {@code -XX:+AlwaysPreTouch}), so
 * Java objects do not change the process's resident set. The child opens, uses and closes 200
 * units first (classes, the native library, JIT), runs a full GC, and reads its resident set
 * size ({@code VmRSS} of {@code /proc/self/status}); then it opens the units, each running one
 * trivial chunk ({@code return 1}: cu's {@code compute}, LuaJava's {@code load} + {@code pCall}),
 * and keeps them open; after another full GC it reads {@code VmRSS} again. The score of the fork
 * is the growth divided by the units: the Lua states, everything the binding keeps per state in
 * native memory, and the allocator's overhead. Score and 99.9% error come from JMH's statistics
 * over the forks. Linux only ({@code /proc}).
 */
public final class UnitMemory {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String CLASS = "dev.cu.bench.UnitBenchmark.";
  private static final int WARM_UP_UNITS = 200;

  private UnitMemory() {}

  /** The resident set size of this process, in bytes ({@code VmRSS}). */
  static long residentBytes() throws IOException {
    return statusBytes("VmRSS");
  }

  /** A size in kB of this process's {@code /proc/self/status}, such as {@code RssAnon}, in bytes. */
  static long statusBytes(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no " + field + " in /proc/self/status");
  }

  /** A runtime's unit: opened and used once by {@link #open}, released by {@link #close}. */
  interface Runtime {
    Object open();

    void close(Object unit);
  }

  static Runtime runtime(String name) {
    return switch (name) {
      case "cu" ->
          new Runtime() {
            @Override
            public Object open() {
              ComputeUnit u = ComputeUnit.create();
              u.compute("return 1");
              return u;
            }

            @Override
            public void close(Object unit) {
              ((ComputeUnit) unit).close();
            }
          };
      case "luajava" ->
          new Runtime() {
            @Override
            public Object open() {
              Lua lua = LuaJavaAnchor.open();
              LuaJavaAnchor.eval(lua, "return 1");
              return lua;
            }

            @Override
            public void close(Object unit) {
              ((Lua) unit).close();
            }
          };
      default -> throw new IllegalArgumentException("unknown runtime " + name);
    };
  }

  /**
   * Bytes of resident memory per idle unit in this process.
   *
   * @param runtime {@code cu} or {@code luajava}
   * @param units how many units to keep open
   * @return resident growth over units
   */
  static double measureHere(String runtime, int units) throws IOException {
    Runtime r = runtime(runtime);
    for (int i = 0; i < WARM_UP_UNITS; i++) {
      r.close(r.open());
    }
    settle();
    long before = residentBytes();
    List<Object> open = new ArrayList<>(units);
    try {
      for (int i = 0; i < units; i++) {
        open.add(r.open());
      }
      settle();
      long after = residentBytes();
      return (double) (after - before) / units;
    } finally {
      open.forEach(r::close);
    }
  }

  /** A full collection, then a pause for the collector's threads to finish freeing. */
  static void settle() {
    System.gc();
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs one fork: a child JVM measuring {@code runtime}; returns its bytes per unit. */
  static double fork(String runtime, int units, String heap) throws IOException {
    return Double.parseDouble(
        child(UnitMemory.class, heap, 5, "--child", runtime, "--units", Integer.toString(units)));
  }

  /**
   * Runs {@code main} with {@code args} in a child JVM whose heap is {@code heap}, fixed and
   * touched up front, on this JVM's class path; returns what it printed.
   *
   * @throws IOException when it fails or takes more than {@code minutes}
   */
  static String child(Class<?> main, String heap, int minutes, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "-Xms" + heap,
            "-Xmx" + heap,
            "-XX:+AlwaysPreTouch",
            "-cp",
            System.getProperty("java.class.path"),
            main.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(minutes, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("the " + main.getSimpleName() + " child failed: " + out);
      }
      return out;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** One JMH-format entry for the given per-fork scores. */
  static ObjectNode entry(String runtime, int units, double[] forks) {
    return entry(
        UnitMemory.class,
        CLASS + runtime + "_idleUnitMemory",
        WARM_UP_UNITS + " units opened and closed",
        units + " live units",
        forks,
        "B/op");
  }

  /**
   * One JMH-format entry in bytes per operation for the given per-fork scores.
   *
   * @param tool the class that measured it
   * @param benchmark the full benchmark name
   * @param warmup what was done before measuring, in words
   * @param measured what was measured, in words
   * @param forks each fork's score
   * @param unit the score's unit
   */
  static ObjectNode entry(
      Class<?> tool,
      String benchmark,
      String warmup,
      String measured,
      double[] forks,
      String unit) {
    ListStatistics stats = new ListStatistics();
    ArrayNode raw = MAPPER.createArrayNode();
    for (double v : forks) {
      stats.addValue(v);
      raw.addArray().add(v);
    }
    ObjectNode e = MAPPER.createObjectNode();
    e.put("jmhVersion", "n/a (" + tool.getName() + ")");
    e.put("benchmark", benchmark);
    e.put("mode", "avgt");
    e.put("threads", 1);
    e.put("forks", forks.length);
    e.put("jdkVersion", System.getProperty("java.version"));
    e.put("vmName", System.getProperty("java.vm.name"));
    e.put("warmupIterations", 0);
    e.put("warmupTime", warmup);
    e.put("measurementIterations", 1);
    e.put("measurementTime", measured);
    e.putObject("params");
    ObjectNode m = e.putObject("primaryMetric");
    m.put("score", stats.getMean());
    m.put("scoreError", stats.getN() > 1 ? stats.getMeanErrorAt(0.999) : Double.NaN);
    m.put("scoreUnit", unit);
    m.set("rawData", raw);
    e.putObject("secondaryMetrics");
    return e;
  }

  /**
   * Command line: {@code --out FILE [--forks N] [--units N] [--heap SIZE] [--runtimes
   * cu,luajava]} writes the JSON; {@code --child RUNTIME --units N} is one fork, which prints its
   * bytes per unit.
   *
   * @param args the options above
   * @throws IOException if a child fails or the output cannot be written
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> o = Options.parse(args);
    int units = Integer.parseInt(o.getOrDefault("units", "10000"));
    if (o.containsKey("child")) {
      System.out.println(measureHere(o.get("child"), units));
      return;
    }
    if (!o.containsKey("out")) {
      throw new IllegalArgumentException("usage: --out FILE [--forks N] [--units N] [--heap SIZE]");
    }
    int forks = Integer.parseInt(o.getOrDefault("forks", "3"));
    String heap = o.getOrDefault("heap", "1g");
    ArrayNode all = MAPPER.createArrayNode();
    for (String runtime : o.getOrDefault("runtimes", "cu,luajava").split(",")) {
      double[] scores = new double[forks];
      for (int f = 0; f < forks; f++) {
        scores[f] = fork(runtime, units, heap);
        System.out.printf(
            "# %s%s_idleUnitMemory fork %d: %.0f B/unit%n", CLASS, runtime, f + 1, scores[f]);
      }
      all.add(entry(runtime, units, scores));
    }
    MAPPER.writerWithDefaultPrettyPrinter().writeValue(Path.of(o.get("out")).toFile(), all);
  }
}
