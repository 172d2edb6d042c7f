package dev.cu.internal;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;

/**
 * The C ABI of libcu ({@code native/include/cu.h}), mirrored name for name so one grep finds
 * both sides. None of these functions raises a Lua error; they return status codes that
 * {@link StatusMapper} turns into exceptions.
 */
public interface CuLib {
  int CU_OK = 0;
  int CU_ERRRUN = 2;
  int CU_ERRSYNTAX = 3;
  int CU_ERRMEM = 4;
  int CU_ERRERR = 5;
  int CU_ERRSTOP = 10;
  int CU_ERRUPCALL = 11;
  int CU_ERRVALUE = 12;
  int CU_ERRARG = 13;

  int CU_STOP_NONE = 0;
  int CU_STOP_TIME = 1;
  int CU_STOP_INSTRUCTIONS = 2;
  int CU_STOP_INTERRUPT = 3;
  int CU_STOP_CPU = 4;

  int CU_RESULT_LAST = 0;
  int CU_RESULT_ALL = 1;

  /** Or-ed with a result mode: a table in the result may contain itself. */
  int CU_RESULT_CYCLES = 2;

  /** Mode flag: the arguments are in the state's slots ({@link NativeSlots}). */
  int CU_ARGS_SLOTS = 32;

  /** Mode flag: results that are all scalars go to the slots, others to the payload. */
  int CU_RESULT_SLOTS = 64;

  /** A host function's return: its results are in the slots. */
  int CU_HOST_SLOTS = 2;

  int CU_SLOTS_MAX = 16;
  int CU_SLOTS_TEXT = 496;

  /** The slots' count when the values crossed as CBOR. */
  int CU_SLOTS_CBOR = -1;

  int CU_SLOT_NIL = 0;
  int CU_SLOT_FALSE = 1;
  int CU_SLOT_TRUE = 2;
  int CU_SLOT_INT = 3;
  int CU_SLOT_FLOAT = 4;
  int CU_SLOT_TEXT = 5;
  int CU_SLOT_BYTES = 6;

  /** Offsets in {@code cu_Info}. */
  int INFO_OUT = 0;

  int INFO_OUTLEN = 8;
  int INFO_PRINT = 16;
  int INFO_PRINTLEN = 24;
  int INFO_MEM_USED = 32;
  int INFO_MEM_LIMIT = 40;
  int INFO_MEM_PEAK = 48;
  int INFO_INSTRUCTIONS = 56;
  int INFO_REASON = 64;
  int INFO_EXT_NEXTID = 72;
  int INFO_MEM_REFUSED = 80;
  int INFO_MEM_REFUSED_USED = 88;

  /** {@code cu_PrintFn}: one printed line; returns non-zero when Java failed. */
  interface cu_PrintFn {
    @Delegate
    int call(Pointer data, @size_t long len);
  }

  /** {@code cu_LoadFn}: replies with the entries of state S's table as a CBOR map. */
  interface cu_LoadFn {
    @Delegate
    int call(Pointer S, long id);
  }

  /** {@code cu_CommitFn}: one run's changes in state S, a CBOR array of [id, key, value]. */
  interface cu_CommitFn {
    @Delegate
    int call(Pointer S, Pointer delta, @size_t long len);
  }

  /** {@code cu_HostFn}: a host-function call with a CBOR array of arguments. */
  interface cu_HostFn {
    @Delegate
    int call(int fn, Pointer args, @size_t long len);
  }

  /** {@code cu_ObjectFn}: a method call on an exported object, or a class description. */
  interface cu_ObjectFn {
    @Delegate
    int call(int op, long id, int cls, int method, Pointer args, @size_t long len);
  }

  int CU_OBJECT_CALL = 0;
  int CU_OBJECT_DESCRIBE = 1;

  /** {@code cu_ModuleFn}: require asks for a module's source by name. */
  interface cu_ModuleFn {
    @Delegate
    int call(Pointer name, @size_t long len);
  }

  int CU_MODULE_FOUND = 0;
  int CU_MODULE_FAILED = 1;
  int CU_MODULE_MISSING = 2;

  @IgnoreError
  Pointer cu_state_new(long memlimit);

  @IgnoreError
  int cu_state_open(Pointer S, long seed, int hooked);

  @IgnoreError
  void cu_state_close(Pointer S);

