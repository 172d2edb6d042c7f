package dev.cu.bench.report;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The crossings whose floor a run measures, and the report's section that sets cu and LuaJava
 * beside each floor.
 */
final class Floors {
  private Floors() {}

  /**
   * A crossing whose floor is measured in the same run: the bare mechanism under it, without cu.
   *
   * @param crossing the crossing, in words
   * @param cu cu's benchmark
   * @param floor the floor's benchmark
   * @param anchor the anchor's benchmark (LuaJava), or null when LuaJava has none
   */
  record Floor(String crossing, String cu, String floor, String anchor) {}

  static final List<Floor> ALL =
      List.of(
          new Floor(
              "`LuaFunction.call()` of an empty function",
              "HandleBenchmark.cu_functionCallEmpty",
              "FloorBenchmark.floor_functionCallEmpty",
              "HandleBenchmark.luajava_functionCallEmpty"),
          new Floor(
              "`LuaFunction.call(1L, 2L, 3L)`",
              "HandleBenchmark.cu_functionCallArgs",
              "FloorBenchmark.floor_functionCallArgs",
              "HandleBenchmark.luajava_functionCallArgs"),
          new Floor(
              "`LuaTable.get(\"k\")`",
              "HandleBenchmark.cu_tableGet",
              "FloorBenchmark.floor_tableGet",
              "HandleBenchmark.luajava_tableGet"),
          new Floor(
              "`LuaTable.set(\"k\", v)`",
              "HandleBenchmark.cu_tableSet",
              "FloorBenchmark.floor_tableSet",
              "HandleBenchmark.luajava_tableSet"),
          new Floor(
              "empty host function called from Lua",
              "CallBenchmark.cu_hostCallEmpty",
              "FloorBenchmark.floor_hostCallEmpty",
              "CallBenchmark.luajava_hostCallEmpty"),
          new Floor(
              "`_home`: 1,000 small writes + commit",
              "HomeBenchmark.cu_write1k",
              "HomeBenchmark.plain_write1k",
              null));

  /** The floors section of the report: each crossing beside its floor and LuaJava. */
  static void section(StringBuilder md, Results results) {
    md.append("## Floors\n\n")
        .append(
            "The bare mechanism under a crossing, measured in the same run. For a Java → Lua "
                + "crossing (`FloorBenchmark`) it is one JNR downcall, bound as cu binds libcu, "
                + "into a C function that does the least Lua work the crossing needs on a plain "
                + "Lua state; for a host call (`FloorBenchmark.floor_hostCallEmpty`) it is a Lua "
                + "loop calling a C function whose work is one JNI upcall into an empty Java "
                + "method, made as libcu makes it; for `_home` writes "
                + "(`HomeBenchmark.plain_write1k`) it is the same chunk on the same unit writing "
                + "into a plain table, without external tables or a commit. A target "
                + "that lies below its floor is judged against the floor instead: cu within 1.2x "
                + "of it. The ± is the sum of the relative 99.9% errors.\n\n")
        .append("| crossing | floor | cu | LuaJava | cu / floor | LuaJava / floor |\n")
        .append("|---|---|---|---|---|---|\n");
    for (Floor f : ALL) {
      Optional<Result> floor = results.find(f.floor, Map.of());
      Optional<Result> cu = results.find(f.cu, Map.of());
      Optional<Result> anchor =
          f.anchor == null ? Optional.empty() : results.find(f.anchor, Map.of());
      md.append("| ")
          .append(f.crossing)
          .append(" | ")
          .append(floor.map(Floors::timeWithError).orElse("not measured"))
          .append(" | ")
          .append(cu.map(Floors::timeWithError).orElse("not measured"))
          .append(" | ")
          .append(
              f.anchor == null ? "none" : anchor.map(Floors::timeWithError).orElse("not measured"))
          .append(" | ")
          .append(overFloor(cu, floor))
          .append(" | ")
          .append(f.anchor == null ? "n/a" : overFloor(anchor, floor))
          .append(" |\n");
    }
    md.append('\n');
  }

  private static String timeWithError(Result r) {
    return Fmt.time(r.nanosPerOp()) + " ± " + Fmt.num(r.relativeError() * 100) + "%";
  }

  /** {@code r}'s time per operation over the floor's, with the sum of their relative errors. */
  private static String overFloor(Optional<Result> r, Optional<Result> floor) {
    if (r.isEmpty() || floor.isEmpty()) {
      return "n/a";
    }
    Result a = r.get();
    Result f = floor.get();
    return Fmt.ratio(a.nanosPerOp() / f.nanosPerOp())
        + " ± "
        + Fmt.num((a.relativeError() + f.relativeError()) * 100)
        + "%";
  }
}
