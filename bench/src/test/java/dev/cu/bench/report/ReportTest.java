package dev.cu.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReportTest {
  private static final Map<String, String> NONE = Map.of();

  private static Map<String, Target.Outcome> outcomes(Results r) {
    Report report = new Report(r, run("quick", ""));
    return report.outcomes().stream()
        .collect(Collectors.toMap(o -> o.target().id(), Function.identity()));
  }

  private static Report.Run run(String mode, String regex) {
    return new Report.Run(mode, regex, "-f 2", 42, Instant.parse("2026-11-24T08:00:00Z"));
  }

  @Test
  void ratiosCompareTimePerOperationAcrossUnits() {
    Results r =
        new Jmh()
            .avgt("RoundTripBenchmark.cu_cached", 150, 15, "ns/op")
            .avgt("RoundTripBenchmark.luajava_eval", 0.8, 0.04, "us/op")
            .results();
    Target.Outcome o = outcomes(r).get("round trip vs LuaJava");
    assertThat(o.value()).isCloseTo(150.0 / 800.0, within(1e-12));
    assertThat(o.status()).isEqualTo(Target.Status.MET);
    assertThat(o.measured()).startsWith("0.188x (150 ns / 800 ns) ± 15%");
    assertThat(outcomes(r).get("round trip").status()).isEqualTo(Target.Status.MET);
  }

  @Test
  void aRatioAboveItsLimitIsMissed() {
    Results r =
        new Jmh()
            .avgt("CallBenchmark.cu_javaCallsLua", 700, 7, "ns/op")
            .avgt("CallBenchmark.luajava_javaCallsLua", 500, 5, "ns/op")
            .avgt("CallBenchmark.cu_hostCallEmpty", 69, 0.69, "ns/op")
            .avgt("CallBenchmark.luajava_hostCallEmpty", 100, 1, "ns/op")
            .results();
    Map<String, Target.Outcome> o = outcomes(r);
    assertThat(o.get("call(\"f\") by name").status()).isEqualTo(Target.Status.MISSED);
    assertThat(o.get("call(\"f\") by name").value()).isCloseTo(1.4, within(1e-12));
    assertThat(o.get("call(\"f\") by name").withinError()).isFalse();
    assertThat(o.get("host call, empty").status()).isEqualTo(Target.Status.MET);
    assertThat(o.get("host call, empty").withinError()).isFalse();
  }

  @Test
  void aTargetIsMetOnlyWhenItsWholeErrorBarMeetsIt() {
    // 0.78x with 5% + 1% error: the bar reaches 0.827x, past the 0.8x limit
    Results upper =
        new Jmh()
            .avgt("CallBenchmark.cu_hostCallEmpty", 78, 3.9, "ns/op")
            .avgt("CallBenchmark.luajava_hostCallEmpty", 100, 1, "ns/op")
            .avgt("CallBenchmark.cu_hostCallArgs3", 78, 0.78, "ns/op")
            .avgt("CallBenchmark.luajava_hostCallArgs3", 100, 1, "ns/op")
            .avgt("PersistBenchmark.saveState10k", 9.5, 0.6, "ms/op")
            .avgt("PersistBenchmark.functionPersist", 19, 0.5, "us/op")
            .results();
    Map<String, Target.Outcome> o = outcomes(upper);
    assertThat(o.get("host call, empty").value()).isCloseTo(0.78, within(1e-12));
    assertThat(o.get("host call, empty").status()).isEqualTo(Target.Status.MISSED);
    assertThat(o.get("host call, empty").withinError()).isTrue();
    assertThat(o.get("host call, 3 args 1 result").status()).isEqualTo(Target.Status.MET);
    assertThat(o.get("save state").status()).isEqualTo(Target.Status.MISSED);
    assertThat(o.get("save state").withinError()).isTrue();
    assertThat(o.get("function persist").status()).isEqualTo(Target.Status.MET);

    // 1.1M records/s with 10% error: the bar reaches down to 0.99M, below the 1M limit
    Results lower =
        new Jmh()
            .avgt("IoBenchmark.cu_records100kInOut", 100 / 1.1, 100 / 1.1 * 0.1, "ms/op")
            .add("ThroughputBenchmark.trivial_t1", "thrpt", 1, 1000, 10, "ops/ms", NONE)
            .add("ThroughputBenchmark.trivial_t2", "thrpt", 2, 1850, 50, "ops/ms", NONE)
            .results();
    o = outcomes(lower);
    assertThat(o.get("_io records").value()).isCloseTo(1_100_000, within(1e-3));
    assertThat(o.get("_io records").status()).isEqualTo(Target.Status.MISSED);
    assertThat(o.get("_io records").withinError()).isTrue();
    assertThat(o.get("2 threads, trivial").status()).isEqualTo(Target.Status.MISSED);
    assertThat(o.get("2 threads, trivial").withinError()).isTrue();

    String md = new Report(upper, run("stable", "")).markdown("", "", Map.of(), "c.svg");
    assertThat(md)
        .contains(
            "| 0.78x (78 ns / 100 ns) ± 6% | ≤ 0.8x (1.25x faster) | **missed** "
                + "(limit inside the error bar) |",
            "| 0.78x (78 ns / 100 ns) ± 2% | ≤ 0.8x (1.25x faster) | met |");
  }

  @Test
  void aValueWithoutAnErrorBarMeetsNothing() {
    Results r =
        new Jmh()
            .avgt("UnitBenchmark.cu_idleUnitMemory", 20_000, Double.NaN, "B/op")
            .avgt("UnitBenchmark.luajava_idleUnitMemory", 30_000, 10, "B/op")
            .avgt("HomeBenchmark.cu_write1k", 0.5, Double.NaN, "ms/op")
            .results();
    Map<String, Target.Outcome> o = outcomes(r);
    assertThat(o.get("memory per idle unit").status()).isEqualTo(Target.Status.MISSED);
    assertThat(o.get("memory per idle unit").measured()).endsWith("± n/a (no error bar)");
    assertThat(o.get("home write").status()).isEqualTo(Target.Status.MISSED);
    assertThat(o.get("home write").value()).isCloseTo(500_000, within(1e-6));
  }

  @Test
  void absoluteTimesAreStrictlyBelowTheirLimit() {
    Results r =
        new Jmh()
            .avgt("HomeBenchmark.cu_write1k", 1.0, 0.0, "ms/op")
            .avgt("PersistBenchmark.saveState10k", 9_980, 10, "us/op")
            .avgt("PersistBenchmark.functionPersist", 25_000, 100, "ns/op")
            .results();
    Map<String, Target.Outcome> o = outcomes(r);
    assertThat(o.get("home write").status()).isEqualTo(Target.Status.MISSED);
    assertThat(o.get("save state").status()).isEqualTo(Target.Status.MET);
    assertThat(o.get("function persist").status()).isEqualTo(Target.Status.MISSED);
    assertThat(o.get("function persist").measured()).startsWith("25 µs");
  }

  @Test
  void recordRateCountsOneHundredThousandRecordsPerOperation() {
    String key = "IoBenchmark.cu_records100kInOut";
    Results fast = new Jmh().avgt(key, 50, 1, "ms/op").results();
    Results slow = new Jmh().add(key, "thrpt", 1, 5, 0.1, "ops/s", NONE).results();
    assertThat(outcomes(fast).get("_io records").value()).isCloseTo(2_000_000, within(1e-6));
    assertThat(outcomes(fast).get("_io records").status()).isEqualTo(Target.Status.MET);
    assertThat(outcomes(slow).get("_io records").value()).isCloseTo(500_000, within(1e-6));
    assertThat(outcomes(slow).get("_io records").status()).isEqualTo(Target.Status.MISSED);
  }

  @Test
  void memoryPerUnitIsARatioOfBytes() {
    Results r =
        new Jmh()
            .avgt("UnitBenchmark.cu_idleUnitMemory", 40_960, 1024, "B/op")
            .avgt("UnitBenchmark.luajava_idleUnitMemory", 51_200, 512, "B/op")
            .results();
    Target.Outcome o = outcomes(r).get("memory per idle unit");
    assertThat(o.value()).isCloseTo(0.8, within(1e-12));
    assertThat(o.status()).isEqualTo(Target.Status.MET);
    assertThat(o.measured()).isEqualTo("0.8x (40 KiB / 50 KiB) ± 3.5%");
    assertThat(r.pairs()).extracting(Results.Pair::ratio).containsExactly(0.8);
  }

  @Test
  void threadScalingUsesTotalOperationsPerSecondInEitherMode() {
    Results r =
        new Jmh()
            .add("ThroughputBenchmark.trivial_t1", "thrpt", 1, 1000, 10, "ops/ms", NONE)
            .add("ThroughputBenchmark.trivial_t2", "thrpt", 2, 1900, 10, "ops/ms", NONE)
            .add("ThroughputBenchmark.work1ms_t1", "avgt", 1, 1.0, 0.01, "ms/op", NONE)
            .add("ThroughputBenchmark.work1ms_t2", "avgt", 2, 1.2, 0.01, "ms/op", NONE)
            .results();
    Map<String, Target.Outcome> o = outcomes(r);
    assertThat(o.get("2 threads, trivial").value()).isCloseTo(1.9, within(1e-9));
    assertThat(o.get("2 threads, trivial").status()).isEqualTo(Target.Status.MET);
    assertThat(o.get("2 threads, 1 ms work").value()).isCloseTo(2 / 1.2, within(1e-9));
    assertThat(o.get("2 threads, 1 ms work").status()).isEqualTo(Target.Status.MISSED);
  }

  @Test
  void thePoolsTargetsUseItsThreadsParameterAndEachForksOwnMemoryRatio() {
    Results r =
        new Jmh()
            .add(
                "PoolBenchmark.independentKeys",
                "thrpt",
                1,
                2000,
                10,
                "ops/s",
                Map.of("threads", "1"))
            .add(
                "PoolBenchmark.independentKeys",
                "thrpt",
                1,
                3900,
                20,
                "ops/s",
                Map.of("threads", "2"))
            .avgt("PoolBenchmark.poolMemoryGrowth", 1.06, 0.05, "x")
            .results();
    Map<String, Target.Outcome> o = outcomes(r);
    assertThat(o.get("pool, 2 threads").value()).isCloseTo(1.95, within(1e-9));
    assertThat(o.get("pool, 2 threads").status()).isEqualTo(Target.Status.MET);
    assertThat(o.get("pool memory").value()).isCloseTo(1.06, within(1e-9));
    assertThat(o.get("pool memory").status()).isEqualTo(Target.Status.MET);
    Results wide = new Jmh().avgt("PoolBenchmark.poolMemoryGrowth", 1.15, 0.1, "x").results();
    Target.Outcome w = outcomes(wide).get("pool memory");
    assertThat(w.status()).isEqualTo(Target.Status.MISSED);
    assertThat(w.withinError()).isTrue();
  }

  @Test
  void onlySampledBenchmarksShowTheirNinetyNinthPercentile() {
    Results r =
        new Jmh()
            .add("PoolRoundRobinBenchmark.roundRobin", "sample", 2, 221, 3, "us/op", NONE)
            .p99(421)
            .avgt("RoundTripBenchmark.cu_cached", 93, 4, "ns/op")
            .p99(117) // JMH gives every mode percentiles, of iterations elsewhere
            .results();
    String md = new Report(r, run("quick", "")).markdown("", "", Map.of(), "c.svg");
    assertThat(md)
        .contains("| `roundRobin` (2 threads) | 221 ± 3 (99th percentile 421) | us/op |  |")
        .contains("| `cu_cached` | 93 ± 4 | ns/op |");
  }

  @Test
  void missingBenchmarksAreNotMeasured() {
    Results r = new Jmh().avgt("RoundTripBenchmark.cu_cached", 150, 1, "ns/op").results();
    Map<String, Target.Outcome> o = outcomes(r);
    assertThat(o.get("round trip").status()).isEqualTo(Target.Status.MET);
    assertThat(o.get("round trip vs LuaJava").status()).isEqualTo(Target.Status.NOT_MEASURED);
    assertThat(o.get("round trip vs LuaJava").measured())
        .isEqualTo("not measured (no `RoundTripBenchmark.luajava_eval`)");
    assertThat(o.get("home read").measured())
        .contains("HomeBenchmark.cu_read1m", "HomeBenchmark.plain_read1m");
    String md = new Report(r, run("quick", "")).markdown("", "", Map.of(), "c.svg");
    assertThat(md)
        .contains(
            "| trivial round trip: cu_cached / luajava_eval | not measured "
                + "(no `RoundTripBenchmark.luajava_eval`) | ≤ 0.25x (4x faster) | not measured |");
    assertThat(md)
        .contains(
            "| store 1000 items | 50–100 ms | `HomeBenchmark.items_store1000` "
                + "| not measured |");
  }

  @Test
  void theNativeAnchorJoinsThePureLuaWorkloadByScript() {
    Results r =
        new Jmh()
            .add("PureLuaBenchmark.cu", "avgt", 1, 110, 1, "ms/op", Map.of("script", "fib"))
            .add("PureLuaBenchmark.luaj", "avgt", 1, 300, 3, "ms/op", Map.of("script", "fib"))
            .add("PureLuaBenchmark.cu", "avgt", 1, 40, 1, "ms/op", Map.of("script", "strings"))
            .add("NativeLua.lua", "avgt", 1, 100, 1, "ms/op", Map.of("script", "fib"))
            .add("NativeLua.lua", "avgt", 1, 50, 1, "ms/op", Map.of("script", "strings"))
            .cpu(45)
            .results();
    assertThat(r.byWorkload()).containsOnlyKeys("PureLuaBenchmark");
    assertThat(r.byWorkload().get("PureLuaBenchmark"))
        .extracting(Result::label)
        .containsExactly(
            "cu [script=fib]",
            "luaj [script=fib]",
            "lua [script=fib]",
            "cu [script=strings]",
            "lua [script=strings]");
    assertThat(new Report(r, run("quick", "")).markdown("", "", Map.of(), "c.svg"))
        .contains("| `lua` [script=strings] | 50 ± 1 (processor time 45) | ms/op |  |");
    Map<String, Target.Outcome> o = outcomes(r);
    assertThat(o.get("pure Lua fib").value()).isCloseTo(1.1, within(1e-9));
    assertThat(o.get("pure Lua fib").status()).isEqualTo(Target.Status.MISSED);
    assertThat(o.get("pure Lua fib vs LuaJ").status()).isEqualTo(Target.Status.MET);
    assertThat(o.get("pure Lua strings").status()).isEqualTo(Target.Status.MET);
    assertThat(o.get("pure Lua strings vs LuaJ").status()).isEqualTo(Target.Status.NOT_MEASURED);
    assertThat(o.get("pure Lua binarytrees").status()).isEqualTo(Target.Status.NOT_MEASURED);
  }

  @Test
  void pairsMatchSuffixesThenUnmatchedAnchors() {
    Results r =
        new Jmh()
            .avgt("CallBenchmark.cu_hostCallEmpty", 1, 0, "ns/op")
            .avgt("CallBenchmark.cu_hostCallArgs", 1, 0, "ns/op")
            .avgt("CallBenchmark.luajava_hostCallEmpty", 1, 0, "ns/op")
            .avgt("CallBenchmark.luajava_hostCallArgs", 1, 0, "ns/op")
            .avgt("RoundTripBenchmark.cu_cached", 1, 0, "ns/op")
            .avgt("RoundTripBenchmark.luajava_eval", 1, 0, "ns/op")
            .avgt("HomeBenchmark.cu_read1m", 1, 0, "ns/op")
            .avgt("HomeBenchmark.cu_write1k", 1, 0, "ns/op")
            .avgt("HomeBenchmark.plain_read1m", 1, 0, "ns/op")
            .avgt("HomeBenchmark.items_store1000", 1, 0, "ns/op")
            .results();
    List<String> labels = r.pairs().stream().map(Results.Pair::label).toList();
    assertThat(labels)
        .containsExactly(
            "RoundTrip cu_cached / luajava_eval",
            "Call cu_hostCallEmpty / luajava_hostCallEmpty",
            "Call cu_hostCallArgs / luajava_hostCallArgs",
            "Home cu_read1m / plain_read1m");
  }

  @Test
  void anAnchorVariantPairsWithItsOperationOnly() {
    Results r =
        new Jmh()
            .avgt("HandleBenchmark.cu_functionCallEmpty", 1, 0, "ns/op")
            .avgt("HandleBenchmark.luajava_functionCallEmpty", 1, 0, "ns/op")
            .avgt("HandleBenchmark.luajava_functionCallEmpty_ref", 1, 0, "ns/op")
            .avgt("HandleBenchmark.cu_callback", 1, 0, "ns/op")
            .results();
    assertThat(r.pairs().stream().map(Results.Pair::label))
        .containsExactly(
            "Handle cu_functionCallEmpty / luajava_functionCallEmpty",
            "Handle cu_functionCallEmpty / luajava_functionCallEmpty_ref");
  }

  @Test
  void theChartIsWellFormedSvgWithOneBarPerPair() throws Exception {
    Results r =
        new Jmh()
            .avgt("RoundTripBenchmark.cu_cached", 150, 15, "ns/op")
            .avgt("RoundTripBenchmark.luajava_eval", 800, 40, "ns/op")
            .avgt("CallBenchmark.cu_javaCallsLua", 700, 7, "ns/op")
            .avgt("CallBenchmark.luajava_javaCallsLua", 500, 5, "ns/op")
            .add("PureLuaBenchmark.cuNoHook", "avgt", 1, 90, 1, "ms/op", Map.of("script", "a<b"))
            .add("PureLuaBenchmark.luaj", "avgt", 1, 300, 3, "ms/op", Map.of("script", "a<b"))
            .results();
    String svg = new Report(r, run("quick", "")).svg();
    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    NodeList rects = doc.getElementsByTagName("rect");
    long green = 0;
    long red = 0;
    long grey = 0;
    for (int i = 0; i < rects.getLength(); i++) {
      Element e = (Element) rects.item(i);
      if (e.getAttribute("height").equals("12.0")) {
        switch (e.getAttribute("fill")) {
          case "#2e8b57" -> green++;
          case "#c0392b" -> red++;
          case "#999999" -> grey++;
          default -> {}
        }
      }
    }
    assertThat(List.of(green, red, grey)).containsExactly(1L, 1L, 1L);
    assertThat(svg).contains("PureLua cuNoHook / luaj [script=a&lt;b]");
  }

  @Test
  void zeroOrMissingScoresAreNeitherChartedNorJudged() throws Exception {
    Results r =
        new Jmh()
            .avgt("RoundTripBenchmark.cu_cached", 0, 0, "ns/op")
            .avgt("RoundTripBenchmark.luajava_eval", Double.NaN, Double.NaN, "ns/op")
            .results();
    assertThat(outcomes(r).get("round trip vs LuaJava").status())
        .isEqualTo(Target.Status.NOT_MEASURED);
    assertThat(outcomes(r).get("round trip").status()).isEqualTo(Target.Status.NOT_MEASURED);
    String svg = new Report(r, run("quick", "")).svg();
    DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(svg).contains("no cu/anchor pairs measured in this run");
  }

  @Test
  void anEmptyRunStillProducesAChartAndAReport(@TempDir Path dir) throws Exception {
    Results r = Results.load(List.of(dir.resolve("absent.json")));
    assertThat(r.all()).isEmpty();
    Report report = new Report(r, run("quick", "RoundTrip"));
    String svg = report.svg();
    DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    String md = report.markdown("intro text", "## Findings\n\nnone", Map.of("CPU", "x"), "c.svg");
    assertThat(md)
        .contains(
            "intro text",
            "## Findings",
            "- CPU: x",
            "benchmarks matching `RoundTrip` only (a partial run)",
            "0 met, 0 missed, 31 not measured",
            "No results in this run.");
  }

  @Test
  void loadsJmhJsonFilesAndReportsEachWorkload(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("jmh.json");
    Files.writeString(
        f,
        new Jmh()
            .avgt("RoundTripBenchmark.cu_cached", 151.23, 4.4, "ns/op")
            .avgt("RoundTripBenchmark.luajava_eval", 1234.5, Double.NaN, "ns/op")
            .avgt("HomeBenchmark.items_store1000", 1.5, 0.15, "ms/op")
            .json());
    Results r = Results.load(List.of(f));
    assertThat(r.all()).hasSize(3);
    String md = new Report(r, run("smoke", "")).markdown("", "", Map.of(), "c.svg");
    assertThat(md)
        .contains(
            "> **Smoke run.**",
            "### RoundTripBenchmark",
            "### HomeBenchmark",
            "| `cu_cached` | 151 ± 4.4 | ns/op | 0.123x `luajava_eval` (± 2.91%) |",
            "| `luajava_eval` | 1,230 | ns/op |  |",
            "## Expected ranges beside this run's figures",
            "| store 1000 items | 50–100 ms | `HomeBenchmark.items_store1000` | 1.5 ms ± 10% |",
            "Measured with 2 forks, 2 x 500 ms warm-up, 3 x 500 ms: RoundTripBenchmark, "
                + "HomeBenchmark");
  }

  @Test
  void theCommandLineReadsSeveralResultFiles(@TempDir Path dir) throws Exception {
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.json");
    Files.writeString(a, new Jmh().avgt("CallBenchmark.cu_hostCallEmpty", 70, 1, "ns/op").json());
    Files.writeString(
        b, new Jmh().avgt("CallBenchmark.luajava_hostCallEmpty", 100, 1, "ns/op").json());
    Path out = dir.resolve("out");
    Report.main(
        new String[] {
          "--out",
          out.toString(),
          "--jmh",
          a + "," + b,
          "--anchor",
          dir.resolve("absent.json").toString(),
          "--mode",
          "stable"
        });
    assertThat(Files.readString(out.resolve("BENCHMARKS.md")))
        .contains("| 0.7x (70 ns / 100 ns) ± 2.43% | ≤ 0.8x (1.25x faster) | met |");
  }

  /** The header's account of stable mode names the settings bench/run passes. */
  @Test
  void theStableRunTextMatchesBenchRun() throws Exception {
    String run = Files.readString(Path.of("run"));
    java.util.regex.Matcher jvm =
        java.util.regex.Pattern.compile("stable_jvm='([^']*)'").matcher(run);
    assertThat(jvm.find()).isTrue();
    assertThat(run)
        .contains(
            "short_opts=(-f 10 -wi 2 -w 1s -i 4 -r 250ms",
            "extra_opts=(-f 2 -wi 2 -w 1s -i 4 -r 250ms",
            "wide_opts=(-f 6 -wi 2 -i 4",
            "wide_classes='PureLuaBenchmark|PersistBenchmark'",
            "anchor_opts=(--forks 6 --warmup 2 --iterations 4)",
            "memory_opts=(--forks 5)");
    String md = new Report(new Jmh().results(), run("stable", "")).markdown("", "", NONE, "c.svg");
    assertThat(md)
        .contains(
            "## Stable runs",
            "`" + jvm.group(1) + "`",
            "run 10 forks of 2 x 1 s warm-up and 4 x 250 ms measurement",
            "run 2 such forks",
            "in `PureLuaBenchmark` and `PersistBenchmark`",
            "run 6 forks of 2 warm-up and 4 measured iterations",
            "anchors run 6 such forks too",
            "the memory per idle unit runs 5 forks");
    assertThat(md.indexOf("## Stable runs")).isLessThan(md.indexOf("## This run"));
  }

  @Test
  void quickRunsReportTheirBudget() {
    Results r = new Jmh().results();
    String within =
        new Report(r, new Report.Run("quick", "", "", 590, Instant.now()))
            .markdown("", "", Map.of(), "c.svg");
    String over =
        new Report(r, new Report.Run("quick", "", "", 660, Instant.now()))
            .markdown("", "", Map.of(), "c.svg");
    assertThat(within).contains("9.83 min (within the quick mode's 10-minute budget)");
    assertThat(over).contains("11 min (**over** the quick mode's 10-minute budget)");
  }

  @Test
  void machineFieldsComeFromProcAndOsRelease(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("proc"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(
        root.resolve("proc/cpuinfo"), "processor\t: 0\nmodel name\t: Test CPU @ 2GHz\n");
    Files.writeString(root.resolve("proc/meminfo"), "MemTotal:       25165824 kB\n");
    Files.writeString(root.resolve("etc/os-release"), "PRETTY_NAME=\"Debian GNU/Linux 12\"\n");
    Map<String, String> m = Machine.describe(root);
    assertThat(m.get("CPU")).isEqualTo("Test CPU @ 2GHz");
    assertThat(m.get("memory")).isEqualTo("24 GiB");
    assertThat(m.get("OS")).startsWith("Debian GNU/Linux 12, ");
  }

  @Test
  void numbersHaveThreeSignificantDigits() {
    assertThat(Fmt.num(151.23)).isEqualTo("151");
    assertThat(Fmt.num(0.18754)).isEqualTo("0.188");
    assertThat(Fmt.num(1_234_567)).isEqualTo("1,230,000");
    assertThat(Fmt.num(Double.NaN)).isEqualTo("n/a");
    assertThat(Fmt.time(2_500_000)).isEqualTo("2.5 ms");
    assertThat(Fmt.time(999)).isEqualTo("999 ns");
    assertThat(Fmt.ratioAgainst(100 / 95.0, 1.05)).isEqualTo("1.053x");
    assertThat(Fmt.ratioAgainst(1.05, 1.05)).isEqualTo("1.05x");
    assertThat(Fmt.ratioAgainst(0.5, 1.05)).isEqualTo("0.5x");
  }
}
