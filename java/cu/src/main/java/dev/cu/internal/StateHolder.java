package dev.cu.internal;

import jnr.ffi.Pointer;

/**
 * The lifetime of a {@link NativeUnit}'s native state: frees it exactly once, from close() or
 * from the Cleaner, and until then keeps the upcall closures strongly reachable: native code
 * holds their addresses. Nothing here may reference the NativeUnit, or the Cleaner could never
 * run.
 */
final class StateHolder implements Runnable {
  private final CuLib lib;
  private Pointer state;
  CuLib.cu_PrintFn printFn;
  CuLib.cu_HostFn hostFn;
  CuLib.cu_ModuleFn moduleFn;
  CuLib.cu_ObjectFn objectFn;

  StateHolder(CuLib lib, Pointer state) {
    this.lib = lib;
    this.state = state;
  }

  @Override
  public synchronized void run() {
    if (state != null) {
      Upcalls.disconnectStore(state.address());
      lib.cu_state_close(state);
      state = null;
      printFn = null;
      hostFn = null;
      moduleFn = null;
      objectFn = null;
    }
  }
}
