package dev.cu;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link LuaExport} methods of one class, resolved once per class and JVM (a {@link
 * ClassValue}): their names in a fixed order (a method's index is its position), and per name
 * one method handle and one {@link Params.Binder} per parameter for each arity. A class with two
 * exported methods of one name and arity, or a static one, is refused with the reason, every
 * time it is used.
 */
final class ExportedClass {
  private static final Object NOT_EXPORTED = new Object();

  /** Per class: its ExportedClass, NOT_EXPORTED, or the refusal's message. */
  private static final ClassValue<Object> CACHE =
      new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
          try {
            ExportedClass c = resolve(type);
            return c != null ? c : NOT_EXPORTED;
          } catch (IllegalArgumentException e) {
            return e.getMessage();
          }
        }
      };

  /** How many times each class's methods were resolved, for tests. */
  private static final ClassValue<AtomicInteger> RESOLUTIONS =
      new ClassValue<>() {
        @Override
        protected AtomicInteger computeValue(Class<?> type) {
          return new AtomicInteger();
        }
      };

  /** The type of every invoker: (target, arguments) to result. */
  private static final MethodType INVOKER =
      MethodType.methodType(Object.class, Object.class, Object[].class);

  private final String simpleName;
  private final List<String> names;

  /** Per method index: its overloads by arity (null where none takes that many). */
  private final List<Overload[]> methods;

  private ExportedClass(String simpleName, List<String> names, List<Overload[]> m) {
    this.simpleName = simpleName;
    this.names = names;
    this.methods = m;
  }

  /** One exported method. */
  private record Overload(
      MethodHandle handle, Params.Binder[] binders, boolean none, long tables) {}

  /**
   * The exported methods of {@code type}, or null when it has none.
   *
   * @throws IllegalArgumentException when its exported methods cannot be used from Lua
   */
  static ExportedClass of(Class<?> type) {
    Object v = CACHE.get(type);
    if (v instanceof ExportedClass c) {
      return c;
    }
    if (v instanceof String refusal) {
      throw new IllegalArgumentException(refusal);
    }
    return null;
  }

  /** How many times {@code type}'s methods were resolved (once, when it was first used). */
  static int resolutions(Class<?> type) {
    return RESOLUTIONS.get(type).get();
  }

  /** The class's simple name, as {@code tostring} shows it. */
  String simpleName() {
    return simpleName;
  }

  /** The exported method names; a method's index is its position. */
  List<String> names() {
    return names;
  }

  /**
   * The argument positions (bit i: argument i + 1 after self) where method {@code index} takes a
   * {@link LuaTable}; Lua sends the tables there by reference. Overloads agree on them.
   */
  long tableMask(int index) {
    long mask = 0;
    for (Overload o : methods.get(index)) {
      mask |= o == null ? 0 : o.tables;
    }
    return mask;
  }

  /** The name of method {@code index}, or "?" when there is none. */
  String name(int index) {
    return index >= 0 && index < names.size() ? names.get(index) : "?";
  }

  /**
   * Calls method {@code index} on {@code target} with the Lua arguments {@code args}; returns the
   * values for Lua: none for {@code void}, each of a {@link Varargs}, else the one result.
   *
   * @throws LuaRuntimeException when no overload takes that many arguments or one does not fit
   *     (the message is Lua's)
   * @throws Throwable what the method throws
   */
  Object[] invoke(Object target, int index, List<Object> args, ObjectMapper mapper)
      throws Throwable {
    String name = name(index);
    if (index < 0 || index >= methods.size()) {
      throw new LuaRuntimeException("no method " + index, null, null, null);
    }
    Overload[] byArity = methods.get(index);
    Overload o = args.size() < byArity.length ? byArity[args.size()] : null;
    if (o == null) {
      throw new LuaRuntimeException(arityMessage(name, byArity, args.size()), null, null, null);
    }
    Object[] a = new Object[args.size()];
    for (int i = 0; i < a.length; i++) {
      try {
        a[i] = o.binders[i].bind(args.get(i), mapper);
      } catch (Params.Mismatch e) {
        throw new LuaRuntimeException(
            "bad argument #" + (i + 1) + " to '" + name + "' (" + e.getMessage() + ")",
            null,
            null,
            null);
      }
    }
    Object result = o.handle.invokeExact(target, a);
    if (o.none) {
      return new Object[0];
    }
    return result instanceof Varargs v ? v.values() : new Object[] {result};
  }

  private static String arityMessage(String name, Overload[] byArity, int got) {
    StringBuilder takes = new StringBuilder();
    int count = 0;
    for (int n = 0; n < byArity.length; n++) {
      if (byArity[n] != null) {
        takes.append(count++ == 0 ? "" : " or ").append(n);
      }
    }
    return "method '"
        + name
        + "' takes "
        + takes
        + (count == 1 && byArity.length == 2 && byArity[1] != null ? " argument" : " arguments")
        + ", got "
        + got;
  }

  /** Finds the exported methods of {@code type}; null when there are none. */
  private static ExportedClass resolve(Class<?> type) {
    RESOLUTIONS.get(type).incrementAndGet();
    Map<String, Method> bySignature = new LinkedHashMap<>();
    List<Class<?>> interfaces = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      collect(c.getDeclaredMethods(), bySignature);
      interfaces.addAll(Arrays.asList(c.getInterfaces()));
    }
    for (int i = 0; i < interfaces.size(); i++) { // breadth first: nearer ones win
      collect(interfaces.get(i).getDeclaredMethods(), bySignature);
      interfaces.addAll(Arrays.asList(interfaces.get(i).getInterfaces()));
    }
    if (bySignature.isEmpty()) {
      return null;
    }
    Map<String, Map<Integer, Overload>> byName = new TreeMap<>();
    for (Method m : bySignature.values()) {
      if (Modifier.isStatic(m.getModifiers())) {
        throw new IllegalArgumentException(
            "@LuaExport method " + type.getName() + "." + m.getName() + " must not be static");
      }
      Map<Integer, Overload> byArity = byName.computeIfAbsent(m.getName(), k -> new TreeMap<>());
      int arity = m.getParameterCount();
      if (byArity.containsKey(arity)) {
        throw new IllegalArgumentException(
            "class "
                + type.getName()
                + " exports two methods '"
                + m.getName()
                + "' with "
                + arity
                + " parameters: overloads must differ in their number of parameters");
      }
      Overload o = overload(type, m);
      for (Overload other : byArity.values()) {
        long shared = (1L << Math.min(Math.min(arity, other.binders.length), 63)) - 1;
        if ((o.tables & shared) != (other.tables & shared)) {
          throw new IllegalArgumentException(
              "class "
                  + type.getName()
                  + " exports overloads of '"
                  + m.getName()
                  + "' that differ in which parameters are LuaTable");
        }
      }
      byArity.put(arity, o);
    }
    List<String> names = List.copyOf(byName.keySet());
    List<Overload[]> methods = new ArrayList<>();
    for (Map<Integer, Overload> byArity : byName.values()) {
      Overload[] a = new Overload[((TreeMap<Integer, Overload>) byArity).lastKey() + 1];
      byArity.forEach((n, o) -> a[n] = o);
      methods.add(a);
    }
    String simple = type.getSimpleName();
    return new ExportedClass(simple.isEmpty() ? "Java object" : simple, names, methods);
  }

  private static void collect(Method[] methods, Map<String, Method> bySignature) {
    for (Method m : methods) {
      if (!m.isBridge() && !m.isSynthetic() && m.isAnnotationPresent(LuaExport.class)) {
        bySignature.putIfAbsent(
            m.getName() + Arrays.toString(m.getParameterTypes()), m); // the most derived first
      }
    }
  }

  private static Overload overload(Class<?> type, Method m) {
    MethodHandle h;
    try {
      m.setAccessible(true);
      h = MethodHandles.lookup().unreflect(m);
    } catch (IllegalAccessException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot access @LuaExport method " + type.getName() + "." + m.getName(), e);
    }
    int n = m.getParameterCount();
    h = h.asSpreader(Object[].class, n).asType(INVOKER);
    Params.Binder[] binders = new Params.Binder[n];
    for (int i = 0; i < n; i++) {
      binders[i] = Params.binder(m.getGenericParameterTypes()[i]);
    }
    long tables = 0;
    for (int i = 0; i < n; i++) {
      if (m.getParameterTypes()[i] == LuaTable.class) {
        if (i >= 63) {
          throw new IllegalArgumentException(
              "@LuaExport method "
                  + type.getName()
                  + "."
                  + m.getName()
                  + " takes a LuaTable after its 63rd parameter");
        }
        tables |= 1L << i;
      }
    }
    return new Overload(h, binders, m.getReturnType() == void.class, tables);
  }
}
