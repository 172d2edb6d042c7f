package dev.cu.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The handle exports of one {@link NativeUnit} ({@code cu_handle_*}): Lua functions, tables and
 * coroutines held by reference. References are ints the shim checks before use; a reference that
 * is not live is a misuse and throws {@link IllegalStateException}. Every failed run throws what
 * {@link StatusMapper} makes of it, exactly as for {@link NativeUnit#call}. Not thread-safe, like
 * the unit.
 */
public final class NativeHandles {
  /** Kinds of {@link #path}. */
  public static final int FUNCTION = CuLib.CU_HANDLE_FUNCTION;

  public static final int TABLE = CuLib.CU_HANDLE_TABLE;

  private static final String[] STATUS = {"suspended", "running", "normal", "dead"};

  private final NativeUnit unit;
  private final CuLib lib;

  public NativeHandles(NativeUnit unit) {
    this.unit = unit;
    this.lib = unit.lib;
  }

  /**
   * Compiles a chunk; returns the reference of its function.
   *
   * @throws dev.cu.LuaSyntaxException when the code does not compile
   * @throws dev.cu.LuaMemoryException when the memory limit is reached
   */
  public int load(byte[] code, String chunkName) {
    byte[] nameZ = z(chunkName);
    int[] ref = new int[1];
    int st = lib.cu_handle_load(unit.state(), code, code.length, nameZ, ref);
    if (st != CuLib.CU_OK) {
      throw StatusMapper.mapLoad(st, unit, nameZ);
    }
    return ref[0];
  }

  /** The function or table at {@code path} ({@code kind}): a payload holding its handle. */
  public byte[] path(String path, int kind) {
    return done(lib.cu_handle_path(begin(), z(path), kind));
  }

  /** Calls function {@code ref} with a CBOR array of arguments (null: none). */
  public byte[] call(int ref, byte[] args, int mode) {
    return done(lib.cu_handle_call(begin(), ref, args, args == null ? 0 : args.length, mode), mode);
  }

  /**
   * Table {@code ref} indexed by the CBOR item {@code key} (null: the one value in the slots,
   * {@link NativeUnit#ARGS_SLOTS}), through {@code __index}.
   */
  public byte[] get(int ref, byte[] key, int mode) {
    return done(lib.cu_handle_get(begin(), ref, key, key == null ? 0 : key.length, mode), mode);
  }

  /**
   * Table {@code ref}: {@code t[key] = value} from the CBOR array {@code [key, value]} (null:
   * the two values in the slots, {@code mode} {@link NativeUnit#ARGS_SLOTS}).
   */
  public void set(int ref, byte[] kv, int mode) {
    check(lib.cu_handle_set(begin(), ref, kv, kv == null ? 0 : kv.length, mode));
  }

  /** The unit's slots ({@link NativeUnit#slots()}). */
  public NativeSlots slots() {
    return unit.slots();
  }

  /** The length of table {@code ref} (the {@code #} operator) as a payload. */
  public byte[] length(int ref) {
    return done(lib.cu_handle_len(begin(), ref));
  }

  /** The content of table {@code ref}, converted like a result. */
  public byte[] value(int ref, int mode) {
    return done(lib.cu_handle_value(begin(), ref, mode));
  }

  /** A new coroutine running function {@code ref}: a payload holding its handle. */
  public byte[] thread(int ref) {
    return done(lib.cu_handle_thread(begin(), ref));
  }

  /** Resumes coroutine {@code ref}: the array of what it yielded or returned. */
  public byte[] resume(int ref, byte[] args, int mode) {
    return done(lib.cu_handle_resume(begin(), ref, args, args == null ? 0 : args.length, mode));
  }

  /** Closes coroutine {@code ref} as {@code coroutine.close} does (its to-be-closed variables run). */
  public void close(int ref) {
    done(lib.cu_handle_close(begin(), ref));
  }

  /** Lua's status name of coroutine {@code ref}. */
  public String status(int ref) {
    int[] status = new int[1];
    check(lib.cu_handle_status(unit.state(), ref, status));
    return STATUS[status[0]];
  }

  /** Releases {@code ref}; false when it was not live. */
  public boolean free(int ref) {
    return lib.cu_handle_free(unit.state(), ref) == CuLib.CU_OK;
  }

  /** How many references the state holds. */
  public long count() {
    return lib.cu_handle_count(unit.state());
  }

  private jnr.ffi.Pointer begin() {
    jnr.ffi.Pointer s = unit.state();
    unit.upcalls.clearError();
    return s;
  }

  private byte[] done(int status) {
    return done(status, 0);
  }

  /** The payload of a call in {@code mode}, or null when its results are in the slots. */
  private byte[] done(int status, int mode) {
    check(status);
    return unit.result(mode);
  }

  private void check(int status) {
    if (status == CuLib.CU_ERRARG) {
      throw new IllegalStateException("cu: invalid handle reference");
    }
    if (status != CuLib.CU_OK) {
      throw StatusMapper.map(status, unit);
    }
  }

  private static byte[] z(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(b, b.length + 1);
  }
}
