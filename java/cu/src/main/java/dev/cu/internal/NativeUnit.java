package dev.cu.internal;

import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import jnr.ffi.Pointer;

/**
 * One native {@code cu_State}: the only object that holds its pointer. Not thread-safe except
 * {@link #interrupt()} and the memory reads; {@code dev.cu.ComputeUnit} serialises the rest.
 * {@link #close()} frees the state; a {@link Cleaner} does it if the owner is forgotten (both
 * through its {@link StateHolder}).
 *
 * <p>Every method that can fail throws the exception {@link StatusMapper} makes of the shim's
 * status; callers never see a status code.
 */
public final class NativeUnit implements AutoCloseable {
  /** Result modes of {@link #run} and {@link #call}: the last value, or an array of all. */
  public static final int RESULT_LAST = CuLib.CU_RESULT_LAST;

  public static final int RESULT_ALL = CuLib.CU_RESULT_ALL;

  /** Or-ed with a result mode: a table in the result may contain itself. */
  public static final int RESULT_CYCLES = CuLib.CU_RESULT_CYCLES;

  /** Mode flag: the arguments are in the slots ({@link #slots()}), not in a CBOR array. */
  public static final int ARGS_SLOTS = CuLib.CU_ARGS_SLOTS;

  /** Mode flag: scalar results go to the slots; the call then returns null, not a payload. */
  public static final int RESULT_SLOTS = CuLib.CU_RESULT_SLOTS;

  private static final Cleaner CLEANER = Cleaner.create();

  final CuLib lib;
  private final Pointer info;
  final StateHolder holder;
  final Upcalls upcalls;
  private final Cleaner.Cleanable cleanable;
  private final List<Object> targets = new ArrayList<>();
  private Pointer state;

  /**
   * Native NUL-terminated UTF-8 copies of the paths {@link #call} was given (bounded), and a
   * native buffer for its arguments up to {@link Upcalls#BUF_MAX} bytes: with only pointers and
   * numbers to pass, the call needs no JNI array copies. Freed by the garbage collector with
   * their {@code Pointer}s.
   */
  private final HashMap<String, Pointer> paths = new HashMap<>();

  private static final int MAX_PATHS = 256;
  private Pointer argBuf;
  private NativeSlots slots;

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
    /** What {@link #call} returns when it wrote its results to the slots (compared by identity). */
    byte[] IN_SLOTS = new byte[0];

    /**
     * Calls function {@code fn} with its arguments: a CBOR array, or null when they are in
     * {@code slots} (read them first). Returns the results as a CBOR array (null: none), or
     * {@link #IN_SLOTS} when it wrote them to {@code slots} (null when the state has none).
     */
    byte[] call(int fn, byte[] args, NativeSlots slots) throws Exception;

