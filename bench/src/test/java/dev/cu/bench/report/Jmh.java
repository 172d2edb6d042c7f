package dev.cu.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** Synthetic JMH JSON entries for the report tests. */
final class Jmh {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private final ArrayNode entries = MAPPER.createArrayNode();

  /** Adds an entry: {@code benchmark} is {@code Class.method} in package dev.cu.bench. */
  Jmh add(
      String benchmark,
      String mode,
      int threads,
      double score,
      double error,
      String unit,
      Map<String, String> params) {
    ObjectNode e = entries.addObject();
    e.put("jmhVersion", "1.37");
    e.put("benchmark", "dev.cu.bench." + benchmark);
    e.put("mode", mode);
    e.put("threads", threads);
    e.put("forks", 2);
    e.put("jdkVersion", "17.0.15");
    e.put("vmName", "OpenJDK 64-Bit Server VM");
    e.put("warmupIterations", 2);
    e.put("warmupTime", "500 ms");
    e.put("measurementIterations", 3);
    e.put("measurementTime", "500 ms");
    ObjectNode p = e.putObject("params");
    params.forEach(p::put);
    ObjectNode m = e.putObject("primaryMetric");
    if (Double.isNaN(score)) {
      m.put("score", "NaN");
    } else {
      m.put("score", score);
    }
    if (Double.isNaN(error)) {
      m.put("scoreError", "NaN");
    } else {
      m.put("scoreError", error);
    }
    m.put("scoreUnit", unit);
    m.putArray("rawData").addArray().add(score);
    e.putObject("secondaryMetrics");
    return this;
  }

  /** Gives the last entry the native anchor's processor-time metric. */
  Jmh cpu(double score) {
    ((ObjectNode) entries.get(entries.size() - 1).get("secondaryMetrics"))
        .putObject("·cpu")
        .put("score", score);
    return this;
  }

  /** Gives the last entry JMH's percentiles, with {@code p99} as the 99th. */
  Jmh p99(double p99) {
    ((ObjectNode) entries.get(entries.size() - 1).get("primaryMetric"))
        .putObject("scorePercentiles")
        .put("50.0", p99 / 2)
        .put("99.0", p99);
    return this;
  }

  /** Adds an average-time entry without parameters. */
  Jmh avgt(String benchmark, double score, double error, String unit) {
    return add(benchmark, "avgt", 1, score, error, unit, Map.of());
  }

  String json() {
    return entries.toString();
  }

  Results results() {
    List<Result> rs = new java.util.ArrayList<>();
    entries.forEach(n -> rs.add(Result.of(n)));
    return new Results(rs);
  }
}
