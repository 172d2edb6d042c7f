package dev.cu.bench;

import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The bare JNR-FFI mechanisms under cu's boundary crossings, without cu, in ns per op: the floor
 * of the host-call targets. C calls a Java closure through the C library's {@code qsort}, the
 * only way to make C call Java without a C function of the project's own: JNR-FFI binds {@code
 * qsort} and passes a {@code @Delegate} closure as its comparator, as cu passes its host-function
 * closure ({@code cu_HostFn}) to libcu.
 *
 * <ul>
 *   <li>{@code jnr_downcall}: {@code qsort} of one 8-byte element, which compares nothing: one
 *       JNR downcall.
 *   <li>{@code jnr_downcallUpcall}: {@code qsort} of two 8-byte elements: one downcall and
 *       exactly one upcall into a closure that returns 0 without reading its arguments (two
 *       pointers, wrapped as JNR {@code Pointer}s). The upcall alone is the difference of the
 *       two scores.
 *   <li>{@code jnr_downcallUpcallAddress}: the same with a comparator that takes the two
 *       addresses as integers, so no {@code Pointer} is made: the shape of cu's host-function
 *       upcall, whose argument pointer is NULL when the arguments cross in the slots.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class UpcallBenchmark {
  /** The C library's {@code qsort}. */
  public interface LibC {
    /** {@code qsort}'s comparator. */
    interface Compare {
      @Delegate
      int compare(Pointer a, Pointer b);
    }

    void qsort(Pointer base, @size_t long count, @size_t long size, Compare compare);
  }

  /** The same {@code qsort}, its comparator taking the element addresses as integers. */
  public interface LibCAddress {
    /** {@code qsort}'s comparator, given addresses. */
    interface Compare {
      @Delegate
      int compare(@intptr_t long a, @intptr_t long b);
    }

    void qsort(Pointer base, @size_t long count, @size_t long size, Compare compare);
  }

  private LibC libc;
  private Pointer base;
  private LibC.Compare compare;
  private LibCAddress libcAddress;
  private LibCAddress.Compare compareAddress;

  /** Upcalls made so far (the closure counts them, so a test can check there is one per op). */
  long upcalls;

  @Setup(Level.Trial)
  public void setUp() {
    libc = LibraryLoader.create(LibC.class).load("c");
    base = Memory.allocateDirect(Runtime.getRuntime(libc), 16);
    compare =
        (a, b) -> {
          upcalls++;
          return 0;
        };
    libcAddress = LibraryLoader.create(LibCAddress.class).load("c");
    compareAddress =
        (a, b) -> {
          upcalls++;
          return 0;
        };
  }

  @Benchmark
  public Pointer jnr_downcall() {
    libc.qsort(base, 1, 8, compare);
    return base;
  }

  @Benchmark
  public Pointer jnr_downcallUpcall() {
    libc.qsort(base, 2, 8, compare);
    return base;
  }

  @Benchmark
  public Pointer jnr_downcallUpcallAddress() {
    libcAddress.qsort(base, 2, 8, compareAddress);
    return base;
  }
}