  @IgnoreError
  Pointer cu_state_info(Pointer S);

  @IgnoreError
  Pointer cu_state_slots(Pointer S);

  @IgnoreError
  int cu_state_limit(Pointer S, long timeoutNs, long instructions);

  int cu_state_cpulimit(Pointer S, long cpuNs);

  @IgnoreError
  int cu_state_interrupt(Pointer S);

  @IgnoreError
  void cu_state_setprint(Pointer S, cu_PrintFn fn);

  @IgnoreError
  int cu_state_gc(Pointer S);

  @IgnoreError
  int cu_chunk_load(Pointer S, @In byte[] code, @size_t long len, @In byte[] name, @Out int[] ref);

  @IgnoreError
  int cu_chunk_run(Pointer S, int ref, int mode);

  @IgnoreError
  int cu_chunk_free(Pointer S, int ref);

  /** Path and arguments in native memory the caller owns: no array copies. */
  @IgnoreError
  int cu_state_call(Pointer S, Pointer path, Pointer args, @size_t long len, int mode);

  @IgnoreError
  int cu_state_call(Pointer S, Pointer path, @In byte[] args, @size_t long len, int mode);

  int CU_HANDLE_FUNCTION = 0;
  int CU_HANDLE_TABLE = 1;

  @IgnoreError
  int cu_handle_load(Pointer S, @In byte[] code, @size_t long len, @In byte[] name, @Out int[] ref);

  @IgnoreError
  int cu_handle_path(Pointer S, @In byte[] path, int kind);

  @IgnoreError
  int cu_handle_call(Pointer S, int ref, @In byte[] args, @size_t long len, int mode);

  @IgnoreError
  int cu_handle_get(Pointer S, int ref, @In byte[] key, @size_t long len, int mode);

  @IgnoreError
  int cu_handle_set(Pointer S, int ref, @In byte[] kv, @size_t long len, int mode);

  @IgnoreError
  int cu_handle_len(Pointer S, int ref);

  @IgnoreError
  int cu_handle_value(Pointer S, int ref, int mode);

  @IgnoreError
  int cu_handle_thread(Pointer S, int ref);

  @IgnoreError
  int cu_handle_resume(Pointer S, int ref, @In byte[] args, @size_t long len, int mode);

  @IgnoreError
  int cu_handle_close(Pointer S, int ref);

  @IgnoreError
  int cu_handle_status(Pointer S, int ref, @Out int[] status);

  @IgnoreError
  int cu_handle_free(Pointer S, int ref);

  @IgnoreError
  long cu_handle_count(Pointer S);

  /** The reply in native memory the caller owns: no array copy. */
  @IgnoreError
  int cu_upcall_reply(Pointer S, Pointer data, @size_t long len);

  @IgnoreError
  int cu_upcall_reply(Pointer S, @In byte[] data, @size_t long len);

  @IgnoreError
  void cu_ext_setstore(Pointer S, cu_LoadFn load, cu_CommitFn commit);

  @IgnoreError
  void cu_ext_setnextid(Pointer S, long id);

  @IgnoreError
  int cu_ext_setroot(Pointer S, @In byte[] global, long id);

  @IgnoreError
  int cu_ext_reset(Pointer S, long nextId);

  @IgnoreError
  int cu_ext_detached(Pointer S, @In byte[] ids, @size_t long len);

  @IgnoreError
  int cu_io_set(Pointer S, @In byte[] key, @In byte[] field, @In byte[] data, @size_t long len);

  @IgnoreError
  int cu_io_get(Pointer S, @In byte[] key, @In byte[] field);

  @IgnoreError
  int cu_io_clear(Pointer S);

  @IgnoreError
  void cu_host_setfn(Pointer S, cu_HostFn fn);

  @IgnoreError
  int cu_jni_bind(Pointer S, long token);

  @IgnoreError
  int cu_host_register(Pointer S, @In byte[] path, int fn);

  @IgnoreError
  void cu_module_setfn(Pointer S, cu_ModuleFn fn);

  @IgnoreError
  void cu_object_setfn(Pointer S, cu_ObjectFn fn);

  @IgnoreError
  int cu_object_setglobal(Pointer S, @In byte[] name, @In byte[] data, @size_t long len);

  @IgnoreError
  int cu_object_drain(Pointer S);
}
