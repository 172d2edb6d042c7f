package dev.cu;

import dev.cu.internal.NativeUnit;
import dev.cu.internal.StatusMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiled chunks of one unit, keyed by (chunk name, source text), least recently used
 * evicted. The compiled functions live in the Lua registry; an evicted entry frees its
 * reference. A hit costs one hash lookup of strings whose hashes Java caches.
 */
final class ChunkCache {
  private record Key(String name, String code) {}

  private final NativeUnit unit;
  private final Map<Key, Integer> refs;

  ChunkCache(NativeUnit unit, int capacity) {
    this.unit = unit;
    this.refs = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Integer> eldest) {
        if (size() > capacity) {
          unit.free(eldest.getValue());
          return true;
        }
        return false;
      }
    };
  }

  /**
   * The chunk reference for (name, code), compiling it on a miss. Names follow Lua: "=x" and
   * "@file" as given, anything else gets "=".
   *
   * @throws LuaSyntaxException when the code does not compile (nothing is cached then)
   */
  int ref(String name, String code) {
    Key key = new Key(name, code);
    Integer ref = refs.get(key);
    if (ref != null) {
      return ref;
    }
    String luaName = name.startsWith("=") || name.startsWith("@") ? name : "=" + name;
    byte[] nameZ = (luaName + "\0").getBytes(StandardCharsets.UTF_8);
    int r = unit.load(code.getBytes(StandardCharsets.UTF_8), nameZ);
    if (r <= 0) {
      throw StatusMapper.map(-r, unit);
    }
    refs.put(key, r);
    return r;
  }
}
