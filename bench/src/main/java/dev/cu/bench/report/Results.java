package dev.cu.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All results of a run (JMH's and the native anchor's), and the cu-versus-anchor pairs the tables
 * and the chart show.
 *
 * <p>Roles come from method names: {@code cu}, {@code cuNoHook}, {@code cu_x} measure cu;
 * {@code luajava*}, {@code luaj*}, {@code plain*} and the native {@code lua} are anchors;
 * anything else (e.g. {@code items_store1000}, {@code saveState10k}) is a cu figure without an
 * anchor. A cu method is compared with the anchors of the same workload and parameters whose name
 * has the same suffix after the first {@code _} ({@code cu_hostCallEmpty} with
 * {@code luajava_hostCallEmpty}; {@code cu} with {@code luaj}), an anchor's suffix read up to a
 * second {@code _} ({@code luajava_functionCallEmpty_ref} is a variant of the same operation);
 * a cu method without such an
 * anchor is compared with the workload's anchors that match no cu method
 * ({@code cu_cached} with {@code luajava_eval}).
 */
public final class Results {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final List<Result> all;

  /**
   * The given results, in order.
   *
   * @param all the results
   */
  public Results(List<Result> all) {
    this.all = List.copyOf(all);
  }

  /**
   * Reads JMH JSON files; files that do not exist or are empty add nothing.
   *
   * @param files JMH result files (arrays of entries)
   * @return their results, in file order
   * @throws IOException if a file cannot be read or is not JMH JSON
   */
  public static Results load(List<Path> files) throws IOException {
    List<Result> out = new ArrayList<>();
    for (Path f : files) {
      if (!Files.isRegularFile(f) || Files.size(f) == 0) {
        continue;
      }
      JsonNode root = MAPPER.readTree(f.toFile());
      if (!root.isArray()) {
        throw new IOException(f + ": not a JMH result array");
      }
      root.forEach(n -> out.add(Result.of(n)));
    }
    return new Results(out);
  }

  /** All results. */
  public List<Result> all() {
    return all;
  }

  /**
   * The result of a benchmark with the given parameters.
   *
   * @param key {@code Class.method}
   * @param params its parameters (empty for none)
   * @return the result, if measured
   */
  public Optional<Result> find(String key, Map<String, String> params) {
    return all.stream().filter(r -> r.key().equals(key) && r.params().equals(params)).findFirst();
  }

  /** The targets' workloads, in the targets' order; others follow in the order they appear. */
  static final List<String> ORDER =
      List.of(
          "RoundTripBenchmark",
          "HandleBenchmark",
          "CallBenchmark",
          "ObjectBenchmark",
          "UnitBenchmark",
          "PureLuaBenchmark",
          "IoBenchmark",
          "HomeBenchmark",
          "PersistBenchmark",
          "JsonBenchmark",
          "ThroughputBenchmark");

  /** Results by workload: the targets' workloads first, in their order, then the others. */
  public Map<String, List<Result>> byWorkload() {
    Map<String, List<Result>> m = new LinkedHashMap<>();
    ORDER.forEach(w -> m.put(w, new ArrayList<>()));
    for (Result r : all) {
      m.computeIfAbsent(r.workload(), k -> new ArrayList<>()).add(r);
    }
    m.values().removeIf(List::isEmpty);
    m.values()
        .forEach(
            rs ->
                rs.sort(
                    Comparator.comparing((Result r) -> Result.paramText(r.params()))
                        .thenComparing(r -> role(r.method()))));
    return m;
  }

  /** What a benchmark method measures. */
  enum Role {
    CU,
    ANCHOR,
    OTHER
  }

  static Role role(String method) {
    if (method.equals("cu") || method.startsWith("cu_") || method.startsWith("cuNo")) {
      return Role.CU;
    }
    if (method.startsWith("luaj")
        || method.startsWith("plain")
        || method.equals("lua")
        || method.startsWith("lua_")) {
      return Role.ANCHOR;
    }
    return Role.OTHER;
  }

  static String suffix(String method) {
    int u = method.indexOf('_');
    return u < 0 ? "" : method.substring(u + 1);
  }

  /**
   * The suffix an anchor is matched by: its suffix up to a second {@code _}, so that {@code
   * luajava_functionCallEmpty_ref}, a variant of the same operation, is compared with {@code
   * cu_functionCallEmpty} too.
   */
  static String anchorSuffix(String method) {
    String s = suffix(method);
    int u = s.indexOf('_');
    return u < 0 ? s : s.substring(0, u);
  }

  /**
   * A cu result compared with an anchor result: time per op of cu over that of the anchor.
   *
   * @param cu the cu benchmark
   * @param anchor the anchor benchmark
   */
  public record Pair(Result cu, Result anchor) {
    /** cu's cost per operation over the anchor's (below 1: cu is faster or smaller). */
    public double ratio() {
      return cu.perOp() / anchor.perOp();
    }

    /** Relative error of the ratio: the two relative errors added (a conservative bound). */
    public double relativeError() {
      return cu.relativeError() + anchor.relativeError();
    }

    /** {@code Workload cu / anchor [params]} for labels. */
    public String label() {
      return cu.workload().replaceFirst("Benchmark$", "")
          + " "
          + cu.method()
          + " / "
          + anchor.method()
          + Result.paramText(cu.params());
    }
  }

  /** All cu-versus-anchor pairs, workload by workload, in result order. */
  public List<Pair> pairs() {
    List<Pair> out = new ArrayList<>();
    for (List<Result> group : byWorkload().values()) {
      List<Result> anchors = group.stream().filter(r -> role(r.method()) == Role.ANCHOR).toList();
      List<Result> cus = group.stream().filter(r -> role(r.method()) == Role.CU).toList();
      List<Result> orphans =
          anchors.stream()
              .filter(
                  a ->
                      cus.stream()
                          .noneMatch(c -> suffix(c.method()).equals(anchorSuffix(a.method()))))
              .toList();
      for (Result c : cus) {
        List<Result> same =
            anchors.stream()
                .filter(
                    a ->
                        a.params().equals(c.params())
                            && anchorSuffix(a.method()).equals(suffix(c.method())))
                .toList();
        List<Result> chosen =
            same.isEmpty()
                ? orphans.stream().filter(a -> a.params().equals(c.params())).toList()
                : same;
        chosen.forEach(a -> out.add(new Pair(c, a)));
      }
    }
    return out;
  }

  /**
   * The pairs whose cu side is the given result.
   *
   * @param cu a cu result
   * @return its comparisons
   */
  public List<Pair> pairsOf(Result cu) {
    return pairs().stream().filter(p -> p.cu().equals(cu)).toList();
  }
}
