package dev.cu.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.ListStatistics;

/**
 * The standalone-interpreter anchor of the pure-Lua workloads: times the {@code lua} binary built
 * by the project's CMake (same Lua sources and flags as libcu) on the scripts in
 * {@code dev/cu/bench/lua/}, and writes the results in JMH's JSON format under the benchmark name
 * {@value #BENCHMARK} with the parameter {@code script}, so the report treats them like JMH
 * results.
 *
 * <p>Method, mirroring JMH's average-time mode: each fork is a new {@code lua} process running a
 * small driver that loads the script once. Each iteration asks the driver to run the chunk, again
 * and again, until the iteration time has passed; the iteration's score is its wall time (the
 * JVM's {@link System#nanoTime}, the clock JMH uses) divided by the runs. Requests after the first
 * ask for as many runs as fill about a tenth of the iteration, so the pipe round trip to the
 * driver (tens of microseconds) is spread over many runs of a short script and is negligible
 * against one run of a long one. Warm-up iterations are discarded. Score and 99.9% error come
 * from JMH's own statistics over all measurement iterations of all forks. The driver's
 * {@code os.clock} (processor time of the lua process) is reported as the secondary metric
 * {@code ·cpu}.
 *
 * <p>Defaults (forks, iterations, times, output unit, scripts) are those of
 * {@code PureLuaBenchmark}'s annotations, so a full run uses the same settings as the JMH side.
 */
public final class NativeLuaAnchor {
  /** The benchmark name written into the JSON. */
  public static final String BENCHMARK = "dev.cu.bench.NativeLua.lua";

  private static final String SCRIPTS = "/dev/cu/bench/lua/";
  private static final String DRIVER = "/dev/cu/bench/anchor/driver.lua";
  private static final String PEER = "dev.cu.bench.PureLuaBenchmark";

  /**
   * How the anchor measures.
   *
   * @param forks lua processes per script
   * @param warmupIterations discarded iterations per fork
   * @param warmupTime length of one warm-up iteration
   * @param iterations measured iterations per fork
   * @param time length of one measured iteration
   * @param unit output time unit (scores are per run in this unit)
   */
  public record Settings(
      int forks,
      int warmupIterations,
      TimeValue warmupTime,
      int iterations,
      TimeValue time,
      TimeUnit unit) {
    /** The defaults: {@code PureLuaBenchmark}'s annotations, or JMH-like values without it. */
    public static Settings defaults() {
      return of(PEER, TimeUnit.MILLISECONDS);
    }

    /**
     * The JMH annotations of a benchmark class, or JMH-like values where it has none.
     *
     * @param peerClass the class's name
     * @param unit the output unit without an annotation
     * @return the settings
     */
    public static Settings of(String peerClass, TimeUnit unit) {
      Settings s = new Settings(2, 3, TimeValue.seconds(1), 5, TimeValue.seconds(1), unit);
      try {
        Class<?> peer = Class.forName(peerClass);
        Fork f = peer.getAnnotation(Fork.class);
        Warmup w = peer.getAnnotation(Warmup.class);
        Measurement m = peer.getAnnotation(Measurement.class);
        OutputTimeUnit u = peer.getAnnotation(OutputTimeUnit.class);
        s =
            new Settings(
                f != null && f.value() > 0 ? f.value() : s.forks,
                w != null && w.iterations() >= 0 ? w.iterations() : s.warmupIterations,
                w != null && w.time() > 0 ? new TimeValue(w.time(), w.timeUnit()) : s.warmupTime,
                m != null && m.iterations() > 0 ? m.iterations() : s.iterations,
                m != null && m.time() > 0 ? new TimeValue(m.time(), m.timeUnit()) : s.time,
                u != null ? u.value() : s.unit);
      } catch (ClassNotFoundException e) {
        // no pure-Lua JMH benchmark in this build: keep the plain defaults
      }
      return s;
    }
  }

  private final Path lua;
  private final Settings settings;

  /**
   * An anchor timing the given interpreter.
   *
   * @param lua path of the standalone {@code lua} binary
   * @param settings forks, iterations and times
   */
  public NativeLuaAnchor(Path lua, Settings settings) {
    this.lua = lua;
    this.settings = settings;
  }

  /** The script names of {@code PureLuaBenchmark}'s {@code script} parameter, or the usual three. */
  public static List<String> defaultScripts() {
    try {
      Param p = Class.forName(PEER).getField("script").getAnnotation(Param.class);
      if (p != null && p.value().length > 0) {
        return List.of(p.value());
      }
    } catch (ClassNotFoundException | NoSuchFieldException e) {
      // fall through to the usual scripts
    }
    return List.of("fib", "binarytrees", "strings");
  }

