package dev.cu.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cu.pool.UnitPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Native memory of a unit pool as the number of keys grows past its live units, written in JMH's
 * JSON format as {@code PoolBenchmark.poolMemory_25kKeys} and {@code
 * PoolBenchmark.poolMemory_100kKeys} (bytes) and {@code PoolBenchmark.poolMemoryGrowth} (the
 * second over the first, each fork's own ratio), so the report treats them like JMH results.
 *
 * <p>Method: each fork is a new JVM (this class with {@code --child}) whose Java heap is fixed
 * and touched up front, so Java objects do not change the process's anonymous resident memory
 * ({@code RssAnon} of {@code /proc/self/status}: LMDB's file mapping is not counted). The child
 * runs a small pool first (classes, the native library, JIT) and closes it, reads {@code
 * RssAnon}, then requests 25,000 keys once each through a pool of {@value #LIVE} live units and
 * reads it again, then 75,000 more keys and reads it a third time; each figure is the growth over
 * the first reading. Both hold {@value #LIVE} live units: memory bounded by the live units, not by
 * the keys, makes the two equal. The first reading comes after 25,000 keys because the C heap
 * settles only after some thousands of units were made and closed on both pool threads (a unit
 * made by one thread may be closed by the other). Linux only ({@code /proc}).
 */
public final class PoolMemory {
  static final int LIVE = 1_000;
  static final int FEW = 25_000;
  static final int MANY = 100_000;
  private static final String CLASS = "dev.cu.bench.PoolBenchmark.";

  private PoolMemory() {}

  private static void visit(UnitPool pool, int from, int to) {
    List<CompletableFuture<Object>> fs = new ArrayList<>();
    for (int k = from; k < to; k++) {
      fs.add(pool.submit(PoolRoundRobinBenchmark.key(k), PoolRoundRobinBenchmark.INCREMENT));
    }
    fs.forEach(CompletableFuture::join);
  }

  /** One fork's two figures: growth after {@value #FEW} and after {@value #MANY} keys. */
  static long[] measureHere() throws IOException {
    Path warm = Files.createTempDirectory("cu-pool-mem-warm");
    Path dir = Files.createTempDirectory("cu-pool-mem");
    try {
      try (UnitPool p = PoolRoundRobinBenchmark.pool(warm, LIVE)) {
        visit(p, 0, 2 * LIVE);
      }
      UnitMemory.settle();
      long base = UnitMemory.statusBytes("RssAnon");
      try (UnitPool p = PoolRoundRobinBenchmark.pool(dir, LIVE)) {
        visit(p, 0, FEW);
        UnitMemory.settle();
        long few = UnitMemory.statusBytes("RssAnon") - base;
        visit(p, FEW, MANY);
        UnitMemory.settle();
        long many = UnitMemory.statusBytes("RssAnon") - base;
        return new long[] {few, many};
      }
    } finally {
      NativeLuaAnchor.deleteTree(warm);
      NativeLuaAnchor.deleteTree(dir);
    }
  }

  private static long[] fork(String heap) throws IOException {
    String[] parts = UnitMemory.child(PoolMemory.class, heap, 10, "--child", "true").split("\\s+");
    return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
  }

  /**
   * Command line: {@code --out FILE [--forks N] [--heap SIZE]} writes the JSON; {@code --child
   * true} is one fork, which prints its two figures.
   *
   * @param args the options above
   * @throws IOException if a child fails or the output cannot be written
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> o = Options.parse(args);
    if (o.containsKey("child")) {
      long[] r = measureHere();
      System.out.println(r[0] + " " + r[1]);
      return;
    }
    if (!o.containsKey("out")) {
      throw new IllegalArgumentException("usage: --out FILE [--forks N] [--heap SIZE]");
    }
    int forks = Integer.parseInt(o.getOrDefault("forks", "3"));
    double[] few = new double[forks];
    double[] many = new double[forks];
    for (int f = 0; f < forks; f++) {
      long[] r = fork(o.getOrDefault("heap", "1g"));
      few[f] = r[0];
      many[f] = r[1];
      System.out.printf(
          "# pool memory fork %d: %d B after %d keys, %d B after %d keys%n",
          f + 1, r[0], FEW, r[1], MANY);
    }
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode all = mapper.createArrayNode();
    String warm = 2 * LIVE + " keys through another pool";
    all.add(
        UnitMemory.entry(
            PoolMemory.class,
            CLASS + "poolMemory_25kKeys",
            warm,
            FEW + " keys, " + LIVE + " live units",
            few,
            "B/op"));
    all.add(
        UnitMemory.entry(
            PoolMemory.class,
            CLASS + "poolMemory_100kKeys",
            warm,
            MANY + " keys, " + LIVE + " live units",
            many,
            "B/op"));
    double[] growth = new double[forks];
    for (int f = 0; f < forks; f++) {
      growth[f] = many[f] / few[f];
    }
    all.add(
        UnitMemory.entry(
            PoolMemory.class,
            CLASS + "poolMemoryGrowth",
            warm,
            "memory after " + MANY + " keys over memory after " + FEW + " keys, per fork",
            growth,
            "x"));
    mapper.writerWithDefaultPrettyPrinter().writeValue(Path.of(o.get("out")).toFile(), all);
  }
}
