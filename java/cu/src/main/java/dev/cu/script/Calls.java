package dev.cu.script;

import dev.cu.ComputeUnit;
import dev.cu.LuaException;
import dev.cu.LuaFunction;
import dev.cu.LuaTable;
import javax.script.ScriptException;

/** Calls of Lua functions by name, and the mapping of Lua errors to {@link ScriptException}. */
final class Calls {
  private Calls() {}

  /**
   * Calls the function {@code name}: a global when {@code self} is null, else {@code
   * self[name]} with {@code self} as its first argument. With a {@code type}, the last value is
   * bound to it through Jackson; without, it is returned converted like a result of compute.
   */
  static Object invoke(ComputeUnit unit, LuaTable self, String name, Object[] args, Class<?> type)
      throws NoSuchMethodException {
    Object found = self == null ? globalFunction(unit, name) : self.get(name);
    if (!(found instanceof LuaFunction f)) {
      throw new NoSuchMethodException(
          (self == null ? "no global function '" : "no method '") + name + "'");
    }
    try (f) {
      Object[] all = args == null ? new Object[0] : args;
      if (self != null) {
        Object[] withSelf = new Object[all.length + 1];
        withSelf[0] = self;
        System.arraycopy(all, 0, withSelf, 1, all.length);
        all = withSelf;
      }
      return type == null ? f.call(all) : f.call(type, all);
    }
  }

  private static Object globalFunction(ComputeUnit unit, String name) {
    try (LuaTable g = unit.table("_G")) {
      return g.get(name);
    }
  }

  /** A {@link ScriptException} that says where the script failed, caused by {@code e}. */
  static ScriptException scriptException(LuaException e) {
    ScriptException se =
        e.chunk() == null
            ? new ScriptException(e.getMessage())
            : new ScriptException(e.getMessage(), e.chunk(), e.line());
    se.initCause(e);
    return se;
  }
}
