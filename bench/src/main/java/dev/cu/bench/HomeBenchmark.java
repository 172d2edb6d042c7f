package dev.cu.bench;

import dev.cu.ComputeUnit;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload 5: {@code _home}, the external table. One op is one whole chunk run, scored in µs
 * ({@code cu_write100k} in ms).
 *
 * <ul>
 *   <li>{@code cu_write1k} / {@code cu_write100k}: one chunk writes 1,000 / 100,000 small records
 *       {@code {id, name, value}} into {@code _home.w1k} / {@code _home.w100k}; each record
 *       becomes an external table and the chunk's commit delivers them to the unit's default
 *       in-memory store. From the second run on every write replaces the record of the run
 *       before, so the commit also reclaims the old tables (steady state, no growth).
 *   <li>{@code plain_write1k}: the floor of {@code cu_write1k}: the same chunk on the same unit
 *       writing into the plain global table {@code p1k}, the chunk's own work without external
 *       tables or a commit.
 *   <li>{@code cu_read1m}: 1,000,000 reads (1,000 passes over 1,000 integers) of the loaded table
 *       {@code _home.r}, summed; {@code plain_read1m}: the same reads of a plain global Lua table
 *       on the same unit. The difference is the cost of the proxy's {@code __index}.
 *   <li>{@code items_store1000} / {@code items_query1000}: two scripts over 1,000 items on a
 *       unit with LMDB storage in a temporary folder (default options, no autoCommit, so each call commits
 *       to the in-memory overlay over LMDB): store {@code _home.items[i] = {id=i, name='item'..i,
 *       value=i*1.5}} for i = 1..1000; query counts the items whose value exceeds 500 (667)
 *       with {@code pairs} over {@code _home.items}, loading the item tables it needs.
 * </ul>
 *
 * <p>All units are default units (256 MiB, interruptible, no time limit).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class HomeBenchmark {
  static final String WRITE_1K = writes("_home.w1k", 1000);
  static final String WRITE_100K = writes("_home.w100k", 100_000);
  static final String WRITE_1K_PLAIN = writes("p1k", 1000);
  static final String FILL_READS =
      "_home.r = {} plain = {} " + "for i = 1, 1000 do _home.r[i] = i plain[i] = i end";
  static final String READ_HOME = reads("_home.r");
  static final String READ_PLAIN = reads("plain");
  static final String ITEMS_STORE =
      "for i=1,1000 do " + "_home.items[i] = {id=i, name='item'..i, value=i*1.5} end";
  static final String ITEMS_QUERY =
      "local n = 0 for _, item in pairs(_home.items) do "
          + "if item.value > 500 then n = n + 1 end end return n";

  /** Writes n records into the table at {@code path}, made when missing. */
  private static String writes(String path, int n) {
    return path
        + " = "
        + path
        + " or {} local t = "
        + path
        + " for i = 1, "
        + n
        + " do t[i] = {id = i, name = 'r' .. i, value = i * 1.5} end";
  }

  private static String reads(String table) {
    return "local t = "
        + table
        + " local s = 0 "
        + "for j = 1, 1000 do for i = 1, 1000 do s = s + t[i] end end return s";
  }

  /** A default unit with in-memory {@code _home}: 1,000 integers in {@code _home.r}. */
  @State(Scope.Thread)
  public static class Memory {
    ComputeUnit unit;

    @Setup(Level.Trial)
    public void setUp() {
      unit = ComputeUnit.create();
      unit.compute(FILL_READS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      unit.close();
    }
  }

  /**
   * A unit with LMDB storage in a temporary folder, the 1,000 items stored once (so every
   * measured store replaces existing items, as all but the first run of the store script do).
   */
  @State(Scope.Thread)
  public static class Lmdb {
    StoredUnit stored;
    ComputeUnit unit;

    @Setup(Level.Trial)
    public void setUp() {
      stored = new StoredUnit(b -> b);
      unit = stored.unit;
      unit.compute("_home.items = {}");
      unit.compute(ITEMS_STORE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      stored.close();
    }
  }

  @Benchmark
  public Object cu_write1k(Memory s) {
    return s.unit.compute(WRITE_1K);
  }

  @Benchmark
  public Object plain_write1k(Memory s) {
    return s.unit.compute(WRITE_1K_PLAIN);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Object cu_write100k(Memory s) {
    return s.unit.compute(WRITE_100K);
  }

  @Benchmark
  public Object cu_read1m(Memory s) {
    return s.unit.compute(READ_HOME);
  }

  @Benchmark
  public Object plain_read1m(Memory s) {
    return s.unit.compute(READ_PLAIN);
  }

  @Benchmark
  public Object items_store1000(Lmdb s) {
    return s.unit.compute(ITEMS_STORE);
  }

  @Benchmark
  public Object items_query1000(Lmdb s) {
    return s.unit.compute(ITEMS_QUERY);
  }
}
