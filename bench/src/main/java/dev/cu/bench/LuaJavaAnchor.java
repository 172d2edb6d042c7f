package dev.cu.bench;

import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua54.Lua54;

/**
 * The LuaJava anchor: reference C Lua 5.4 through JNI (LuaJava 4.0.2). These helpers are the
 * plain stack-API code an application would write; LuaJava has no chunk cache, so {@link #eval}
 * compiles its source every time, while {@link #compile} keeps a chunk in the registry. Lua
 * errors surface as LuaJava's unchecked {@code LuaException}.
 */
final class LuaJavaAnchor {
  private LuaJavaAnchor() {}

  /** A new state with the standard libraries. */
  static Lua open() {
    Lua lua = new Lua54();
    lua.openLibraries();
    return lua;
  }

  /** Compiles and runs {@code code}, returning its integer result. */
  static long eval(Lua lua, String code) {
    lua.load(code);
    return result(lua);
  }

  /** Compiles {@code code} once; the reference runs it with {@link #run}. */
  static int compile(Lua lua, String code) {
    lua.load(code);
    return lua.ref();
  }

  /** Runs a chunk compiled by {@link #compile}, returning its integer result (0 for none). */
  static long run(Lua lua, int ref) {
    lua.refGet(ref);
    return result(lua);
  }

  private static long result(Lua lua) {
    lua.pCall(0, 1);
    long r = lua.toInteger(-1);
    lua.pop(1);
    return r;
  }
}
