package dev.cu.bench.report;

import dev.cu.bench.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Writes {@code BENCHMARKS.md} and {@code benchmarks.svg} from a run's JMH JSON and the native
 * anchor's JSON: the run and the machine, cu's speed targets with met / missed, the expected
 * ranges beside this run's figures, the chart, a table per workload with cu/anchor ratios, and
 * the notes on where the time goes ({@code bench/report/notes.md}). Run by {@code bench/run}.
 */
public final class Report {
  /** Quick mode's budget for the whole suite on 2 cores, in seconds. */
  static final double QUICK_BUDGET_S = 600;

  /** Stable mode's budget for the whole suite on 2 cores, in seconds. */
  static final double STABLE_BUDGET_S = 3900;

  /**
   * An expected range for an operation, stated without a method or machine, and the benchmark
   * that measures the operation.
   *
   * @param what the operation
   * @param loMs lower end of the expected range, ms
   * @param hiMs upper end, ms
   * @param key the benchmark
   * @param ours what one operation of the benchmark is, where it differs from {@code what}
   */
  record Expected(String what, double loMs, double hiMs, String key, String ours) {}

  static final List<Expected> EXPECTED =
      List.of(
          new Expected("store 1000 items", 50, 100, "HomeBenchmark.items_store1000", ""),
          new Expected("query 1000 items", 5, 20, "HomeBenchmark.items_query1000", ""),
          new Expected(
              "function persistence", 2, 10, "PersistBenchmark.functionPersist", " (per function)"),
          new Expected(
              "save/load state", 50, 100, "PersistBenchmark.saveState10k", " (10k entries)"),
          new Expected(
              "save/load state", 50, 100, "PersistBenchmark.loadState10k", " (10k entries)"),
          new Expected("save/load state", 50, 100, "PersistBenchmark.saveState1m", " (1M entries)"),
          new Expected(
              "save/load state", 50, 100, "PersistBenchmark.loadState1m", " (1M entries)"));

