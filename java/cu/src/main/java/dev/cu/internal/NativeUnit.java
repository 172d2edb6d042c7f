package dev.cu.internal;

import dev.cu.LuaMemoryException;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import jnr.ffi.Pointer;

/**
 * One native {@code cu_State}: the only object that holds its pointer. Not thread-safe except
 * {@link #interrupt()} and the memory reads; {@code dev.cu.ComputeUnit} serialises the rest.
 * {@link #close()} frees the state; a {@link Cleaner} does it if the owner is forgotten.
 */
public final class NativeUnit implements AutoCloseable {
  private static final Cleaner CLEANER = Cleaner.create();

  private final CuLib lib;
  private final Pointer info;
  private final Holder holder;
  private final Cleaner.Cleanable cleanable;
  private Pointer state;
  /** Kept strongly for the state's lifetime: native code holds its address. */
  private CuLib.cu_PrintFn printFn;
  private Throwable upcallError;

  /** Frees the state exactly once, from close() or from the Cleaner. */
  private static final class Holder implements Runnable {
    private final CuLib lib;
    private Pointer state;
    @SuppressWarnings("unused")
    private Object closure;

    Holder(CuLib lib, Pointer state) {
      this.lib = lib;
      this.state = state;
    }

    @Override
    public synchronized void run() {
      if (state != null) {
        lib.cu_state_close(state);
        state = null;
        closure = null;
      }
    }
  }

  private NativeUnit(CuLib lib, Pointer state) {
    this.lib = lib;
    this.state = state;
    this.info = lib.cu_state_info(state);
    this.holder = new Holder(lib, state);
    this.cleanable = CLEANER.register(this, holder);
  }

  /**
   * Creates and opens a state.
   *
   * @throws LuaMemoryException when the limit is too small to open the libraries
   */
  public static NativeUnit open(long memoryLimit, long seed, boolean hooked) {
    CuLib lib = NativeLibrary.get();
    Pointer s = lib.cu_state_new(memoryLimit);
    if (s == null || s.address() == 0) {
      throw new LuaMemoryException("cannot allocate a Lua state");
    }
    int st = lib.cu_state_open(s, seed, hooked ? 1 : 0);
    if (st != CuLib.CU_OK) {
      lib.cu_state_close(s);
      throw new LuaMemoryException(
          "memory limit of " + memoryLimit + " bytes is too small to open the Lua libraries");
    }
    return new NativeUnit(lib, s);
  }

  private Pointer state() {
    Pointer s = state;
    if (s == null) {
      throw new IllegalStateException("compute unit is closed");
    }
    return s;
  }

  /** Sets the limits of later runs; false when the state has no hook. */
  public boolean limit(long timeoutNanos, long instructions) {
    return lib.cu_state_limit(state(), timeoutNanos, instructions) == CuLib.CU_OK;
  }

  /**
   * Compiles a chunk. {@code nameZ} is a NUL-terminated chunk name.
   *
   * @return the chunk reference (positive), or the negated status on failure
   */
  public int load(byte[] code, byte[] nameZ) {
    int[] ref = new int[1];
    int st = lib.cu_chunk_load(state(), code, code.length, nameZ, ref);
    return st == CuLib.CU_OK ? ref[0] : -st;
  }

  public int run(int ref, int mode) {
    upcallError = null;
    return lib.cu_chunk_run(state(), ref, mode);
  }

  public void free(int ref) {
    lib.cu_chunk_free(state(), ref);
  }

  public int gc() {
    return lib.cu_state_gc(state());
  }

  /** Thread-safe: stops the run in progress, if any. */
  public boolean interrupt() {
    Pointer s = state;
    return s != null && lib.cu_state_interrupt(s) != 0;
  }

  /** The payload of the last call (result or error), copied out of native memory. */
  public byte[] payload() {
    return copy(info.getLong(CuLib.INFO_OUTLEN), CuLib.INFO_OUT);
  }

  /** What print() wrote during the last run, when it was not streamed. */
  public String printed() {
    long n = info.getLong(CuLib.INFO_PRINTLEN);
    return n == 0 ? "" : new String(copy(n, CuLib.INFO_PRINT), StandardCharsets.UTF_8);
  }

  private byte[] copy(long n, int pointerOffset) {
    byte[] b = new byte[Math.toIntExact(n)];
    if (n > 0) {
      info.getPointer(pointerOffset).get(0, b, 0, b.length);
    }
    return b;
  }

  public long instructions() {
    return info.getLong(CuLib.INFO_INSTRUCTIONS);
  }

  public int stopReason() {
    return info.getInt(CuLib.INFO_REASON);
  }

  public long memoryUsed() {
    return info.getLong(CuLib.INFO_MEM_USED);
  }

  public long memoryLimit() {
    return info.getLong(CuLib.INFO_MEM_LIMIT);
  }

  public long memoryPeak() {
    return info.getLong(CuLib.INFO_MEM_PEAK);
  }

  /**
   * Streams print() lines (without their newline) to {@code sink}. A Throwable from the sink
   * is kept for {@link #takeUpcallError()} and ends the run with a Lua error.
   */
  public void printTo(Consumer<String> sink) {
    CuLib.cu_PrintFn fn = null;
    if (sink != null) {
      fn = (data, len) -> {
        try {
          byte[] b = new byte[Math.toIntExact(len - 1)];
          data.get(0, b, 0, b.length);
          sink.accept(new String(b, StandardCharsets.UTF_8));
          return 0;
        } catch (Throwable t) {
          upcallError = t;
          return 1;
        }
      };
    }
    lib.cu_state_setprint(state(), fn);
    printFn = fn;
    holder.closure = fn;
  }

  /** The Throwable a Java upcall stored during the last run, cleared by this call. */
  public Throwable takeUpcallError() {
    Throwable t = upcallError;
    upcallError = null;
    return t;
  }

  @Override
  public void close() {
    state = null;
    cleanable.clean();
    printFn = null;
  }
}
