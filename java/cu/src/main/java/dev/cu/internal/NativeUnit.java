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
  /** Kept strongly for the state's lifetime: native code holds their addresses. */
  private CuLib.cu_PrintFn printFn;
  private CuLib.cu_LoadFn loadFn;
  private CuLib.cu_CommitFn commitFn;
  private CuLib.cu_HostFn hostFn;
  private Throwable upcallError;
  /**
   * Native NUL-terminated UTF-8 copies of the paths {@link #call} was given (bounded), and a
   * native buffer for its arguments up to {@link #BUF_MAX} bytes: with only pointers and numbers
   * to pass, the call needs no JNI array copies. Freed by the garbage collector with their
   * {@code Pointer}s.
   */
  private final java.util.HashMap<String, Pointer> paths = new java.util.HashMap<>();
  private static final int MAX_PATHS = 256;
  private Pointer argBuf;
  /** The same for upcall replies (a host function's results, a table's rows). */
  private Pointer replyBuf;
  /** Larger arguments and replies are passed as arrays (JNI copies them for the call). */
  private static final int BUF_MAX = 4096;

  /** The Java side of the external-table upcalls. */
  public interface Store {
    /** The entries of table {@code id} as one CBOR map; null or empty for none. */
    byte[] load(long id) throws Exception;

    /**
     * One run's changes (CBOR array of [id, key, value]) and the next free table id; returns
     * a CBOR array of the ids of tables the store removed, or null.
     */
    byte[] commit(byte[] delta, long nextId) throws Exception;
  }

  /** The Java side of host functions. */
  public interface Host {
    /** Calls function {@code fn} with a CBOR array of arguments; returns a CBOR array. */
    byte[] call(int fn, byte[] args) throws Exception;
  }

  /** Frees the state exactly once, from close() or from the Cleaner. */
  private static final class Holder implements Runnable {
    private final CuLib lib;
    private Pointer state;
    @SuppressWarnings("unused")
    private final Object[] closures = new Object[4];

    Holder(CuLib lib, Pointer state) {
      this.lib = lib;
      this.state = state;
    }

    @Override
    public synchronized void run() {
      if (state != null) {
        lib.cu_state_close(state);
        state = null;
        java.util.Arrays.fill(closures, null);
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
    return n == 0 ? new byte[0] : bytes(info.getPointer(pointerOffset), n);
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
   * Streams print() lines (their bytes, without the newline) to {@code sink}. A Throwable from
   * the sink is kept for {@link #takeUpcallError()} and ends the run with a Lua error.
   */
  public void printTo(Consumer<byte[]> sink) {
    CuLib.cu_PrintFn fn = null;
    if (sink != null) {
      fn = (data, len) -> {
        try {
          byte[] b = new byte[Math.toIntExact(len - 1)];
          data.get(0, b, 0, b.length);
          sink.accept(b);
          return 0;
        } catch (Throwable t) {
          upcallError = t;
          return 1;
        }
      };
    }
    lib.cu_state_setprint(state(), fn);
    printFn = fn;
    holder.closures[0] = fn;
  }

  /**
   * Replies to the upcall in progress; false when native memory ran out. C empties the reply
   * before every upcall, so an empty reply needs no call.
   */
  private boolean reply(byte[] data) {
    if (data == null || data.length == 0) {
      return true;
    }
    if (data.length > BUF_MAX) {
      return lib.cu_upcall_reply(state(), data, data.length) == CuLib.CU_OK;
    }
    if (replyBuf == null) {
      replyBuf = nativeCopy(data, BUF_MAX);
    } else {
      put(replyBuf, data);
    }
    return lib.cu_upcall_reply(state(), replyBuf, data.length) == CuLib.CU_OK;
  }

  /** Keeps {@code t} for the caller and replies with its message; returns the error flag. */
  private int fail(Throwable t) {
    upcallError = t;
    String m = t.getMessage() != null ? t.getMessage() : t.getClass().getName();
    reply(m.getBytes(StandardCharsets.UTF_8));
    return 1;
  }

  /** New native memory of at least {@code capacity} bytes holding {@code b}. */
  private Pointer nativeCopy(byte[] b, int capacity) {
    Pointer p = jnr.ffi.Runtime.getRuntime(lib).getMemoryManager()
        .allocateDirect(Math.max(capacity, Math.max(b.length, 1)));
    put(p, b);
    return p;
  }

  private static void put(Pointer p, byte[] b) {
    if (b.length > SMALL_COPY) {
      p.put(0, b, 0, b.length);
    } else {
      for (int i = 0; i < b.length; i++) {
        p.putByte(i, b[i]);
      }
    }
  }

  /** Below this size a byte-wise copy beats the JNI bulk copy of {@link Pointer#get}. */
  private static final int SMALL_COPY = 64;

  private static byte[] bytes(Pointer p, long len) {
    byte[] b = new byte[Math.toIntExact(len)];
    if (len > SMALL_COPY) {
      p.get(0, b, 0, b.length);
    } else {
      for (int i = 0; i < b.length; i++) {
        b[i] = p.getByte(i);
      }
    }
    return b;
  }

  /** Connects the external-table upcalls; new tables get ids from {@code nextId} on. */
  public void connectStore(Store store, long nextId) {
    CuLib.cu_LoadFn load = id -> {
      try {
        return reply(store.load(id)) ? 0 : fail(new OutOfMemoryError("upcall reply"));
      } catch (Throwable t) {
        return fail(t);
      }
    };
    CuLib.cu_CommitFn commit = (delta, len) -> {
      try {
        byte[] removed = store.commit(bytes(delta, len), info.getLong(CuLib.INFO_EXT_NEXTID));
        return reply(removed) ? 0 : fail(new OutOfMemoryError("upcall reply"));
      } catch (Throwable t) {
        return fail(t);
      }
    };
    lib.cu_ext_setnextid(state(), nextId);
    lib.cu_ext_setstore(state(), load, commit);
    loadFn = load;
    commitFn = commit;
    holder.closures[1] = load;
    holder.closures[2] = commit;
  }

  /** Connects host functions. */
  public void connectHost(Host host) {
    CuLib.cu_HostFn fn = (index, args, len) -> {
      try {
        return reply(host.call(index, bytes(args, len))) ? 0 : fail(new OutOfMemoryError("reply"));
      } catch (Throwable t) {
        return fail(t);
      }
    };
    lib.cu_host_setfn(state(), fn);
    hostFn = fn;
    holder.closures[3] = fn;
  }

  /** Makes host function {@code fn} callable at {@code path}; returns the status. */
  public int register(String path, int fn) {
    return lib.cu_host_register(state(), z(path), fn);
  }

  /** Binds a global to external table {@code id} (0 = nil); returns the status. */
  public int setRoot(String global, long id) {
    return lib.cu_ext_setroot(state(), z(global), id);
  }

  /** Forgets every external table the VM knows; new tables start at {@code nextId}. */
  public int resetTables(long nextId) {
    return lib.cu_ext_reset(state(), nextId);
  }

  /** Tells the VM the store removed the tables of the CBOR id array {@code ids}. */
  public int detached(byte[] ids) {
    return lib.cu_ext_detached(state(), ids, ids.length);
  }

  /** Calls the function at {@code path} with a CBOR array of arguments. */
  public int call(String path, byte[] args, int mode) {
    upcallError = null;
    Pointer name = paths.get(path);
    if (name == null) {
      if (paths.size() >= MAX_PATHS) {
        paths.clear();
      }
      name = nativeCopy(z(path), 0);
      paths.put(path, name);
    }
    if (args.length > BUF_MAX) {
      return lib.cu_state_call(state(), name, args, args.length, mode);
    }
    if (argBuf == null) {
      argBuf = nativeCopy(args, BUF_MAX);
    } else {
      put(argBuf, args);
    }
    return lib.cu_state_call(state(), name, argBuf, args.length, mode);
  }

  public int ioSet(String key, String field, byte[] data) {
    byte[] d = data == null ? new byte[0] : data;
    return lib.cu_io_set(state(), z(key), field == null ? null : z(field), d, d.length);
  }

  public int ioGet(String key, String field) {
    return lib.cu_io_get(state(), z(key), field == null ? null : z(field));
  }

  public int ioClear() {
    return lib.cu_io_clear(state());
  }

  /** A NUL-terminated UTF-8 copy of {@code s}. */
  private static byte[] z(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.copyOf(b, b.length + 1);
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
    loadFn = null;
    commitFn = null;
    hostFn = null;
  }
}
