package dev.cu;

import dev.cu.internal.NativeUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Lua table held by reference: from {@link ComputeUnit#table} ({@code table("_G")} is the
 * globals, {@code table("_home.users")} an external table). Reads and writes go through the
 * table's metamethods, as Lua code's {@code t[k]} and {@code t[k] = v} do; for {@code _home}
 * tables the external-table rules apply, and an operation that changes one commits like a
 * {@link ComputeUnit#compute} does. Every operation runs under the unit's limits and fails with
 * the exceptions of {@link ComputeUnit#call}. Values come back converted like results (nested
 * tables as copies); passed back into Lua the handle is the same table.
 *
 * <p>Lifecycle and threads as for {@link LuaFunction}: close it when done; after it or its
 * unit closed it throws {@link IllegalStateException}.
 */
public final class LuaTable implements AutoCloseable {
  final Handles.Ref ref;

  LuaTable(Handles owner, int ref, String description) {
    this.ref = new Handles.Ref(owner, ref, this, "LuaTable", description);
  }

  /**
   * {@code t[key]}, through {@code __index}; null for nil.
   *
   * @throws LuaRuntimeException on a Lua error (a metamethod's) or a value that cannot be
   *     converted
   * @throws IllegalArgumentException when the key cannot be converted
   * @throws IllegalStateException when the handle or its unit is closed, or the unit is in use
   *     by another thread
   */
  public Object get(Object key) {
    Handles h = ref.owner;
    return h.run(ref, (hs, r, k, unused, mode) -> hs.index(r, k), key, null, 0);
  }

  /**
   * {@link #get(Object)} bound to {@code type} by the unit's Jackson mapper. Throws what it
   * throws, and {@link IllegalArgumentException} when the value does not bind.
   */
  public <T> T get(Object key, Class<T> type) {
    return ref.owner.mapper.convertValue(get(key), type);
  }

  /**
   * {@code t[key] = value}, through {@code __newindex}; a null value removes the key.
   *
   * @throws LuaRuntimeException on a Lua error, e.g. a nil or NaN key
   * @throws IllegalArgumentException when the key or value cannot be converted
   * @throws IllegalStateException when the handle or its unit is closed, or the unit is in use
   *     by another thread
   */
  public void set(Object key, Object value) {
    Handles h = ref.owner;
    h.run(
        ref,
        (hs, r, k, v, mode) -> {
          hs.assign(r, k, v);
          return null;
        },
        key,
        value,
        0);
  }

  /**
   * The table's length, Lua's {@code #t} ({@code __len} included).
   *
   * @throws LuaRuntimeException on a Lua error, or when {@code __len} gives no integer
   * @throws IllegalStateException when the handle or its unit is closed, or the unit is in use
   *     by another thread
   */
  public long length() {
    Handles h = ref.owner;
    Object n = h.decode(h.run(ref, h.nh::length));
    if (n instanceof Long l) {
      return l;
    }
    throw new LuaRuntimeException("the length of the table is not an integer: " + n, null, n, null);
  }

  /**
   * A copy of the table's content, keys and values converted like results (a table whose keys
   * are 1..n becomes a Map with Long keys too).
   *
   * @throws LuaRuntimeException when the content cannot be converted
   * @throws IllegalStateException when the handle or its unit is closed, or the unit is in use
   *     by another thread
   */
  public Map<Object, Object> toMap() {
    Object v = content();
    if (v instanceof Map<?, ?> m) {
      return new LinkedHashMap<>(m);
    }
    Map<Object, Object> map = new LinkedHashMap<>();
    List<?> list = (List<?>) v;
    for (int i = 0; i < list.size(); i++) {
      map.put((long) i + 1, list.get(i));
    }
    return map;
  }

  /**
   * A copy of the table's sequence, as {@code ipairs} walks it: {@code t[1]}, {@code t[2]}, ...
   * up to the first nil. Throws what {@link #toMap()} throws.
   */
  public List<Object> toList() {
    Object v = content();
    if (v instanceof List<?> l) {
      return new ArrayList<>(l);
    }
    Map<?, ?> m = (Map<?, ?>) v;
    List<Object> list = new ArrayList<>();
    for (long i = 1; m.get(i) != null; i++) {
      list.add(m.get(i));
    }
    return list;
  }

  private Object content() {
    Handles h = ref.owner;
    return h.decode(h.run(ref, r -> h.nh.value(r, LuaFunction.mode(h, NativeUnit.RESULT_LAST))));
  }

  /**
   * Keeps a table passed to an exported method's {@code LuaTable} parameter beyond the call,
   * until it is closed or collected; does nothing for other handles. Returns this handle.
   *
   * @throws IllegalStateException when the handle was already closed or released
   */
  public LuaTable retain() {
    ref.retain();
    return this;
  }

  /** Releases the reference; idempotent, and callable after the unit closed. */
  @Override
  public void close() {
    ref.close();
  }

  /** What Lua's {@code tostring} said of the value when the handle was made. */
  @Override
  public String toString() {
    return ref.toString();
  }
}