  /** How {@code bench/run stable} is configured and what two of its runs showed. */
  static final String STABLE_RUNS =
      """
      ## Stable runs

      `bench/run stable` gives the figures to judge targets by. Every JMH fork runs with \
      `-Xms2g -Xmx2g -XX:+UseParallelGC -XX:+AlwaysPreTouch`: a heap that neither grows nor \
      shrinks, a stop-the-world collector with no concurrent threads competing for the cores \
      (in the measurements below it gave tighter errors than G1), and a heap whose pages are \
      touched before the benchmark starts. Without the last, a benchmark that allocates a few \
      bytes per operation spends its first seconds in the kernel zeroing fresh pages of the \
      young generation (`clear_page_erms` was a tenth of the samples of `cu_tableSet`, which \
      boxes its value): in two runs of 2 forks, `cu_functionCallArgs` measured 203 ± 25 ns \
      without and 148 ± 3.4 ns with it, `cu_tableSet` 143 ± 33 ns and 110 ± 2.5 ns, while \
      LuaJava's rows, which allocate nothing, did not move. The benchmarks the targets name \
      in the classes of sub-microsecond crossings (`RoundTripBenchmark`, `CallBenchmark`, \
      `HandleBenchmark`, `ObjectBenchmark`, `UnitBenchmark`) and the floors of \
      `FloorBenchmark` run 10 forks of 2 x 1 s warm-up \
      and 4 x 250 ms measurement; those classes' other benchmarks run 2 such forks. The \
      benchmarks the targets name in `PureLuaBenchmark` and `PersistBenchmark`, whose \
      operations are long and whose forks differ by a collector's or a store's history, run 6 \
      forks of 2 warm-up and 4 measured iterations of their class's length (2 s and 1 s), and \
      the standalone `lua` and lua-cjson anchors run 6 such forks too, the `lua` anchor right \
      after the pure-Lua rows so that the machine's speed has little time to drift between \
      the two sides of their ratios. The other benchmarks \
      run with their classes' annotations (2 forks, iterations of 1 or 2 s); the memory per \
      idle unit runs 5 forks of 10,000 units and the unit pool's memory 5 forks of 100,000 \
      keys. From the time its forks take (about 5 s for a short one, 14 s for a pure-Lua \
      one), a whole stable run takes an estimated 60 to 65 minutes on 2 cores.

      Forks, not iterations, are where the spread is: the JIT's decisions and the code's \
      layout are made per fork, and on a 2-core machine shared with other work each fork also \
      meets a different load. The fork means of `cu_hostCallEmpty` in one run ranged from 275 \
      to 602 ns, about twice the spread of the iterations within a fork, so many short forks \
      narrow the 99.9% interval more than a few long ones. JMH's interval treats every \
      iteration as independent: 3 forks of 10 x 1 s read ±13% while their 3 fork means alone \
      allow about ±200%, so a run with few forks understates its error.

      The floors (`FloorBenchmark`) show the machine's share of the spread. In a full stable \
      run with no other work on the machine the floors read errors of 0.7% to 2.8%, and the \
      rows of the targets in the short classes 2% to 4.7% (fork means of `cu_tableGet` 41 to \
      52 ns, of `luajava_functionCallArgs` 118 to 135 ns), all but `luajava_javaCallsLua`: \
      12.6%, from one fork of ten at 174 ns where the others took 94 to 116 ns. In runs of the \
      same rows beside other work the floors themselves spread by 12% to 14% between forks and \
      `cu_tableGet`'s fork means by a third or more (55 to 94 ns); such rows read errors of 8% \
      to 18%. So the spread is mostly the machine's: with the machine to itself, 10 forks give \
      every such row but one an error under 10%. Beside other work the error shrinks only with \
      the square root of the number of forks: a 10% error on every such row would take 20 to \
      25 forks, and a ratio of two rows, whose error is the sum of theirs, about four times as \
      many.

      Measured on the 2-core machine while other builds and tests ran (load average 3 to 8), \
      so the errors are those of a loaded machine:

      | settings | `cu_hostCallEmpty` | `cu_functionCallEmpty` |
      |---|---|---|
      | quick: 2 forks, 2 x 1.5 s + 3 x 200 ms | 440 ns ± 79% | 721 ns ± 54% |
      | 10 forks, 2 x 1.5 s + 4 x 250 ms, G1, fixed heap: two runs | 558 ± 25%, 547 ± 21% \
      | 755 ± 24%, 690 ± 14% |
      | the same with the parallel collector: two runs | 452 ± 16%, 479 ± 19% \
      | 561 ± 24%, 670 ± 13% |
      | 3 forks, 3 x 1 s + 10 x 1 s, parallel collector | 548 ± 13% | 689 ± 12% |

      Between two runs of the same build with the same settings (parallel collector, one \
      after the other) the means differed by 6% (`cu_hostCallEmpty`) and 19% \
      (`cu_functionCallEmpty`), each inside the other's error bar. Two stable runs of \
      `CallBenchmark` and `HandleBenchmark` as configured above (2 x 1 s warm-up; the \
      measured iterations of their forks show no warm-up trend) gave errors of 9.8% to 41% on \
      the targets' rows at a load average of 4 to 9, and of 5.8% to 16% at a load average of \
      2 to 3. The second run's means were 4% to 60% lower than the first's (one, 6% higher): \
      between runs on a shared machine the load moves the figures more than their error bars \
      say. Ratios moved less (`call("f")` 3.51x and 3.49x LuaJava, `LuaFunction.call()` \
      3.36x and 3x, the empty host call 1.18x and 1.28x), but not always (`LuaTable.get` \
      5.37x and 3.05x). Under such load no setting brought all these rows' error under 10%: \
      judge targets by a stable run on a machine with no other work. Since a \
      target is met only when its whole error bar meets it, a wide bar counts against the \
      target: a noisy run reports misses, not targets met by chance.

      """;

  /**
   * What the run was.
   *
   * @param mode {@code quick}, {@code full}, or another name
   * @param regex the benchmark filter, or empty for the whole suite
   * @param jmhOptions the options passed to JMH (empty: the classes' own)
   * @param elapsedSeconds wall time of the whole run, or NaN if unknown
   * @param date when the run ended
   */
  record Run(String mode, String regex, String jmhOptions, double elapsedSeconds, Instant date) {}

  private final Results results;
  private final Run run;
  private final List<Target> targets = Target.all();

  Report(Results results, Run run) {
    this.results = results;
    this.run = run;
  }

  /**
   * The markdown text.
   *
   * @param intro text placed after the title (may be empty)
   * @param notes the notes on where the time goes, placed at the end (may be empty)
   * @param machine the machine description
   * @param svgName file name of the chart, relative to the markdown
   * @return the document
   */
  String markdown(String intro, String notes, Map<String, String> machine, String svgName) {
    StringBuilder md = new StringBuilder();
    md.append(
        "# Benchmarks\n\n<!-- Generated by bench/run (dev.cu.bench.report.Report). "
            + "Edit bench/report/intro.md and bench/report/notes.md, not this file. -->\n\n");
    if (run.mode.equals("smoke")) {
      md.append(
          "> **Smoke run.** This file comes from `bench/run smoke`: one fork and a few "
              + "hundred milliseconds per benchmark, to check the pipeline. Its figures are not "
              + "results; `bench/run quick` or `bench/run full` produce those.\n\n");
    }
    if (!intro.isBlank()) {
      md.append(intro.strip()).append("\n\n");
    }
    md.append(STABLE_RUNS);
    runSection(md, machine);
    targetSection(md);
    Floors.section(md, results);
    expectedSection(md);
    md.append("## Chart\n\n![cu/anchor ratios](")
        .append(svgName)
        .append(")\n\n")
        .append(
            "Each bar is one cu benchmark over one anchor benchmark (time per operation; "
                + "left of parity cu is faster), with its 99.9% error as a whisker; a dashed mark is "
                + "the target ratio for that pair.\n\n");
    workloadSection(md);
    if (!notes.isBlank()) {
      md.append(notes.strip()).append("\n");
    }
    return md.toString();
  }

