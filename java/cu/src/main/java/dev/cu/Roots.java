package dev.cu;

import dev.cu.internal.NativeUnit;

/**
 * The globals bound to the unit's external root tables: {@code _home} and its alias {@code
 * Memory}, each when enabled. They are bound when the unit is built and again after the VM
 * forgot its tables (loading a state).
 *
 * @param homeId the id of {@code _home} in the unit's store
 * @param home whether the global {@code _home} exists
 * @param memoryAlias whether {@code Memory} names the same table
 */
record Roots(long homeId, boolean home, boolean memoryAlias) {
  /**
   * Binds the globals in {@code unit}.
   *
   * @throws LuaMemoryException when the memory limit is too small to bind them
   */
  void bind(NativeUnit unit) {
    if (home) {
      unit.setRoot("_home", homeId);
      if (memoryAlias) {
        unit.setRoot("Memory", homeId);
      }
    }
  }
}