  /**
   * Measures one bundled script ({@code dev/cu/bench/lua/<name>.lua}).
   *
   * @param name the script's name, also the {@code script} parameter in the result
   * @return one JMH-format result entry
   * @throws IOException if the script is missing or the interpreter fails
   */
  public ObjectNode measureBundled(String name) throws IOException {
    Path dir = Files.createTempDirectory("cu-anchor");
    try {
      Path script = dir.resolve(name + ".lua");
      copyResource(SCRIPTS + name + ".lua", script);
      return measure(name, script);
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Measures a script file.
   *
   * @param name the {@code script} parameter recorded in the result
   * @param script the chunk to run; it must return normally
   * @return one JMH-format result entry
   * @throws IOException if the interpreter cannot be started or fails
   */
  public ObjectNode measure(String name, Path script) throws IOException {
    return measure(BENCHMARK, Map.of("script", name), script, List.of());
  }

  /**
   * Measures a script file under any benchmark name.
   *
   * @param benchmark the benchmark name recorded in the result ({@code package.Class.method})
   * @param params the parameters recorded in the result
   * @param script the chunk to run; with {@code factoryArgs}, a chunk that is called once with
   *     them and returns the function to run
   * @param factoryArgs arguments of the factory, or none for a plain chunk
   * @return one JMH-format result entry
   * @throws IOException if the interpreter cannot be started or fails
   */
  public ObjectNode measure(
      String benchmark, Map<String, String> params, Path script, List<String> factoryArgs)
      throws IOException {
    Path dir = Files.createTempDirectory("cu-driver");
    try {
      Path driver = dir.resolve("driver.lua");
      copyResource(DRIVER, driver);
      List<double[]> wall = new ArrayList<>();
      List<double[]> cpu = new ArrayList<>();
      for (int f = 0; f < settings.forks; f++) {
        double[][] fork = fork(driver, script, factoryArgs, dir.resolve("stderr-" + f));
        wall.add(fork[0]);
        cpu.add(fork[1]);
        System.out.printf(
            "# %s%s fork %d: %s %s%n",
            benchmark, params, f + 1, Arrays.toString(fork[0]), unitLabel());
      }
      ObjectNode entry = MAPPER.createObjectNode();
      entry.put("jmhVersion", "n/a (dev.cu.bench.NativeLuaAnchor)");
      entry.put("benchmark", benchmark);
      entry.put("mode", "avgt");
      entry.put("threads", 1);
      entry.put("forks", settings.forks);
      entry.put("jvm", lua.toAbsolutePath().toString());
      entry.put("interpreter", version(lua) + " (standalone interpreter)");
      entry.put("warmupIterations", settings.warmupIterations);
      entry.put("warmupTime", settings.warmupTime.toString());
      entry.put("warmupBatchSize", 1);
      entry.put("measurementIterations", settings.iterations);
      entry.put("measurementTime", settings.time.toString());
      entry.put("measurementBatchSize", 1);
      ObjectNode p = entry.putObject("params");
      params.forEach(p::put);
      entry.set("primaryMetric", metric(wall));
      entry.putObject("secondaryMetrics").set("·cpu", metric(cpu));
      return entry;
    } finally {
      deleteTree(dir);
    }
  }

  /** One lua process: warm-up, then measured iterations; returns {wall scores, cpu scores}. */
  private double[][] fork(Path driver, Path script, List<String> factoryArgs, Path stderr)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(lua.toString(), driver.toString()));
    command.add(script.toString());
    command.addAll(factoryArgs);
    Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    double perUnit = TimeUnit.NANOSECONDS.convert(1, settings.unit);
    double[] wall = new double[settings.iterations];
    double[] cpu = new double[settings.iterations];
    try (Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        BufferedReader out =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (int i = 0; i < settings.warmupIterations; i++) {
        iteration(in, out, settings.warmupTime, stderr);
      }
      for (int i = 0; i < settings.iterations; i++) {
        double[] r = iteration(in, out, settings.time, stderr);
        wall[i] = r[0] / perUnit;
        cpu[i] = r[1] * 1e9 / perUnit;
      }
      in.write("\n");
    } finally {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    return new double[][] {wall, cpu};
  }

  /**
   * Runs the chunk until the time has passed, in requests of about a tenth of the iteration each
   * (one run at first) so the pipe round trips stay small against the work; returns {wall ns per
   * run, cpu s per run}.
   */
  private static double[] iteration(Writer in, BufferedReader out, TimeValue time, Path stderr)
      throws IOException {
    long length = time.convertTo(TimeUnit.NANOSECONDS);
    long runs = 0;
    long batch = 1;
    double cpu = 0;
    long start = System.nanoTime();
    long elapsed;
    do {
      in.write(batch + "\n");
      in.flush();
      String line = out.readLine();
      if (line == null) {
        throw new IOException("lua failed: " + Files.readString(stderr).strip());
      }
      cpu += Double.parseDouble(line.substring(0, line.indexOf(' ')));
      runs += batch;
      elapsed = System.nanoTime() - start;
      double perRun = (double) elapsed / runs;
      batch = Math.max(1, (long) (Math.min(length / 10.0, length - elapsed) / perRun));
    } while (elapsed < length);
    return new double[] {(double) elapsed / runs, cpu / runs};
  }

  /** JMH's primaryMetric layout: score, 99.9% error and interval, percentiles, raw data. */
  private ObjectNode metric(List<double[]> forks) {
    ListStatistics stats = new ListStatistics();
    ArrayNode raw = MAPPER.createArrayNode();
    for (double[] fork : forks) {
      ArrayNode r = raw.addArray();
      for (double v : fork) {
        stats.addValue(v);
        r.add(v);
      }
    }
    ObjectNode m = MAPPER.createObjectNode();
    m.put("score", stats.getMean());
    m.put("scoreError", stats.getN() > 1 ? stats.getMeanErrorAt(0.999) : Double.NaN);
    double[] ci = stats.getConfidenceIntervalAt(0.999);
    m.putArray("scoreConfidence").add(ci[0]).add(ci[1]);
    ObjectNode pct = m.putObject("scorePercentiles");
    pct.put("0.0", stats.getMin());
    for (double q : new double[] {50.0, 90.0, 95.0, 99.0, 99.9, 99.99, 99.999, 99.9999}) {
      pct.put(Double.toString(q), stats.getPercentile(q));
    }
    pct.put("100.0", stats.getMax());
    m.put("scoreUnit", unitLabel());
    m.set("rawData", raw);
    return m;
  }

  private String unitLabel() {
    return TimeValue.tuToString(settings.unit) + "/op";
  }

  /** {@code lua -v} up to its copyright notice, e.g. {@code Lua 5.4.7}. */
  static String version(Path lua) throws IOException {
    Process p = new ProcessBuilder(lua.toString(), "-v").redirectErrorStream(true).start();
    try (InputStream in = p.getInputStream()) {
      String v = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      return v.split("\\s{2,}|\n", 2)[0];
    }
  }

  static void copyResource(String name, Path to) throws IOException {
    try (InputStream in = NativeLuaAnchor.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing resource " + name);
      }
      Files.copy(in, to);
    }
  }

