package dev.cu.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One of cu's performance targets, evaluated on a run's results. Targets are fixed here and
 * never adjusted to results; a target whose benchmarks are missing is reported as not measured.
 *
 * @param id short name shown in the report
 * @param text what is required, in words
 * @param kind how the measured value is computed and compared
 * @param refs the benchmarks involved: the measured one first, then the one it is compared to
 * @param limit the bound: a ratio, nanoseconds, or a rate per second, depending on {@code kind}
 * @param perOp for {@link Kind#RATE_MIN}: items per benchmark operation
 */
public record Target(
    String id, String text, Kind kind, List<Ref> refs, double limit, double perOp) {

  /** How a target is measured. */
  public enum Kind {
    /** time per op of refs[0] over that of refs[1] at most {@code limit}. */
    RATIO_MAX,
    /** time per op of refs[0] below {@code limit} nanoseconds. */
    TIME_MAX,
    /** {@code perOp} items per op of refs[0]: items per second at least {@code limit}. */
    RATE_MIN,
    /** operations per second of refs[0] over those of refs[1] at least {@code limit}. */
    SCALING_MIN
  }

  /** Whether a target is met. */
  public enum Status {
    MET,
    MISSED,
    NOT_MEASURED
  }

  /**
   * A benchmark: {@code Class.method} and parameters.
   *
   * @param key {@code Class.method}
   * @param params JMH parameters (empty for none)
   */
  public record Ref(String key, Map<String, String> params) {
    @Override
    public String toString() {
      return key + Result.paramText(params);
    }
  }

  /**
   * A target evaluated on one run.
   *
   * @param target the target
   * @param status met, missed or not measured
   * @param value the measured value (NaN if not measured)
   * @param measured the value in words, or which benchmarks are missing
   * @param withinError whether the limit lies inside the value's 99.9% error bar
   */
  public record Outcome(
      Target target, Status status, double value, String measured, boolean withinError) {}

  /** The limit in words. */
  public String limitText() {
    return switch (kind) {
      case RATIO_MAX ->
          "≤ " + Fmt.ratio(limit) + (limit < 1 ? " (" + Fmt.num(1 / limit) + "x faster)" : "");
      case TIME_MAX -> "< " + Fmt.time(limit);
      case RATE_MIN -> "≥ " + Fmt.num(limit) + " /s";
      case SCALING_MIN -> "≥ " + Fmt.ratio(limit);
    };
  }

  /**
   * Evaluates the target.
   *
   * @param results the run's results
   * @return the outcome
   */
  public Outcome evaluate(Results results) {
    List<Result> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Ref r : refs) {
      Optional<Result> res = results.find(r.key, r.params);
      res.ifPresentOrElse(found::add, () -> missing.add("`" + r + "`"));
    }
    if (!missing.isEmpty()) {
      return new Outcome(
          this,
          Status.NOT_MEASURED,
          Double.NaN,
          "not measured (no " + String.join(", ", missing) + ")",
          false);
    }
    Result a = found.get(0);
    double rel = found.stream().mapToDouble(Result::relativeError).sum();
    double value;
    String shown;
    boolean upperBound;
    switch (kind) {
      case RATIO_MAX -> {
        value = a.nanosPerOp() / found.get(1).nanosPerOp();
        shown =
            Fmt.ratioAgainst(value, limit)
                + " ("
                + Fmt.time(a.nanosPerOp())
                + " / "
                + Fmt.time(found.get(1).nanosPerOp())
                + ")";
        upperBound = true;
      }
      case TIME_MAX -> {
        value = a.nanosPerOp();
        shown = Fmt.time(value);
        upperBound = true;
      }
      case RATE_MIN -> {
        value = perOp * 1e9 / a.nanosPerOp();
        shown = Fmt.num(value) + " /s";
        upperBound = false;
      }
      default -> {
        value = a.opsPerSecond() / found.get(1).opsPerSecond();
        shown =
            Fmt.ratioAgainst(value, limit)
                + " ("
                + Fmt.num(a.opsPerSecond())
                + " / "
                + Fmt.num(found.get(1).opsPerSecond())
                + " ops/s)";
        upperBound = false;
      }
    }
    if (!Double.isFinite(value) || value <= 0) {
      return new Outcome(
          this,
          Status.NOT_MEASURED,
          Double.NaN,
          "not measured (no usable score: " + shown + ")",
          false);
    }
    boolean met =
        upperBound ? (kind == Kind.TIME_MAX ? value < limit : value <= limit) : value >= limit;
    double lo = value * (1 - rel);
    double hi = value * (1 + rel);
    boolean within = lo <= limit && limit <= hi;
    return new Outcome(
        this,
        met ? Status.MET : Status.MISSED,
        value,
        shown + " ± " + Fmt.num(rel * 100) + "%",
        within);
  }

  private static Target ratio(
      String id, String text, String cu, String anchor, Map<String, String> params, double max) {
    return new Target(
        id, text, Kind.RATIO_MAX, List.of(new Ref(cu, params), new Ref(anchor, params)), max, 0);
  }

  private static Target time(String id, String text, String key, double maxNanos) {
    return new Target(id, text, Kind.TIME_MAX, List.of(new Ref(key, Map.of())), maxNanos, 0);
  }

  private static Target scaling(String id, String text, String two, String one, double min) {
    return new Target(
        id,
        text,
        Kind.SCALING_MIN,
        List.of(new Ref(two, Map.of()), new Ref(one, Map.of())),
        min,
        0);
  }

  /** cu's performance targets, in the order the report lists them. */
  public static List<Target> all() {
    List<Target> t = new ArrayList<>();
    String rt = "RoundTripBenchmark.";
    t.add(
        ratio(
            "round trip vs LuaJava",
            "trivial round trip: cu_cached / luajava_eval",
            rt + "cu_cached",
            rt + "luajava_eval",
            Map.of(),
            0.25));
    t.add(time("round trip", "trivial round trip: cu_cached", rt + "cu_cached", 300));
    String c = "CallBenchmark.";
    t.add(
        ratio(
            "Java→Lua call",
            "empty Java→Lua call: cu_javaCallsLua / luajava_javaCallsLua",
            c + "cu_javaCallsLua",
            c + "luajava_javaCallsLua",
            Map.of(),
            1.0));
    t.add(
        ratio(
            "Lua→Java call",
            "empty host call: cu_hostCallEmpty / luajava_hostCallEmpty",
            c + "cu_hostCallEmpty",
            c + "luajava_hostCallEmpty",
            Map.of(),
            0.7));
    t.add(
        ratio(
            "Lua→Java call, args",
            "host call with arguments: cu_hostCallArgs / " + "luajava_hostCallArgs",
            c + "cu_hostCallArgs",
            c + "luajava_hostCallArgs",
            Map.of(),
            0.7));
    String p = "PureLuaBenchmark.";
    for (String s : List.of("fib", "binarytrees", "strings")) {
      Map<String, String> sp = Map.of("script", s);
      t.add(
          ratio(
              "pure Lua " + s,
              "pure Lua, " + s + ": cu / standalone lua",
              p + "cu",
              p + "lua",
              sp,
              1.05));
      t.add(
          ratio(
              "pure Lua " + s + " vs LuaJ",
              "pure Lua, " + s + ": cu / luaj",
              p + "cu",
              p + "luaj",
              sp,
              1 / 2.5));
    }
    String h = "HomeBenchmark.";
    t.add(time("home write", "home: cu_write1k (1,000 entries)", h + "cu_write1k", 1e6));
    t.add(
        ratio(
            "home read",
            "home: cu_read1m / plain_read1m",
            h + "cu_read1m",
            h + "plain_read1m",
            Map.of(),
            3.0));
    t.add(
        new Target(
            "records",
            "I/O: cu_records100k, 100,000 records per operation",
            Kind.RATE_MIN,
            List.of(new Ref("IoBenchmark.cu_records100k", Map.of())),
            1e6,
            100_000));
    String ps = "PersistBenchmark.";
    t.add(time("save state", "saveState10k", ps + "saveState10k", 10e6));
    t.add(time("function persist", "functionPersist, per function", ps + "functionPersist", 20e3));
    String th = "ThroughputBenchmark.";
    t.add(
        scaling(
            "2 threads, trivial",
            "ops/s: trivial_t2 / trivial_t1",
            th + "trivial_t2",
            th + "trivial_t1",
            1.8));
    t.add(
        scaling(
            "2 threads, 1 ms work",
            "ops/s: work1ms_t2 / work1ms_t1",
            th + "work1ms_t2",
            th + "work1ms_t1",
            1.8));
    return t;
  }
}
