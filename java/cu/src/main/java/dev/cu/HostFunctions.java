package dev.cu;

import dev.cu.internal.NativeSlots;
import dev.cu.internal.NativeUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The host functions of one unit: the Java side of the {@code cu_HostFn} upcall. Function
 * {@code i} is the {@code i}-th name registered; registering a name again replaces the function
 * in its slot, so every Lua value of that name calls the new one.
 *
 * <p>What a failure shows Lua is decided here ({@link #failure}): the message of a {@link
 * LuaRuntimeException}, thrown on purpose, and for any other Throwable only the function's name;
 * never a Java class, message or stack trace.
 *
 * <p>Not thread-safe: registrations and calls happen inside the unit's calls, which its {@link
 * Guard} serialises.
 */
final class HostFunctions implements NativeUnit.Host {
  private final NativeUnit unit;
  final Handles handles;
  private final List<HostFunction> fns = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final Map<String, Integer> slots = new HashMap<>();
  private boolean connected;

  HostFunctions(NativeUnit unit, Handles handles) {
    this.unit = unit;
    this.handles = handles;
  }

  /**
   * Checks a name given to {@link ComputeUnit.Builder#function} or {@link
   * ComputeUnit#register}; returns it.
   *
   * @throws IllegalArgumentException when it is null, empty, or starts or ends with a dot
   */
  static String checkName(String name) {
    if (name == null || name.isEmpty() || name.startsWith(".") || name.endsWith(".")) {
      throw new IllegalArgumentException("invalid host function name: " + name);
    }
    return name;
  }

  /**
   * Makes {@code fn} callable from Lua as {@code name} (a global, or a dotted path whose missing
   * tables are created), replacing what was there. When it fails, an earlier function of the
   * same name stays.
   *
   * @throws IllegalArgumentException when the name is invalid or a part of its path is not a
   *     table
   * @throws LuaMemoryException when memory runs out
   */
  void register(String name, HostFunction fn) {
    checkName(name);
    Objects.requireNonNull(fn, "fn");
    if (!connected) {
      unit.connectHost(this);
      connected = true;
    }
    Integer slot = slots.get(name);
    int index = slot != null ? slot : fns.size();
    unit.register(name, index);
    if (slot != null) {
      fns.set(index, fn);
    } else {
      fns.add(fn);
      names.add(name);
      slots.put(name, index);
    }
  }

  @Override
  public byte[] call(int fn, byte[] args, NativeSlots slots) throws Exception {
    int mark = handles.enterHost();
    try {
      List<Object> a = args == null ? slots.all() : handles.decodeArgs(args);
      HostFunction f = fns.get(fn);
      Object result =
          f instanceof TypedHost<?> t ? t.call(a, handles.objects.binding()) : f.call(a);
      if (result instanceof Varargs v) {
        Object[] values = v.values();
        return slots != null && slots.put(values) ? IN_SLOTS : handles.encodeArgs(values);
      }
      return slots != null && slots.putOne(result)
          ? IN_SLOTS
          : handles.encodeArgs(new Object[] {result});
    } finally {
      handles.exitHost(mark);
    }
  }

  @Override
  public String failure(int fn, Throwable t) {
    if (t instanceof LuaRuntimeException && t.getMessage() != null) {
      return t.getMessage();
    }
    String name = fn >= 0 && fn < names.size() ? names.get(fn) : "?";
    return "host function '" + name + "' failed";
  }
}