    /**
     * The message of the Lua error raised when function {@code fn} failed with {@code t}
     * (thrown by {@link #call}, or a reply that could not be made): what Lua code sees, so
     * it must not reveal what the sandbox may not know. Must not throw. By default a message
     * naming nothing.
     */
    default String failure(int fn, Throwable t) {
      return "host function failed";
    }
  }

  /** The Java side of require: a module's chunk name and source, or the places tried. */
  public interface Modules {
    /** The module's chunk name, a zero byte and its source; null when not found. */
    byte[] find(String name) throws Exception;

    /** Where {@link #find} looked for {@code name}, one place per line. */
    String places(String name);
  }

  private NativeUnit(CuLib lib, Pointer state) {
    this.lib = lib;
    this.state = state;
    this.info = lib.cu_state_info(state);
    this.upcalls = new Upcalls(lib, state, info);
    this.holder = new StateHolder(lib, state);
    this.cleanable = CLEANER.register(this, holder);
  }

  /**
   * Creates and opens a state.
   *
   * @throws dev.cu.LuaMemoryException when the limit is too small to open the libraries
   */
  public static NativeUnit open(long memoryLimit, long seed, boolean hooked) {
    CuLib lib = NativeLibrary.get();
    Pointer s = lib.cu_state_new(memoryLimit);
    if (s == null || s.address() == 0) {
      throw StatusMapper.failure(CuLib.CU_ERRMEM, "cannot allocate a Lua state");
    }
    int st = lib.cu_state_open(s, seed, hooked ? 1 : 0);
    if (st != CuLib.CU_OK) {
      lib.cu_state_close(s);
      throw StatusMapper.failure(
          st, "memory limit of " + memoryLimit + " bytes is too small to open the Lua libraries");
    }
    return new NativeUnit(lib, s);
  }

  Pointer state() {
    Pointer s = state;
    if (s == null) {
      throw new IllegalStateException("compute unit is closed");
    }
    return s;
  }

  /**
   * Sets the limits of later runs (0 = none).
   *
   * @throws IllegalArgumentException when a limit is negative or set on a state without hook
   */
  public void limit(long timeoutNanos, long instructions) {
    check(
        lib.cu_state_limit(state(), timeoutNanos, instructions),
        "time and instruction limits need a hooked state and must not be negative");
  }

  /**
   * Sets the CPU time limit of later runs (0 = none).
   *
   * @throws IllegalArgumentException when it is negative or set on a state without hook
   */
  public void cpuLimit(long cpuNanos) {
    check(
        lib.cu_state_cpulimit(state(), cpuNanos),
        "a CPU time limit needs a hooked state and must not be negative");
  }

  /**
   * Compiles a chunk. {@code nameZ} is a NUL-terminated chunk name.
   *
   * @return the chunk reference
   * @throws dev.cu.LuaSyntaxException when the code does not compile
   * @throws dev.cu.LuaMemoryException when the memory limit is reached
   */
  public int load(byte[] code, byte[] nameZ) {
    int[] ref = new int[1];
    int st = lib.cu_chunk_load(state(), code, code.length, nameZ, ref);
    if (st != CuLib.CU_OK) {
      throw StatusMapper.mapLoad(st, this, nameZ);
    }
    return ref[0];
  }

  /**
   * Runs chunk {@code ref}; returns its result in the form {@code mode} asks for (CBOR).
   *
   * @throws dev.cu.LuaException what {@link StatusMapper#map} makes of a failed run
   */
  public byte[] run(int ref, int mode) {
    upcalls.clearError();
    int st = lib.cu_chunk_run(state(), ref, mode);
    if (st != CuLib.CU_OK) {
      throw StatusMapper.map(st, this);
    }
    return result(mode);
  }

  /**
   * The state's slots, made at the first use; null when native memory ran out (then every
   * value crosses as CBOR).
   */
  public NativeSlots slots() {
    if (slots == null) {
      Pointer p = lib.cu_state_slots(state());
      if (p != null) {
        slots = new NativeSlots(p);
        upcalls.slots = slots;
      }
    }
    return slots;
  }

  /** The payload of a call in {@code mode}, or null when its results are in the slots. */
  byte[] result(int mode) {
    return (mode & RESULT_SLOTS) != 0 && slots.holdsValues() ? null : payload();
  }

  /** Releases chunk {@code ref}; a reference the state does not hold is ignored. */
  public void free(int ref) {
    lib.cu_chunk_free(state(), ref);
  }

  /**
   * A full garbage collection.
   *
   * @throws dev.cu.LuaMemoryException when memory runs out
   */
  public void gc() {
    check(lib.cu_state_gc(state()), "not enough memory");
  }

  /** Thread-safe: stops the run in progress, if any. */
  public boolean interrupt() {
    Pointer s = state;
    return s != null && lib.cu_state_interrupt(s) != 0;
  }

  /** The payload of the last call (result or error), copied out of native memory. */
  byte[] payload() {
    return copy(info.getLong(CuLib.INFO_OUTLEN), CuLib.INFO_OUT);
  }

  /** What print() wrote during the last run, when it was not streamed. */
  public String printed() {
    long n = info.getLong(CuLib.INFO_PRINTLEN);
    return n == 0 ? "" : new String(copy(n, CuLib.INFO_PRINT), StandardCharsets.UTF_8);
  }

  private byte[] copy(long n, int pointerOffset) {
    return n == 0 ? new byte[0] : Upcalls.bytes(info.getPointer(pointerOffset), n);
  }

  public long instructions() {
    return info.getLong(CuLib.INFO_INSTRUCTIONS);
  }

  /** Why the last run stopped ({@code CU_STOP_*}). */
  int stopReason() {
    return info.getInt(CuLib.INFO_REASON);
  }

  public long memoryUsed() {
    return info.getLong(CuLib.INFO_MEM_USED);
  }

  public long memoryLimit() {
    return info.getLong(CuLib.INFO_MEM_LIMIT);
  }

  /** The size of the last request the memory limit refused in the last export, 0 if none. */
  long memoryRefused() {
    return info.getLong(CuLib.INFO_MEM_REFUSED);
  }

  /** The bytes in use when {@link #memoryRefused()} was refused. */
  long memoryRefusedUsed() {
    return info.getLong(CuLib.INFO_MEM_REFUSED_USED);
  }

  public long memoryPeak() {
    return info.getLong(CuLib.INFO_MEM_PEAK);
  }

  /**
   * Streams print() lines to {@code sink}: each line's bytes as Lua produced them, its
   * {@code '\n'} included. A Throwable from the sink ends the run with a Lua error whose
   * cause it becomes. Null collects the lines for {@link #printed()} again.
   */
  public void printTo(Consumer<byte[]> sink) {
    keep(sink);
    CuLib.cu_PrintFn fn = sink == null ? null : upcalls.print(sink);
    lib.cu_state_setprint(state(), fn);
    holder.printFn = fn;
  }

  /** Connects the external-table upcalls; new tables get ids from {@code nextId} on. */
  public void connectStore(Store store, long nextId) {
    keep(store);
    upcalls.connectStore(store);
    lib.cu_ext_setnextid(state(), nextId);
    lib.cu_ext_setstore(state(), Upcalls.LOAD, Upcalls.COMMIT);
  }

  /** Connects require to a module loader. */
  public void connectModules(Modules modules) {
    keep(modules);
    CuLib.cu_ModuleFn fn = upcalls.modules(modules);
    lib.cu_module_setfn(state(), fn);
    holder.moduleFn = fn;
  }

  /**
   * Holds an upcall's target for as long as this unit is reachable: the closures, which the
   * cleaner keeps, reach it only weakly ({@link Upcalls}).
   */
  void keep(Object target) {
    if (target != null) {
      targets.add(target);
    }
  }

  /**
   * Whether host functions and exported objects are called through JNI rather than JNR closures
   * (both keep the same contract; JNI is the faster, where the build and process allow it).
   */
  public boolean jniUpcalls() {
    return upcalls.jni(state());
  }

  /** Connects host functions. */
  public void connectHost(Host host) {
    keep(host);
    upcalls.jniHost(host);
    if (upcalls.jni(state())) {
      return;
    }
    CuLib.cu_HostFn fn = upcalls.host(host);
    lib.cu_host_setfn(state(), fn);
    holder.hostFn = fn;
  }

  /**
   * Makes host function {@code fn} callable at {@code path}.
   *
   * @throws IllegalArgumentException when a part of the path is not a table
   * @throws dev.cu.LuaMemoryException when memory runs out
   */
  public void register(String path, int fn) {
    int st = lib.cu_host_register(state(), z(path), fn);
    if (st != CuLib.CU_OK) {
      throw StatusMapper.failure(
          st,
          "not enough memory to register host function '" + path + "'",
          "cannot register host function '" + path + "': a part of its path is not a table");
    }
  }

  /**
   * Binds a global to external table {@code id} (0 = nil).
   *
   * @throws dev.cu.LuaMemoryException when memory runs out
   */
  public void setRoot(String global, long id) {
    check(lib.cu_ext_setroot(state(), z(global), id), "memory limit too small to bind " + global);
  }

  /**
   * Forgets every external table the VM knows; new tables start at {@code nextId}.
   *
   * @throws dev.cu.LuaMemoryException when memory runs out
   */
  public void resetTables(long nextId) {
    check(lib.cu_ext_reset(state(), nextId), "not enough memory to reload the state");
  }

  /**
   * Tells the VM the store removed the tables of the CBOR id array {@code ids}.
   *
   * @throws dev.cu.LuaMemoryException when memory runs out
   */
  public void detached(byte[] ids) {
    check(
        lib.cu_ext_detached(state(), ids, ids.length),
        "not enough memory to record removed tables");
  }

  /**
   * Calls the function at {@code path} with a CBOR array of arguments (null: they are in the
   * slots, {@link #ARGS_SLOTS}); returns its result in the form {@code mode} asks for (CBOR), or
   * null when it is in the slots.
   *
   * @throws dev.cu.LuaException what {@link StatusMapper#map} makes of a failed call
   */
  public byte[] call(String path, byte[] args, int mode) {
    upcalls.clearError();
    Pointer name = paths.get(path);
    if (name == null) {
      if (paths.size() >= MAX_PATHS) {
        paths.clear();
      }
      name = Upcalls.nativeCopy(lib, z(path), 0);
      paths.put(path, name);
    }
    int st;
    if (args == null) { // in the slots
      st = lib.cu_state_call(state(), name, (Pointer) null, 0, mode);
    } else if (args.length > Upcalls.BUF_MAX) {
      st = lib.cu_state_call(state(), name, args, args.length, mode);
    } else {
      if (argBuf == null) {
        argBuf = Upcalls.nativeCopy(lib, args, Upcalls.BUF_MAX);
      } else {
        Upcalls.put(argBuf, args);
      }
      st = lib.cu_state_call(state(), name, argBuf, args.length, mode);
    }
    if (st != CuLib.CU_OK) {
      throw StatusMapper.map(st, this);
    }
    return result(mode);
  }

  /**
   * Sets {@code _io[key]} (or {@code _io[key][field]}) to the CBOR value {@code data}; null
   * makes it nil.
   *
   * @throws IllegalArgumentException when the bytes are not a value Lua can hold
   * @throws dev.cu.LuaMemoryException when memory runs out
   */
  public void ioSet(String key, String field, byte[] data) {
    byte[] d = data == null ? new byte[0] : data;
    int st = lib.cu_io_set(state(), z(key), field == null ? null : z(field), d, d.length);
    if (st != CuLib.CU_OK) {
      throw StatusMapper.mapInput(st, this, "_io." + key);
    }
  }

  /**
   * {@code _io[key]} (or {@code _io[key][field]}) as CBOR.
   *
   * @throws dev.cu.LuaException what {@link StatusMapper#map} makes of a failure
   */
  public byte[] ioGet(String key, String field) {
    int st = lib.cu_io_get(state(), z(key), field == null ? null : z(field));
    if (st != CuLib.CU_OK) {
      throw StatusMapper.map(st, this);
    }
    return payload();
  }

  /**
   * Empties {@code _io}.
   *
   * @throws dev.cu.LuaMemoryException when memory runs out
   */
  public void ioClear() {
    check(lib.cu_io_clear(state()), "not enough memory");
  }

  /** Throws what {@link StatusMapper#failure} makes of a failed status. */
  private static void check(int status, String message) {
    if (status != CuLib.CU_OK) {
      throw StatusMapper.failure(status, message);
    }
  }

  /** A NUL-terminated UTF-8 copy of {@code s}. */
  private static byte[] z(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(b, b.length + 1);
  }

  /** The Throwable a Java upcall kept during the last run, cleared by this call. */
  Throwable takeUpcallError() {
    return upcalls.takeError();
  }

  @Override
  public void close() {
    state = null;
    cleanable.clean();
  }
}
