package dev.cu.script;

import dev.cu.LuaFunction;
import dev.cu.LuaTable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Objects;

/** Java interfaces implemented by Lua functions (Invocable.getInterface). */
final class LuaInterface {
  private static final Map<Class<?>, Class<?>> BOXES =
      Map.of(
          boolean.class, Boolean.class,
          byte.class, Byte.class,
          short.class, Short.class,
          char.class, Character.class,
          int.class, Integer.class,
          long.class, Long.class,
          float.class, Float.class,
          double.class, Double.class);

  private LuaInterface() {}

  /** The proxy, or null when a method of {@code type} has no Lua function of its name. */
  static <T> T of(CuScriptEngine engine, LuaTable self, Class<T> type) {
    Objects.requireNonNull(type, "type");
    if (!type.isInterface()) {
      throw new IllegalArgumentException(type.getName() + " is not an interface");
    }
    for (Method m : type.getMethods()) {
      if (isLuaMethod(m) && !exists(engine, self, m.getName())) {
        return null;
      }
    }
    InvocationHandler handler =
        (proxy, m, args) -> {
          if (m.getDeclaringClass() == Object.class) {
            return switch (m.getName()) {
              case "equals" -> proxy == args[0];
              case "hashCode" -> System.identityHashCode(proxy);
              default -> type.getSimpleName() + " implemented by Lua";
            };
          }
          if (m.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, m, args);
          }
          Class<?> ret = m.getReturnType();
          Class<?> bind = ret == void.class ? null : BOXES.getOrDefault(ret, ret);
          return engine.runUnchecked(
              engine.getContext(), u -> Calls.invoke(u, self, m.getName(), args, bind));
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static boolean isLuaMethod(Method m) {
    return Modifier.isAbstract(m.getModifiers()) && !Modifier.isStatic(m.getModifiers());
  }

  private static boolean exists(CuScriptEngine engine, LuaTable self, String name) {
    try {
      return engine.runUnchecked(engine.getContext(), u -> lookup(u, self, name));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean lookup(dev.cu.ComputeUnit u, LuaTable self, String name) {
    Object found;
    if (self == null) {
      try (LuaTable g = u.table("_G")) {
        found = g.get(name);
      }
    } else {
      found = self.get(name);
    }
    if (found instanceof LuaFunction f) {
      f.close();
      return true;
    }
    return false;
  }
}
