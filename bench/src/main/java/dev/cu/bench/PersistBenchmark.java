package dev.cu.bench;

import dev.cu.ComputeUnit;
import dev.cu.store.LmdbOptions;
import dev.cu.store.LmdbOptions.Durability;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload 7: persistence to LMDB, each unit in its own temporary folder (the file system of
 * {@code java.io.tmpdir}), default {@link LmdbOptions} unless said otherwise. Scores in ms per op.
 * The save and load workloads use the explicit-save mode ({@code autoCommit(false)}).
 *
 * <ul>
 *   <li>{@code saveState10k} / {@code saveState1m}: {@code _home[i] = i} for i = 1..N was saved
 *       once per trial; before every op (untimed) a chunk adds 1 to all N entries, so the op,
 *       {@code saveState()}, writes N changed rows in one LMDB transaction, fsync included
 *       (default durability SYNC). A save of unchanged state would write nothing.
 *   <li>{@code loadState10k} / {@code loadState1m}: the same saved state; the op is {@code
 *       loadState()} followed by {@code compute("return _home[N]")}. {@code loadState} only makes
 *       the VM forget its tables, so the read is what loads: one LMDB range scan of N rows, their
 *       checks, and the decode into the Lua cache.
 *   <li>{@code functionPersist}: per function (100 per op): a chunk stores 100 new closures, each
 *       with its own upvalue, in {@code _home.fns}, then {@code saveState()} serializes and
 *       signs them and writes them.
 *   <li>{@code commitSync} / {@code commitNoSync}: a unit with {@code autoCommit(true)}; the op
 *       is {@code compute("_home.n = _home.n + 1")}, i.e. one LMDB write transaction per call,
 *       with {@code Durability.SYNC} (fsync per commit) or {@code NO_SYNC}.
 * </ul>
 *
 * <p>The 1,000,000-entry states are built once per trial; their ops run as single shots (one op
 * per iteration). Persistence units have no memory limit.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class PersistBenchmark {
  static final int SMALL = 10_000;
  static final int LARGE = 1_000_000;
  static final int FUNCTIONS = 100;
  static final String STORE_FUNCTIONS =
      "local fns = _home.fns for i = 1, 100 do local k = i "
          + "fns[i] = function(x) return x + k end end";

  /**
   * A unit whose saved {@code _home} holds {@code _home[i] = i} for i = 1..size, built once per
   * trial.
   */
  public abstract static class SavedHome {
    final int size;
    StoredUnit stored;
    ComputeUnit unit;

    SavedHome(int size) {
      this.size = size;
    }

    @Setup(Level.Trial)
    public void setUp() {
      stored = new StoredUnit(b -> b.memoryLimit(0).autoCommit(false));
      unit = stored.unit;
      unit.compute("for i = 1, " + size + " do _home[i] = i end");
      unit.saveState();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      stored.close();
    }

    /** Changes every entry, so the next save writes all of them. */
    void touch() {
      unit.compute("for i = 1, " + size + " do _home[i] = _home[i] + 1 end");
    }

    /** Loads the saved state and reads its last entry. */
    Object load() {
      unit.loadState();
      return unit.compute("return _home[" + size + "]");
    }
  }

  /** 10,000 saved entries. */
  @State(Scope.Thread)
  public static class Home10k extends SavedHome {
    public Home10k() {
      super(SMALL);
    }
  }

  /** 1,000,000 saved entries. */
  @State(Scope.Thread)
  public static class Home1m extends SavedHome {
    public Home1m() {
      super(LARGE);
    }
  }

  /** Home10k, with every entry changed before each op. */
  @State(Scope.Thread)
  public static class Dirty10k extends Home10k {
    @Setup(Level.Invocation)
    public void change() {
      touch();
    }
  }

  /** Home1m, with every entry changed before each op. */
  @State(Scope.Thread)
  public static class Dirty1m extends Home1m {
    @Setup(Level.Invocation)
    public void change() {
      touch();
    }
  }

  /** A unit with storage and {@code _home.fns}. */
  @State(Scope.Thread)
  public static class Functions {
    StoredUnit stored;
    ComputeUnit unit;

    @Setup(Level.Trial)
    public void setUp() {
      stored = new StoredUnit(b -> b.memoryLimit(0).autoCommit(false));
      unit = stored.unit;
      unit.compute("_home.fns = {}");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      stored.close();
    }
  }

  /** A unit with autoCommit and {@code _home.n = 0}, of the subclass's durability. */
  public abstract static class AutoCommit {
    private final Durability durability;
    StoredUnit stored;
    ComputeUnit unit;

    AutoCommit(Durability durability) {
      this.durability = durability;
    }

    @Setup(Level.Trial)
    public void setUp() {
      stored =
          new StoredUnit(
              b ->
                  b.memoryLimit(0)
                      .autoCommit(true)
                      .storageOptions(LmdbOptions.defaults().withDurability(durability)));
      unit = stored.unit;
      unit.compute("_home.n = 0");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      stored.close();
    }
  }

  /** Durability.SYNC. */
  @State(Scope.Thread)
  public static class Sync extends AutoCommit {
    public Sync() {
      super(Durability.SYNC);
    }
  }

  /** Durability.NO_SYNC. */
  @State(Scope.Thread)
  public static class NoSync extends AutoCommit {
    public NoSync() {
      super(Durability.NO_SYNC);
    }
  }

  static final String INCREMENT = "_home.n = _home.n + 1";

  @Benchmark
  public void saveState10k(Dirty10k s) {
    s.unit.saveState();
  }

  @Benchmark
  public Object loadState10k(Home10k s) {
    return s.load();
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  public void saveState1m(Dirty1m s) {
    s.unit.saveState();
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  public Object loadState1m(Home1m s) {
    return s.load();
  }

  @Benchmark
  @OperationsPerInvocation(FUNCTIONS)
  public void functionPersist(Functions s) {
    s.unit.compute(STORE_FUNCTIONS);
    s.unit.saveState();
  }

  @Benchmark
  public Object commitSync(Sync s) {
    return s.unit.compute(INCREMENT);
  }

  @Benchmark
  public Object commitNoSync(NoSync s) {
    return s.unit.compute(INCREMENT);
  }
}
