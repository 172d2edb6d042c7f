package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The usage example of README.md: the code between the tutorial markers is pasted there. */
class TutorialTest {

  @Test
  void tutorial() {
    // tutorial:begin
    // A compute unit is a sandboxed Lua state; close it when done.
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .memoryLimit(64L << 20) // bytes the Lua heap may use
            .timeLimit(Duration.ofSeconds(1)) // wall-clock time per call
            .build()) {

      // compute() runs a chunk and returns its last value, converted to Java.
      Object four = cu.compute("return 2 + 2");
      assertThat(four).isEqualTo(4L); // Lua integers come back as Long

      // Globals persist between calls on the same unit.
      cu.compute("function greet(name) return 'Hello, ' .. name end");
      assertThat(cu.compute("return greet('World')")).isEqualTo("Hello, World");

      // execute() also reports what print() wrote.
      ComputeResult r = cu.execute("print('working...') return 6 * 7");
      assertThat(r.output()).isEqualTo("working...\n");
      assertThat(r.value()).isEqualTo(42L);

      // Lua errors become exceptions; the unit stays usable afterwards.
      try {
        cu.compute("error('something went wrong')");
        fail("expected a LuaRuntimeException");
      } catch (LuaRuntimeException e) {
        assertThat(e.getMessage()).isEqualTo("compute:1: something went wrong");
      }
      assertThat(cu.compute("return greet('again')")).isEqualTo("Hello, again");
    }
    // tutorial:end
  }

  @Test
  void modules() {
    // modules:begin
    // require() finds Lua source through the unit's ModuleLoader: here first a map, then the
    // resources under "lua/" on the class path (lua/util/str.lua for "util.str").
    ModuleLoader modules =
        ModuleLoader.of(Map.of("greeting", "return { text = 'Hello' }"))
            .orElse(ModuleLoader.classpath("lua"));
    try (ComputeUnit cu = ComputeUnit.builder().modules(modules).build()) {
      assertThat(cu.compute("return require('greeting').text")).isEqualTo("Hello");

      // A module runs once per unit; require returns the cached value afterwards.
      assertThat(cu.compute("return require('greeting') == require('greeting')")).isEqualTo(true);

      // A missing module is a Lua error listing the places tried.
      try {
        cu.compute("require('nope')");
        fail("expected a LuaRuntimeException");
      } catch (LuaRuntimeException e) {
        assertThat(e.getMessage())
            .contains("module 'nope' not found")
            .contains("no resource 'lua/nope.lua' on the class path");
      }
    }
    // modules:end
  }

  @Test
  void bigint() {
    // bigint:begin
    try (ComputeUnit cu = ComputeUnit.create()) {
      java.util.List<Object> v =
          cu.execute(
                  """
                  local bigint = require('bigint')
                  local wei = bigint.new('1000000000000000000')   -- 1 ether in wei
                  local total = wei * 3 + bigint.new('0xff', 16)  -- mixes with Lua integers
                  return tostring(total), total:tostring(16), tostring(bigint.new(2) ^ 256 - 1)
                  """)
              .values();
      assertThat(v)
          .containsExactly(
              "3000000000000000255",
              "29a2241af62c00ff",
              "115792089237316195423570985008687907853269984665640564039457584007913129639935");
    }
    // bigint:end
  }

  /** Exported to Lua in {@link #exposedObjects}. */
  public static final class Inventory {
    private final Map<String, Long> stock = new java.util.HashMap<>(Map.of("apple", 3L));

    @LuaExport
    public long count(String item) {
      return stock.getOrDefault(item, 0L);
    }

    @LuaExport
    public void add(String item, long n) {
      stock.merge(item, n, Long::sum);
    }

    public void clear() { // not exported: Lua cannot see it
      stock.clear();
    }
  }

  @Test
  void handles() {
    // handles:begin
    try (ComputeUnit cu = ComputeUnit.create()) {
      // Compile once, call many times: a LuaFunction holds the Lua function itself.
      LuaFunction score = cu.load("local order = ... return order.qty * order.price");
      assertThat(score.call(Map.of("qty", 3L, "price", 5L))).isEqualTo(15L);

      // Functions and tables by name (globals or dotted paths).
      cu.compute("rules = { limit = 10 } function rules.check(n) return n <= rules.limit end");
      LuaFunction check = cu.function("rules.check");
      LuaTable rules = cu.table("rules");
      assertThat(check.call(12L)).isEqualTo(false);
      rules.set("limit", 20L); // changes the Lua table, not a copy
      assertThat(check.call(12L)).isEqualTo(true);

      // Every value of a call, and coroutines resumed from Java.
      assertThat(cu.load("return 1, 'two', 3.0").callAll()).containsExactly(1L, "two", 3.0);
      LuaFunction counter =
          (LuaFunction)
              cu.load("return function() for i = 1, 3 do coroutine.yield(i) end end").call();
      LuaCoroutine gen = counter.coroutine();
      assertThat(gen.resume()).containsExactly(1L);
      assertThat(gen.resume()).containsExactly(2L);

      // A Lua function given to a host function is a LuaFunction during the call.
      cu.register(
          "each",
          args -> {
            LuaFunction fn = (LuaFunction) args.get(1);
            for (Object x : (java.util.List<?>) args.get(0)) {
              fn.call(x);
            }
            return null;
          });
      cu.compute("sum = 0 each({1, 2, 3}, function(x) sum = sum + x end)");
      assertThat(cu.compute("return sum")).isEqualTo(6L);
      // Handles hold a reference in the unit: close them when done (a Cleaner is the backstop).
      score.close();
    }
    // handles:end
  }

  @Test
  void exposedObjects() {
    // objects:begin
    // Methods annotated @LuaExport are all Lua can reach of an exposed object.
    Inventory inventory = new Inventory();
    try (ComputeUnit cu = ComputeUnit.builder().expose("inventory", inventory).build()) {
      cu.compute("inventory:add('pear', 2)");
      assertThat(inventory.count("pear")).isEqualTo(2L);
      assertThat(cu.compute("return inventory:count('apple')")).isEqualTo(3L);

      // No class, no fields, no other method.
      assertThat(cu.compute("return inventory.clear")).isNull();
      assertThat(cu.compute("return inventory.getClass")).isNull();
      assertThat(cu.compute("return tostring(inventory)")).isEqualTo("Inventory");
    }
    // objects:end
  }
}
