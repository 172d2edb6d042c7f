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
    /**
     * cost per op of refs[0] over that of refs[1] at most {@code limit}: time, or another
     * quantity per op such as bytes when both are measured in it.
     */
    RATIO_MAX,
    /** time per op of refs[0] below {@code limit} nanoseconds. */
    TIME_MAX,
    /** {@code perOp} items per op of refs[0]: items per second at least {@code limit}. */
    RATE_MIN,
    /** operations per second of refs[0] over those of refs[1] at least {@code limit}. */
    SCALING_MIN,
    /**
     * the score of refs[0], a quantity that is not a time (such as a ratio each fork measured
     * itself), at most {@code limit}.
     */
    VALUE_MAX
  }

  /**
   * Whether a target is met. A target is met only when the whole 99.9% error bar meets it: the
   * value plus its error for an upper limit, minus its error for a lower one; a value that meets
   * the limit while its error bar reaches past it is a miss, and so is a value without an error
   * bar (JMH gives none for fewer than 3 measurements).
   */
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
   * @param withinError whether the value itself meets the limit but its 99.9% error bar reaches
   *     past it: a miss, which the report marks as "limit inside the error bar"
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
      case VALUE_MAX -> "≤ " + Fmt.ratio(limit);
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
    switch (kind) {
      case RATIO_MAX -> {
        Result b = found.get(1);
        value = a.perOp() / b.perOp();
        shown = Fmt.ratioAgainst(value, limit) + " (" + Fmt.perOp(a) + " / " + Fmt.perOp(b) + ")";
      }
      case TIME_MAX -> {
        value = a.nanosPerOp();
        shown = Fmt.time(value);
      }
      case RATE_MIN -> {
        value = perOp * 1e9 / a.nanosPerOp();
        shown = Fmt.num(value) + " /s";
      }
      case VALUE_MAX -> {
        value = a.score();
        shown = Fmt.ratio(value);
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
    if (found.stream().anyMatch(r -> Double.isNaN(r.error()))) {
      // JMH gives no interval for fewer than 3 measurements: no bar, so nothing to meet
      return new Outcome(this, Status.MISSED, value, shown + " ± n/a (no error bar)", false);
    }
    double lo = value * (1 - rel);
    double hi = value * (1 + rel);
    boolean met;
    boolean valueMeets;
    switch (kind) {
      case TIME_MAX -> {
        met = hi < limit;
        valueMeets = value < limit;
      }
      case RATIO_MAX, VALUE_MAX -> {
        met = hi <= limit;
        valueMeets = value <= limit;
      }
      default -> {
        met = lo >= limit;
        valueMeets = value >= limit;
      }
    }
    return new Outcome(
        this,
        met ? Status.MET : Status.MISSED,
        value,
        shown + " ± " + Fmt.num(rel * 100) + "%",
        !met && valueMeets);
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

  /**
   * Prints the benchmarks the targets name, one {@code dev.cu.bench.Class.method} a line, for
   * {@code bench/run}'s stable mode (which gives the short ones more forks).
   *
   * @param args none
   */
  public static void main(String[] args) {
    all().stream()
        .flatMap(t -> t.refs().stream())
        .map(r -> "dev.cu.bench." + r.key())
        .distinct()
        .forEach(System.out::println);
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
    String hb = "HandleBenchmark.";
    t.add(
        ratio(
            "LuaFunction.call()",
            "`LuaFunction.call()` of an empty function: cu_functionCallEmpty / "
                + "luajava_functionCallEmpty (`getGlobal` + `pCall`)",
            hb + "cu_functionCallEmpty",
            hb + "luajava_functionCallEmpty",
            Map.of(),
            0.6));
    t.add(
        ratio(
            "LuaFunction.call(1L, 2L, 3L)",
            "`LuaFunction.call(1L, 2L, 3L)` returning a Long: cu_functionCallArgs / "
                + "luajava_functionCallArgs (3 pushes + `pCall` + `toInteger`)",
            hb + "cu_functionCallArgs",
            hb + "luajava_functionCallArgs",
            Map.of(),
            0.6));
    String c = "CallBenchmark.";
    t.add(
        ratio(
            "call(\"f\") by name",
            "`call(\"f\")` of an empty function by name: cu_javaCallsLua / luajava_javaCallsLua",
            c + "cu_javaCallsLua",
            c + "luajava_javaCallsLua",
            Map.of(),
            1.0));
    t.add(
        ratio(
            "host call, empty",
            "empty host function called from Lua: cu_hostCallEmpty / luajava_hostCallEmpty",
            c + "cu_hostCallEmpty",
            c + "luajava_hostCallEmpty",
            Map.of(),
            0.8));
    t.add(
        ratio(
            "host call, 3 args 1 result",
            "host function with 3 integer arguments and 1 result: cu_hostCallArgs3 / "
                + "luajava_hostCallArgs3",
            c + "cu_hostCallArgs3",
            c + "luajava_hostCallArgs3",
            Map.of(),
            0.8));
    String ob = "ObjectBenchmark.";
    t.add(
        ratio(
            "obj:method(a, b)",
            "`o:add(s, i)` on an exposed Java object: cu_methodCallArgs / "
                + "luajava_methodCallArgs (LuaJava's Java-object proxy)",
            ob + "cu_methodCallArgs",
            ob + "luajava_methodCallArgs",
            Map.of(),
            0.5));
    t.add(
        ratio(
            "LuaTable.get",
            "`LuaTable.get(\"k\")` of an integer: cu_tableGet / luajava_tableGet "
                + "(`getField` + `toInteger`)",
            hb + "cu_tableGet",
            hb + "luajava_tableGet",
            Map.of(),
            0.6));
    t.add(
        ratio(
            "LuaTable.set",
            "`LuaTable.set(\"k\", v)` of an integer: cu_tableSet / luajava_tableSet "
                + "(`push` + `setField`)",
            hb + "cu_tableSet",
            hb + "luajava_tableSet",
            Map.of(),
            0.6));
    String u = "UnitBenchmark.";
    t.add(
        ratio(
            "unit create + close",
            "unit create + close: cu_createClose / luajava_createClose "
                + "(`new Lua54()` + `openLibraries()` + `close()`)",
            u + "cu_createClose",
            u + "luajava_createClose",
            Map.of(),
            1.0));
    t.add(
        ratio(
            "memory per idle unit",
            "native memory per idle unit, 10,000 live units: cu_idleUnitMemory / "
                + "luajava_idleUnitMemory",
            u + "cu_idleUnitMemory",
            u + "luajava_idleUnitMemory",
            Map.of(),
            1.0));
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
    t.add(
        new Target(
            "_io records",
            "`_io`: cu_records100kInOut, 100,000 records of 5 fields in and out per operation",
            Kind.RATE_MIN,
            List.of(new Ref("IoBenchmark.cu_records100kInOut", Map.of())),
            1e6,
            100_000));
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
    String ps = "PersistBenchmark.";
    t.add(time("save state", "saveState10k", ps + "saveState10k", 10e6));
    t.add(time("function persist", "functionPersist, per function", ps + "functionPersist", 20e3));
    String j = "JsonBenchmark.";
    for (String op : List.of("encode", "decode")) {
      t.add(
          ratio(
              "json " + op + " 10 KB",
              "`json."
                  + op
                  + "` of a 10 KB document: cu_"
                  + op
                  + "Doc10k / lua_"
                  + op
                  + "Doc10k (lua-cjson on the standalone `lua`)",
              j + "cu_" + op + "Doc10k",
              j + "lua_" + op + "Doc10k",
              Map.of(),
              1.0));
    }
    String bi = "BigintBenchmark.";
    t.add(
        ratio(
            "bigint mul 1024",
            "1,024-bit multiplication: cu_mul1024 / java_mul1024 (BigInteger)",
            bi + "cu_mul1024",
            bi + "java_mul1024",
            Map.of(),
            3.0));
    t.add(
        ratio(
            "bigint powmod 2048",
            "2,048-bit powmod: cu_powmod2048 / java_powmod2048 (BigInteger.modPow)",
            bi + "cu_powmod2048",
            bi + "java_powmod2048",
            Map.of(),
            3.0));
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
    String pool = "PoolBenchmark.independentKeys";
    t.add(
        new Target(
            "pool, 2 threads",
            "unit pool, independent keys: independentKeys [threads=2] / [threads=1] (ops/s)",
            Kind.SCALING_MIN,
            List.of(new Ref(pool, Map.of("threads", "2")), new Ref(pool, Map.of("threads", "1"))),
            1.8,
            0));
    t.add(
        new Target(
            "pool memory",
            "unit pool memory with 1,000 live units after 100,000 keys over that after 25,000"
                + " keys, each fork's own ratio (PoolMemory)",
            Kind.VALUE_MAX,
            List.of(new Ref("PoolBenchmark.poolMemoryGrowth", Map.of())),
            1.2,
            0));
    return t;
  }
}