  /** The SVG chart. */
  String svg() {
    return Chart.svg(results.pairs(), targets, results);
  }

  /** The targets evaluated on this run. */
  List<Target.Outcome> outcomes() {
    return targets.stream().map(t -> t.evaluate(results)).toList();
  }

  private void runSection(StringBuilder md, Map<String, String> machine) {
    md.append("## This run\n\n");
    boolean partial = !run.regex.isEmpty();
    md.append("- Mode: **")
        .append(run.mode)
        .append("**")
        .append(
            partial
                ? ", benchmarks matching `" + run.regex + "` only (a partial run)"
                : ", the whole suite")
        .append('\n');
    md.append("- JMH options: ")
        .append(
            run.jmhOptions.isBlank()
                ? "none (each class's own annotations)"
                : "`" + run.jmhOptions + "`")
        .append('\n');
    md.append("- Finished: ")
        .append(
            DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                run.date.atOffset(ZoneOffset.UTC).withNano(0)))
        .append(" UTC\n");
    if (!Double.isNaN(run.elapsedSeconds)) {
      md.append("- Wall time of the run (build excluded): ")
          .append(Fmt.num(run.elapsedSeconds / 60))
          .append(" min");
      double budget =
          switch (run.mode) {
            case "quick" -> QUICK_BUDGET_S;
            case "stable" -> STABLE_BUDGET_S;
            default -> Double.NaN;
          };
      if (!Double.isNaN(budget) && !partial) {
        md.append(run.elapsedSeconds <= budget ? " (within" : " (**over**")
            .append(" the ")
            .append(run.mode)
            .append(" mode's ")
            .append(Fmt.num(budget / 60))
            .append("-minute budget)");
      }
      md.append('\n');
    }
    machine.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    results.all().stream()
        .map(Result::vm)
        .distinct()
        .forEach(v -> md.append("- Runtime: ").append(v).append('\n'));
    Map<String, List<String>> bySettings = new TreeMap<>();
    results
        .byWorkload()
        .forEach(
            (w, rs) ->
                rs.stream()
                    .map(Result::settings)
                    .distinct()
                    .forEach(s -> bySettings.computeIfAbsent(s, k -> new ArrayList<>()).add(w)));
    bySettings.forEach(
        (s, ws) ->
            md.append("- Measured with ")
                .append(s)
                .append(": ")
                .append(String.join(", ", ws))
                .append('\n'));
    md.append(
        "\nScores are JMH's: the mean over all measured iterations of all forks, with the "
            + "half-width of its 99.9% confidence interval (±).\n\n");
  }

  private void targetSection(StringBuilder md) {
    md.append("## Targets\n\n| target | measured | limit | result |\n|---|---|---|---|\n");
    int met = 0;
    int missed = 0;
    int none = 0;
    for (Target.Outcome o : outcomes()) {
      String result =
          switch (o.status()) {
            case MET -> "met";
            case MISSED -> "**missed**";
            case NOT_MEASURED -> "not measured";
          };
      if (o.withinError()) {
        result += " (limit inside the error bar)";
      }
      switch (o.status()) {
        case MET -> met++;
        case MISSED -> missed++;
        default -> none++;
      }
      md.append("| ")
          .append(o.target().text())
          .append(" | ")
          .append(o.measured())
          .append(" | ")
          .append(o.target().limitText())
          .append(" | ")
          .append(result)
          .append(" |\n");
    }
    md.append("\n")
        .append(met)
        .append(" met, ")
        .append(missed)
        .append(" missed, ")
        .append(none)
        .append(
            " not measured. A target is met only when its whole error bar meets it: the "
                + "measured value (the ratio of the means, or the mean) plus its error for an upper "
                + "limit, minus it for a lower one. The ± is the sum of the relative 99.9% errors "
                + "of the benchmarks involved. A value that meets the limit while its error bar "
                + "reaches past it is a miss, marked \"limit inside the error bar\": a run with "
                + "tighter errors (`bench/run stable`) may turn it either way.\n\n");
  }

  private void expectedSection(StringBuilder md) {
    md.append("## Expected ranges beside this run's figures\n\n")
        .append(
            "The ranges were stated without a method or machine; the figures are this "
                + "run's.\n\n")
        .append("| operation | expected | benchmark | this run |\n|---|---|---|---|\n");
    for (Expected s : EXPECTED) {
      Optional<Result> r = results.find(s.key, Map.of());
      md.append("| ")
          .append(s.what)
          .append(" | ")
          .append(Fmt.num(s.loMs))
          .append("–")
          .append(Fmt.num(s.hiMs))
          .append(" ms | `")
          .append(s.key)
          .append('`')
          .append(s.ours)
          .append(" | ")
          .append(
              r.map(x -> Fmt.time(x.nanosPerOp()) + " ± " + Fmt.num(x.relativeError() * 100) + "%")
                  .orElse("not measured"))
          .append(" |\n");
    }
    md.append('\n');
  }

  private void workloadSection(StringBuilder md) {
    md.append("## Results per workload\n\n");
    if (results.all().isEmpty()) {
      md.append("No results in this run.\n\n");
    }
    for (Map.Entry<String, List<Result>> e : results.byWorkload().entrySet()) {
      md.append("### ")
          .append(e.getKey())
          .append("\n\n")
          .append(
              "| benchmark | score ± error (99.9%) | unit | cu / anchor |\n|---|---|---|---|\n");
      for (Result r : e.getValue()) {
        String vs =
            results.pairsOf(r).stream()
                .map(
                    p ->
                        Fmt.ratio(p.ratio())
                            + " `"
                            + p.anchor().method()
                            + "` (± "
                            + Fmt.num(p.relativeError() * 100)
                            + "%)")
                .collect(Collectors.joining("; "));
        md.append("| `")
            .append(r.method())
            .append('`')
            .append(Result.paramText(r.params()))
            .append(r.threads() > 1 ? " (" + r.threads() + " threads)" : "")
            .append(" | ")
            .append(Fmt.score(r.score(), r.error()))
            .append(Double.isNaN(r.cpu()) ? "" : " (processor time " + Fmt.num(r.cpu()) + ")")
            .append(Double.isNaN(r.p99()) ? "" : " (99th percentile " + Fmt.num(r.p99()) + ")")
            .append(" | ")
            .append(r.unit())
            .append(" | ")
            .append(vs)
            .append(" |\n");
      }
      md.append('\n');
    }
  }

  /**
   * Command line: {@code --out DIR [--jmh FILES] [--anchor FILES] [--mode M] [--regex R]
   * [--jmh-options S] [--elapsed SECONDS] [--finished ISO-INSTANT] [--intro FILE] [--notes FILE]}
   * ({@code FILES}: one or more paths separated by commas); writes {@code DIR/BENCHMARKS.md} and
   * {@code DIR/benchmarks.svg}.
   *
   * @param args the options above
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> o = Options.parse(args);
    if (!o.containsKey("out")) {
      throw new IllegalArgumentException("usage: --out DIR [--jmh FILE] [--anchor FILE] ...");
    }
    List<Path> inputs = new ArrayList<>();
    for (String k : List.of("jmh", "anchor")) {
      if (o.containsKey(k)) {
        for (String f : o.get(k).split(",")) {
          if (!f.isBlank()) {
            inputs.add(Path.of(f));
          }
        }
      }
    }
    Run run =
        new Run(
            o.getOrDefault("mode", "manual"),
            o.getOrDefault("regex", ""),
            o.getOrDefault("jmh-options", ""),
            o.containsKey("elapsed") ? Double.parseDouble(o.get("elapsed")) : Double.NaN,
            o.containsKey("finished") ? Instant.parse(o.get("finished")) : Instant.now());
    Report report = new Report(Results.load(inputs), run);
    Path out = Path.of(o.get("out"));
    Files.createDirectories(out);
    String md =
        report.markdown(
            read(o.get("intro")),
            read(o.get("notes")),
            Machine.describe(Path.of("/")),
            "benchmarks.svg");
    Files.writeString(out.resolve("BENCHMARKS.md"), md);
    Files.writeString(out.resolve("benchmarks.svg"), report.svg());
    for (Target.Outcome t : report.outcomes()) {
      System.out.printf("%-28s %-13s %s%n", t.target().id(), t.status(), t.measured());
    }
    System.out.println("wrote " + out.resolve("BENCHMARKS.md") + " and benchmarks.svg");
  }

  private static String read(String file) throws IOException {
    return file == null || !Files.isRegularFile(Path.of(file))
        ? ""
        : Files.readString(Path.of(file));
  }
}
