package dev.cu.script;

import dev.cu.ComputeUnit;
import dev.cu.LuaFunction;
import dev.cu.LuaTable;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.script.Bindings;

/**
 * The engine scope of a {@link CuScriptEngine}: the unit's Lua globals. Until the unit exists
 * (the first script), entries wait here and become globals then; the engine's settings ({@code
 * cu.*}) stay engine attributes and never become globals.
 */
final class GlobalBindings extends AbstractMap<String, Object> implements Bindings {
  /** Lists the string keys of the globals, whatever the scripts did to next or type. */
  private static final String KEYS =
      "local next, type, G = next, type, _ENV "
          + "return function() local t, n = {}, 0 "
          + "for k in next, G do if type(k) == 'string' then n = n + 1 t[n] = k end end "
          + "return t end";

  private final CuScriptEngine engine;
  private final Map<String, Object> staged = new LinkedHashMap<>();
  private LuaTable globals;
  private LuaFunction keys;

  GlobalBindings(CuScriptEngine engine) {
    this.engine = engine;
  }

  /** Makes the unit's globals the store, moving the staged entries there. */
  void attach(ComputeUnit unit) {
    globals = unit.table("_G");
    try (LuaFunction loader = unit.load("=bindings", KEYS)) {
      keys = (LuaFunction) loader.call();
    }
    staged.forEach(
        (k, v) -> {
          if (!CuScriptEngine.isSetting(k)) {
            globals.set(k, v);
          }
        });
    staged.keySet().removeIf(k -> !CuScriptEngine.isSetting(k));
  }

  @Override
  public Object put(String name, Object value) {
    check(name);
    return locked(
        () -> {
          if (globals == null || CuScriptEngine.isSetting(name)) {
            return staged.put(name, value);
          }
          Object old = globals.get(name);
          globals.set(name, value);
          return old;
        });
  }

  @Override
  public Object get(Object key) {
    String name = check(key);
    return locked(
        () ->
            globals == null || CuScriptEngine.isSetting(name)
                ? staged.get(name)
                : globals.get(name));
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public Object remove(Object key) {
    String name = check(key);
    return locked(
        () -> {
          if (globals == null || CuScriptEngine.isSetting(name)) {
            return staged.remove(name);
          }
          Object old = globals.get(name);
          globals.set(name, null);
          return old;
        });
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    List<String> names = names();
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, Object>> iterator() {
        Iterator<String> it = names.iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Map.Entry<String, Object> next() {
            String k = it.next();
            // the value is read when asked for: keySet() converts no value
            return new Map.Entry<>() {
              @Override
              public String getKey() {
                return k;
              }

              @Override
              public Object getValue() {
                return get(k);
              }

              @Override
              public Object setValue(Object value) {
                return put(k, value);
              }
            };
          }
        };
      }

      @Override
      public int size() {
        return names.size();
      }
    };
  }

  private List<String> names() {
    return locked(
        () -> {
          if (globals == null) {
            return List.copyOf(staged.keySet());
          }
          List<String> found = new ArrayList<>(staged.keySet()); // the settings
          if (keys.call() instanceof List<?> names) { // an empty table is not a List
            names.forEach(n -> found.add((String) n));
          }
          return found;
        });
  }

  private <T> T locked(java.util.function.Supplier<T> read) {
    return engine.withLock(read);
  }

  private static String check(Object key) {
    if (key == null) {
      throw new NullPointerException("key is null");
    }
    if (!(key instanceof String s)) {
      throw new ClassCastException("key is not a String");
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("key is empty");
    }
    return s;
  }
}
