package dev.cu.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One JMH result entry (or one native-anchor entry in the same format), with its score converted
 * to time per operation or operations per second whatever the benchmark mode and output unit.
 *
 * @param workload the benchmark class's simple name ({@code RoundTripBenchmark}); the native
 *     anchor {@code NativeLua} is filed under {@code PureLuaBenchmark}
 * @param method the benchmark method ({@code cu_cached}); the native anchor's is {@code lua}
 * @param params the JMH parameters, sorted by name
 * @param mode JMH's mode ({@code avgt}, {@code thrpt}, {@code sample}, {@code ss})
 * @param threads benchmark threads
 * @param score the primary score in {@code unit}
 * @param error the 99.9% error half-width in {@code unit} (NaN if JMH gave none)
 * @param unit the score unit as JMH writes it ({@code ns/op}, {@code ops/s})
 * @param forks forks run
 * @param settings warm-up and measurement as run, e.g. {@code 2 forks, 2 x 500 ms warm-up, 3 x 500
 *     ms}
 * @param vm the JVM (or interpreter) that ran it
 * @param cpu the secondary metric {@code ·cpu} (processor time per operation, in {@code unit})
 *     that the native anchor records, or NaN
 * @param p99 for JMH's {@code sample} mode, the 99th percentile of the sampled times in {@code
 *     unit}, or NaN
 */
public record Result(
    String workload,
    String method,
    Map<String, String> params,
    String mode,
    int threads,
    double score,
    double error,
    String unit,
    int forks,
    String settings,
    String vm,
    double cpu,
    double p99) {

  /** Workload name of the native interpreter anchor's entries. */
  static final String NATIVE_CLASS = "NativeLua";

  /** The workload the native anchor's entries belong to. */
  static final String NATIVE_WORKLOAD = "PureLuaBenchmark";

  /**
   * Reads one entry of JMH's JSON output.
   *
   * @param n the entry
   * @return the result
   */
  public static Result of(JsonNode n) {
    String full = n.path("benchmark").asText();
    int dot = full.lastIndexOf('.');
    String cls = full.substring(full.lastIndexOf('.', dot - 1) + 1, dot);
    Map<String, String> params = new TreeMap<>();
    n.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
    JsonNode m = n.path("primaryMetric");
    int forks = n.path("forks").asInt();
    String settings =
        String.format(
            "%d fork%s, %d x %s warm-up, %d x %s",
            forks,
            forks == 1 ? "" : "s",
            n.path("warmupIterations").asInt(),
            n.path("warmupTime").asText("?"),
            n.path("measurementIterations").asInt(),
            n.path("measurementTime").asText("?"));
    String vm =
        n.has("interpreter")
            ? n.path("interpreter").asText()
            : (n.path("vmName").asText() + " " + n.path("jdkVersion").asText()).strip()
                + (n.has("jmhVersion") ? ", JMH " + n.path("jmhVersion").asText() : "");
    return new Result(
        cls.equals(NATIVE_CLASS) ? NATIVE_WORKLOAD : cls,
        full.substring(dot + 1),
        Map.copyOf(params),
        n.path("mode").asText(),
        n.path("threads").asInt(1),
        m.path("score").asDouble(Double.NaN),
        m.path("scoreError").asDouble(Double.NaN),
        m.path("scoreUnit").asText(),
        forks,
        settings,
        vm,
        n.path("secondaryMetrics").path("·cpu").path("score").asDouble(Double.NaN),
        n.path("mode").asText().equals("sample") // other modes' percentiles are of iterations
            ? m.path("scorePercentiles").path("99.0").asDouble(Double.NaN)
            : Double.NaN);
  }

  /** {@code Class.method}, the key targets and pairs use. */
  public String key() {
    return workload + "." + method;
  }

  /** The method and its parameters, e.g. {@code cu [script=fib]}. */
  public String label() {
    return method + paramText(params);
  }

  /** Parameters as {@code  [a=1, b=2]}, or empty. */
  static String paramText(Map<String, String> params) {
    if (params.isEmpty()) {
      return "";
    }
    return new TreeMap<>(params)
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(", ", " [", "]"));
  }

  /** Whether the score is a rate ({@code ops/<time>}) rather than a time ({@code <time>/op}). */
  public boolean isRate() {
    return unit.startsWith("ops/");
  }

  /**
   * Whether the score is a time or a rate of time ({@code ns/op}, {@code ops/s}) rather than a
   * quantity per operation such as bytes ({@code B/op}).
   */
  public boolean isTime() {
    return timeUnit() != null;
  }

  /** The unit's time part ({@code ms} of {@code ms/op} or {@code ops/ms}), or null for none. */
  private TimeUnit timeUnit() {
    int slash = unit.indexOf('/');
    String t = isRate() ? unit.substring(4) : slash < 0 ? "" : unit.substring(0, slash);
    return switch (t) {
      case "ns" -> TimeUnit.NANOSECONDS;
      case "us" -> TimeUnit.MICROSECONDS;
      case "ms" -> TimeUnit.MILLISECONDS;
      case "s" -> TimeUnit.SECONDS;
      case "min" -> TimeUnit.MINUTES;
      case "hr" -> TimeUnit.HOURS;
      case "day" -> TimeUnit.DAYS;
      default -> null;
    };
  }

  /** Nanoseconds of the unit's time part ({@code ms} of {@code ms/op} or {@code ops/ms}). */
  double unitNanos() {
    TimeUnit tu = timeUnit();
    if (tu == null) {
      throw new IllegalArgumentException("not a time unit: " + unit);
    }
    return tu.toNanos(1);
  }

  /**
   * The cost of one operation, the figure ratios compare: nanoseconds for a time or a rate,
   * otherwise the score itself in its unit (bytes for {@code B/op}).
   */
  public double perOp() {
    return isTime() ? nanosPerOp() : score;
  }

  /** Time per operation of one thread, in nanoseconds. */
  public double nanosPerOp() {
    return isRate() ? threads * unitNanos() / score : score * unitNanos();
  }

  /** Operations per second of all threads together. */
  public double opsPerSecond() {
    return isRate() ? score * 1e9 / unitNanos() : threads * 1e9 / nanosPerOp();
  }

  /** The 99.9% error relative to the score (0 if JMH gave none). */
  public double relativeError() {
    return Double.isNaN(error) || score == 0 ? 0 : Math.abs(error / score);
  }
}