  /** Deletes {@code dir} and everything under it. */
  static void deleteTree(Path dir) throws IOException {
    List<Path> all;
    try (var files = Files.walk(dir)) {
      all = files.sorted(java.util.Comparator.reverseOrder()).toList(); // children first
    }
    for (Path f : all) {
      Files.delete(f);
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Command line: {@code --lua PATH --out FILE [--forks N] [--warmup N] [--warmup-time T]
   * [--iterations N] [--time T] [--scripts a,b,c]}; times use JMH's syntax ({@code 500ms},
   * {@code 1s}).
   *
   * @param args the options above
   * @throws IOException if the interpreter fails or the output cannot be written
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> opts = Options.parse(args);
    if (!opts.containsKey("lua") || !opts.containsKey("out")) {
      throw new IllegalArgumentException("usage: --lua PATH --out FILE [options]");
    }
    Settings d = Settings.defaults();
    Settings s =
        new Settings(
            Integer.parseInt(opts.getOrDefault("forks", Integer.toString(d.forks))),
            Integer.parseInt(opts.getOrDefault("warmup", Integer.toString(d.warmupIterations))),
            opts.containsKey("warmup-time")
                ? TimeValue.fromString(opts.get("warmup-time"))
                : d.warmupTime,
            Integer.parseInt(opts.getOrDefault("iterations", Integer.toString(d.iterations))),
            opts.containsKey("time") ? TimeValue.fromString(opts.get("time")) : d.time,
            d.unit);
    List<String> scripts =
        opts.containsKey("scripts") ? List.of(opts.get("scripts").split(",")) : defaultScripts();
    NativeLuaAnchor anchor = new NativeLuaAnchor(Path.of(opts.get("lua")), s);
    ArrayNode all = MAPPER.createArrayNode();
    for (String name : scripts) {
      all.add(anchor.measureBundled(name));
    }
    MAPPER.writerWithDefaultPrettyPrinter().writeValue(Path.of(opts.get("out")).toFile(), all);
  }
}
