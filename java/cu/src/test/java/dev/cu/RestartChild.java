package dev.cu;

import java.nio.file.Path;

/**
 * Child JVM of {@link NewJvmRestartTest}: {@code write DIR} stores the conformance state and
 * saves it; {@code read DIR} prints one result per line.
 */
public final class RestartChild {
  private RestartChild() {}

  static final String[] READS = {
    "return _home.multiply(6, 7)",
    "return _home.user.address.city",
    "return _home.c.self.self.name",
    "return _home.counter()",
    "_home.inc(); return _home.get()",
    "return _home.obj.f(21)",
    "return _home.p('%d', _home.m(3, 9))",
    "return _home.acc.hi",
  };

  public static void main(String[] args) {
    try (ComputeUnit cu = ComputeUnit.builder().storage(Path.of(args[1])).build()) {
      if (args[0].equals("write")) {
        cu.compute("_home.multiply = function(x, y) return x * y end");
        cu.compute("_home.user = {name = 'Alice', age = 30, address = {city = 'New York'}}");
        cu.compute("local t = {name = 'loop'}; t.self = t; _home.c = t");
        cu.compute("local count = 0; function _home.counter() count = count + 1; return count end");
        cu.compute("_home.counter() _home.counter()");
        cu.compute(
            "local n = 0; _home.inc = function() n = n + 1 return n end; "
                + "_home.get = function() return n end; _home.inc(); _home.inc()");
        cu.compute("_home.obj = {f = function(x) return x * 2 end}");
        cu.compute("_home.p = string.format; _home.m = math.max");
        cu.compute("_home.acc = setmetatable({}, {__index = function(t, k) return k .. '!' end})");
        cu.saveState();
      } else {
        for (String code : READS) {
          System.out.println(cu.compute(code));
        }
      }
    }
  }
}
