package dev.cu.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.types.size_t;
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
 * The floor of the crossings of {@link HandleBenchmark} and {@link CallBenchmark}, in ns per op.
 * For a Java → Lua crossing: one JNR
 * downcall, bound as cu binds libcu, into a C function that does the least Lua work the crossing
 * needs on a plain Lua state, with no sandbox, limits or storage. The C side is {@code
 * native/bench/cu_floor.c}, built beside libcu from the same Lua objects as {@code libcufloor}.
 *
 * <ul>
 *   <li>{@code floor_functionCallEmpty}: {@code lua_rawgeti} of an empty function + {@code
 *       lua_pcall}, the floor of {@code cu_functionCallEmpty}.
 *   <li>{@code floor_functionCallArgs}: the same with three integer pushes and an integer
 *       result, the floor of {@code cu_functionCallArgs}.
 *   <li>{@code floor_tableGet} / {@code floor_tableSet}: the key's bytes written to native memory
 *       (as cu writes them to its slots), then {@code lua_rawgeti} of the table, {@code
 *       lua_pushlstring} of the key and {@code lua_rawget} / {@code lua_rawset}, the floors of
 *       {@code cu_tableGet} / {@code cu_tableSet}.
 *   <li>{@code floor_hostCallEmpty}: per call, a Lua loop calling a C function that makes one
 *       JNI upcall into an empty Java method, as libcu's host-function upcall is made: the floor
 *       of {@code cu_hostCallEmpty}.
 * </ul>
 *
 * <p>The library is {@code native/target/<platform>/libcufloor} under the working directory or
 * one of its parents (the build makes it), or the file the {@code cu.floor} system property
 * names.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class FloorBenchmark {
  /** Host calls per operation of {@link #floor_hostCallEmpty} (the loop in cu_floor.c). */
  static final int HOST_CALLS = 1000;

  /** libcufloor's functions (native/bench/cu_floor.c). */
  public interface Floor {
    @IgnoreError
    Pointer cu_floor_new(int counting);

    @IgnoreError
    void cu_floor_close(Pointer L);

    @IgnoreError
    int cu_floor_call(Pointer L);

    @IgnoreError
    long cu_floor_call3(Pointer L, long a, long b, long c);

    @IgnoreError
    long cu_floor_get(Pointer L, Pointer key, @size_t long len);

    @IgnoreError
    int cu_floor_set(Pointer L, Pointer key, @size_t long len, long v);

    @IgnoreError
    long cu_floor_calls(Pointer L);

    @IgnoreError
    int cu_floor_jnibind(Pointer L);

    @IgnoreError
    int cu_floor_hostloop(Pointer L);
  }

  /** The Java side of the host-call floor: an empty method that counts its calls. */
  public static final class JniTarget {
    long upcalls;

    int upcall(int fn) {
      upcalls++;
      return 0;
    }
  }

  /** The object the host-call floor's next bind calls ({@code cu_floor_jnibind}). */
  private static JniTarget binding;

  /** Called by C in {@code cu_floor_jnibind}. */
  static Object jniTarget() {
    return binding;
  }

  private Floor floor;
  private Pointer state;
  private Pointer key;
  private long next;
  private boolean bound;

  /** The host-call floor's Java object. */
  JniTarget target;

  /** Whether the Lua function of {@code floor_functionCallEmpty} counts its calls (tests). */
  boolean counting;

  @Setup(Level.Trial)
  public void setUp() {
    floor = LibraryLoader.create(Floor.class).failImmediately().load(library().toString());
    state = floor.cu_floor_new(counting ? 1 : 0);
    if (state == null) {
      throw new IllegalStateException("cu_floor_new made no state");
    }
    key = Memory.allocateDirect(Runtime.getRuntime(floor), 16);
    target = new JniTarget();
    synchronized (FloorBenchmark.class) {
      binding = target;
      bound = floor.cu_floor_jnibind(state) == 0;
      binding = null;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    floor.cu_floor_close(state);
    state = null;
  }

  /** How many times the Lua function of {@code floor_functionCallEmpty} ran, when it counts. */
  long calls() {
    return floor.cu_floor_calls(state);
  }

  @Benchmark
  public int floor_functionCallEmpty() {
    return floor.cu_floor_call(state);
  }

  @Benchmark
  public long floor_functionCallArgs() {
    return floor.cu_floor_call3(state, 1L, 2L, 3L);
  }

  @Benchmark
  public long floor_tableGet() {
    key.putByte(0, (byte) 'k');
    return floor.cu_floor_get(state, key, 1);
  }

  @Benchmark
  public int floor_tableSet() {
    key.putByte(0, (byte) 'k');
    return floor.cu_floor_set(state, key, 1, next++);
  }

  /**
   * A Lua loop of 1,000 calls of a C function whose work is one JNI upcall into {@link
   * JniTarget#upcall}, made as libcu makes its host-function upcall: the floor of a host call.
   * Linux builds only (libcufloor compiled against the JDK's headers).
   */
  @Benchmark
  @OperationsPerInvocation(HOST_CALLS)
  public int floor_hostCallEmpty() {
    if (!bound) {
      throw new IllegalStateException("libcufloor has no JNI upcall in this build");
    }
    return floor.cu_floor_hostloop(state);
  }

  /** The library file: {@code cu.floor}, else the build's, from here or a parent directory. */
  static Path library() {
    String named = System.getProperty("cu.floor");
    if (named != null) {
      return Path.of(named).toAbsolutePath();
    }
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch64" : "x86_64";
    String platform;
    String file;
    if (os.contains("win")) {
      platform = "windows-" + arch;
      file = "cufloor.dll";
    } else if (os.contains("mac")) {
      platform = "macos-" + arch;
      file = "libcufloor.dylib";
    } else {
      platform = "linux-" + arch;
      file = "libcufloor.so";
    }
    Path rel = Path.of("native", "target", platform, file);
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(rel))) {
        return dir.resolve(rel);
      }
    }
    throw new IllegalStateException(
        rel
            + " is in neither the working directory nor a parent: build it (mvn install), or"
            + " name the library with -Dcu.floor=FILE");
  }
}
