package dev.cu.bench;

import dev.cu.ComputeUnit;
import dev.cu.store.LmdbOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The soak run ({@code bench/soak}): one unit with LMDB storage does {@code computes} computes,
 * every {@code computes / commits}-th of which writes {@code _home} and so commits, and the
 * process's native memory (resident set minus the Java heap and the JVM's own non-heap pools) is
 * sampled along the way. After the warm-up (the first tenth of the computes) native memory must
 * stay flat: the run exits 1 when the mean of the last five samples exceeds the mean of the
 * first five after warm-up by more than {@code limitMiB}.
 *
 * <p>Run with a fixed, pre-touched heap ({@code -Xms = -Xmx}, {@code -XX:+AlwaysPreTouch}) so the
 * heap's share of the resident set does not move. Arguments: {@code [computes [commits [limitMiB
 * [samples]]]]}, defaults 1000000, 100000, 16, 40. Linux only (reads /proc/self/status).
 */
public final class Soak {
  private Soak() {}

  record Sample(
      long computes,
      long commits,
      long rssKiB,
      long heapKiB,
      long nonHeapKiB,
      long unitUsed,
      long storeBytes,
      double seconds) {
    double nativeMiB() {
      return (rssKiB - heapKiB - nonHeapKiB) / 1024.0;
    }
  }

  public static void main(String[] args) throws Exception {
    long computes = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    long commits = args.length > 1 ? Long.parseLong(args[1]) : 100_000;
    double limitMiB = args.length > 2 ? Double.parseDouble(args[2]) : 16;
    int samples = args.length > 3 ? Integer.parseInt(args[3]) : 40;
    long every = Math.max(1, computes / commits);
    long step = Math.max(1, computes / samples);
    List<Sample> seen = new ArrayList<>();
    System.out.printf(
        Locale.ROOT,
        "soak: %,d computes, a commit every %d (%,d commits), "
            + "limit %.0f MiB of native growth after warm-up%n",
        computes,
        every,
        computes / every,
        limitMiB);
    System.out.println(
        "  computes   commits  rss MiB  heap MiB  non-heap MiB  native MiB"
            + "  unit used MiB  store MiB  seconds");
    long t0 = System.nanoTime();
    try (StoredUnit s =
        new StoredUnit(
            b ->
                b.memoryLimit(64L << 20)
                    .timeLimit(java.time.Duration.ofSeconds(5))
                    .autoCommit(true)
                    .storageOptions(
                        LmdbOptions.defaults().withDurability(LmdbOptions.Durability.NO_SYNC)))) {
      ComputeUnit cu = s.unit;
      cu.compute(
          "function work(n) local t = {} for i = 1, 20 do t[i] = n * i end "
              + "return #t + (n % 7) end");
      String put =
          "function _home.put(i) _home.n = _home.n + 1 "
              + "_home.items[i % 1000] = {id = i, name = 'item' .. i, tags = {'a', 'b'}} end";
      cu.compute("_home.items = {} _home.n = 0 " + put);
      long done = 0;
      long committed = 0;
      for (long i = 1; i <= computes; i++) {
        if (i % every == 0) {
          // a write: one changed counter, one replaced record of a ring of 1,000
          cu.call("_home.put", i);
          committed++;
        } else if (i % 1000 == 1) {
          cu.compute(put); // the stored function replaced: a new function row
          committed++;
        } else {
          cu.call("work", i);
        }
        done++;
        if (done % step == 0 || done == computes) {
          seen.add(sample(done, committed, cu, s.dir, t0));
          print(seen.get(seen.size() - 1));
        }
      }
      Object n = cu.compute("return _home.n");
      System.out.printf(
          Locale.ROOT,
          "_home.n = %s, %d records%n",
          n,
          cu.compute("local c = 0 for _ in pairs(_home.items) do c = c + 1 end return c"));
    }
    System.exit(verdict(seen, limitMiB) ? 0 : 1);
  }

  private static Sample sample(long computes, long commits, ComputeUnit cu, Path dir, long t0)
      throws IOException {
    MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
    long rss = 0;
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    long store;
    try (var files = Files.walk(dir)) {
      store = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
    return new Sample(
        computes,
        commits,
        rss,
        mx.getHeapMemoryUsage().getCommitted() / 1024,
        mx.getNonHeapMemoryUsage().getCommitted() / 1024,
        cu.getMemoryStats().used(),
        store,
        (System.nanoTime() - t0) / 1e9);
  }

  private static void print(Sample x) {
    System.out.printf(
        Locale.ROOT,
        "%10d %9d %8.1f %9.1f %13.1f %11.1f %14.1f %10.1f %8.1f%n",
        x.computes(),
        x.commits(),
        x.rssKiB() / 1024.0,
        x.heapKiB() / 1024.0,
        x.nonHeapKiB() / 1024.0,
        x.nativeMiB(),
        x.unitUsed() / 1048576.0,
        x.storeBytes() / 1048576.0,
        x.seconds());
  }

  /** Flat when the last five samples average within the limit of the first five after warm-up. */
  private static boolean verdict(List<Sample> seen, double limitMiB) {
    int warm = seen.size() / 10;
    if (seen.size() - warm < 10) {
      System.out.println("soak: too few samples for a verdict");
      return false;
    }
    double first =
        seen.subList(warm, warm + 5).stream()
            .mapToDouble(Sample::nativeMiB)
            .average()
            .orElseThrow();
    double last =
        seen.subList(seen.size() - 5, seen.size()).stream()
            .mapToDouble(Sample::nativeMiB)
            .average()
            .orElseThrow();
    double max =
        seen.subList(warm, seen.size()).stream().mapToDouble(Sample::nativeMiB).max().orElseThrow();
    boolean flat = last - first <= limitMiB;
    System.out.printf(
        Locale.ROOT,
        "soak: native %.1f MiB after warm-up, %.1f MiB at the end "
            + "(growth %+.1f MiB, peak %.1f MiB, limit %.0f MiB): %s%n",
        first,
        last,
        last - first,
        max,
        limitMiB,
        flat ? "flat" : "GROWING");
    return flat;
  }
}
