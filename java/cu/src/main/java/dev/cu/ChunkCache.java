package dev.cu;

import dev.cu.internal.NativeUnit;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiled chunks of one unit, keyed by (chunk name, source text or bytes), least recently used
 * evicted. The compiled functions live in the Lua registry; an evicted entry frees its
 * reference. A hit costs one hash lookup of strings whose hashes Java caches.
 */
final class ChunkCache {
  /** {@code code} is a String or a ByteBuffer over a private copy of the source bytes. */
  private record Key(String name, Object code) {}

  private final NativeUnit unit;
  private final Map<Key, Integer> refs;

  ChunkCache(NativeUnit unit, int capacity) {
    this.unit = unit;
    this.refs =
        new LinkedHashMap<>(16, 0.75f, true) {
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
    return ref(new Key(name, code), name, code);
  }

  /** Like {@link #ref(String, String)} for source bytes, passed to Lua unchanged. */
  int ref(String name, byte[] code) {
    return ref(new Key(name, ByteBuffer.wrap(code)), name, code);
  }

  private int ref(Key key, String name, Object code) {
    Integer ref = refs.get(key);
    if (ref != null) {
      return ref;
    }
    String luaName = name.startsWith("=") || name.startsWith("@") ? name : "=" + name;
    byte[] nameZ = (luaName + "\0").getBytes(StandardCharsets.UTF_8);
    byte[] bytes;
    if (code instanceof String s) {
      bytes = s.getBytes(StandardCharsets.UTF_8);
    } else {
      bytes = ((byte[]) code).clone(); // the key keeps this copy: the caller may change theirs
      key = new Key(name, ByteBuffer.wrap(bytes));
    }
    int r = unit.load(bytes, nameZ);
    refs.put(key, r);
    return r;
  }
}
