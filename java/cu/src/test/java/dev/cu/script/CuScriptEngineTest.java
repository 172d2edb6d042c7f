package dev.cu.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.ComputeUnit;
import dev.cu.LuaFunction;
import dev.cu.LuaMemoryException;
import dev.cu.LuaRuntimeException;
import dev.cu.LuaTable;
import dev.cu.LuaTimeoutException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import javax.script.SimpleScriptContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CuScriptEngineTest {
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeEngines() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private ScriptEngine engine() {
    ScriptEngine e = new ScriptEngineManager().getEngineByName("lua");
    open.add((AutoCloseable) e);
    return e;
  }

  @Test
  void theManagerFindsTheEngineByNameExtensionAndMimeType() {
    ScriptEngineManager m = new ScriptEngineManager();
    for (ScriptEngine e :
        List.of(
            m.getEngineByName("lua"),
            m.getEngineByName("cu"),
            m.getEngineByExtension("lua"),
            m.getEngineByMimeType("text/x-lua"))) {
      assertThat(e).isInstanceOf(CuScriptEngine.class);
      assertThat(e).isInstanceOf(Compilable.class).isInstanceOf(Invocable.class);
      open.add((AutoCloseable) e);
    }
    var f = m.getEngineByName("cu").getFactory();
    assertThat(f.getLanguageName()).isEqualTo("Lua");
    assertThat(f.getLanguageVersion()).isEqualTo("5.4");
    assertThat(f.getParameter(ScriptEngine.NAME)).isEqualTo("lua");
    assertThat(f.getParameter("THREADING")).isEqualTo("MULTITHREADED");
    assertThat(f.getMethodCallSyntax("obj", "add", "1", "2")).isEqualTo("obj:add(1, 2)");
  }

  @Test
  void evalReturnsTheLastValueAndPrintsToTheContextWriter() throws Exception {
    ScriptEngine e = engine();
    StringWriter out = new StringWriter();
    e.getContext().setWriter(out);
    assertThat(e.eval("print('hello', 1) return 6 * 7")).isEqualTo(42L);
    assertThat(e.eval(new StringReader("return 'from a reader'"))).isEqualTo("from a reader");
    assertThat(out.toString()).isEqualTo("hello\t1\n");
  }

  @Test
  void theOutputStatementPrintsItsTextUnchanged() throws Exception {
    ScriptEngine e = engine();
    StringWriter out = new StringWriter();
    e.getContext().setWriter(out);
    String text = "a ]] b ]=] c\n";
    e.eval(e.getFactory().getOutputStatement(text));
    assertThat(out.toString()).isEqualTo(text + "\n");
    e.eval(e.getFactory().getProgram("x = 1", "x = x + 1"));
    assertThat(e.get("x")).isEqualTo(2L);
  }

  @Test
  void engineBindingsAreTheGlobals() throws Exception {
    ScriptEngine e = engine();
    e.put("rate", 0.5); // before the unit exists
    assertThat(e.eval("return rate * 4")).isEqualTo(2.0);
    e.put("items", List.of(1L, 2L, 3L));
    e.eval("total = 0 for _, v in ipairs(items) do total = total + v end");
    assertThat(e.get("total")).isEqualTo(6L);
    Bindings g = e.getBindings(ScriptContext.ENGINE_SCOPE);
    assertThat(g.containsKey("total")).isTrue();
    assertThat(g.keySet()).contains("total", "items", "rate", "print");
    assertThat(g.remove("total")).isEqualTo(6L);
    assertThat(e.eval("return total")).isNull();
    assertThatThrownBy(() -> g.put("", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> g.put(null, 1)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void otherBindingsAreCopiedInAndReadBack() throws Exception {
    ScriptEngine e = engine();
    Bindings b = new SimpleBindings();
    b.put("n", 10L);
    assertThat(e.eval("n = n + 1 return n", b)).isEqualTo(11L);
    assertThat(b.get("n")).isEqualTo(11L);
  }

  @Test
  void globalScopeEntriesBecomeGlobalsUnlessSet() throws Exception {
    ScriptEngineManager m = new ScriptEngineManager();
    m.put("greeting", "hi");
    ScriptEngine e = m.getEngineByName("lua");
    open.add((AutoCloseable) e);
    assertThat(e.eval("return greeting")).isEqualTo("hi");
    e.put("greeting", "own");
    assertThat(e.eval("return greeting")).isEqualTo("own");
  }

  @Test
  void aScriptErrorIsAScriptExceptionThatSaysWhere() {
    ScriptEngine e = engine();
    e.getContext().setAttribute(ScriptEngine.FILENAME, "rules.lua", ScriptContext.ENGINE_SCOPE);
    assertThatThrownBy(() -> e.eval("local x = 1\nerror('bad rule')"))
        .isInstanceOfSatisfying(
            ScriptException.class,
            se -> {
              assertThat(se.getFileName()).isEqualTo("rules.lua");
              assertThat(se.getLineNumber()).isEqualTo(2);
              assertThat(se.getMessage()).contains("bad rule");
              assertThat(se.getCause()).isInstanceOf(LuaRuntimeException.class);
            });
    assertThatThrownBy(() -> e.eval("return +"))
        .isInstanceOf(ScriptException.class)
        .hasMessageContaining("unexpected symbol");
  }

  @Test
  void aCompiledScriptCompilesOnceAndRunsWithEachContextsBindings() throws Exception {
    ScriptEngine e = engine();
    CompiledScript s = ((Compilable) e).compile("calls = (calls or 0) + 1 return x * 2");
    Bindings one = new SimpleBindings(new java.util.HashMap<>(Map.of("x", 2L)));
    Bindings two = new SimpleBindings(new java.util.HashMap<>(Map.of("x", 5L)));
    assertThat(s.eval(one)).isEqualTo(4L);
    assertThat(s.eval(two)).isEqualTo(10L);
    assertThat(s.getEngine()).isSameAs(e);
    assertThat(e.get("calls")).isEqualTo(2L);
    LuaFunction f = ((CuCompiledScript) s).function();
    assertThat(f.call()).isEqualTo(10L);
    assertThatThrownBy(() -> ((Compilable) e).compile("return +"))
        .isInstanceOf(ScriptException.class);
  }

  @Test
  void invokeFunctionAndInvokeMethodCallLua() throws Exception {
    ScriptEngine e = engine();
    e.eval(
        "function add(a, b) return a + b end "
            + "account = { balance = 10 } "
            + "function account:deposit(n) self.balance = self.balance + n return self.balance end");
    Invocable inv = (Invocable) e;
    assertThat(inv.invokeFunction("add", 2L, 3L)).isEqualTo(5L);
    assertThatThrownBy(() -> inv.invokeFunction("nope"))
        .isInstanceOf(NoSuchMethodException.class)
        .hasMessageContaining("nope");
    LuaTable account = ((CuScriptEngine) e).table("account");
    assertThat(inv.invokeMethod(account, "deposit", 5L)).isEqualTo(15L);
    assertThat(e.eval("return account.balance")).isEqualTo(15L);
    assertThatThrownBy(() -> inv.invokeMethod(account, "withdraw", 1L))
        .isInstanceOf(NoSuchMethodException.class);
    assertThatThrownBy(() -> inv.invokeMethod(Map.of(), "deposit", 1L))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> inv.invokeFunction("add", 1L, "x"))
        .isInstanceOf(ScriptException.class)
        .hasMessageContaining("attempt to add");
  }

  /** Implemented by Lua in the test below. */
  public interface Pricing {
    double price(String item, int quantity);

    List<String> items();

    default String describe() {
      return "pricing of " + items().size() + " items";
    }
  }

  /** Has a method no Lua function implements. */
  public interface Partial {
    double price(String item, int quantity);

    void missing();
  }

  @Test
  void getInterfaceImplementsAJavaInterfaceWithLuaFunctions() throws Exception {
    ScriptEngine e = engine();
    e.eval(
        "local prices = { apple = 0.5, pear = 0.75 } "
            + "function price(item, q) return prices[item] * q end "
            + "function items() return { 'apple', 'pear' } end "
            + "shop = { price = function(self, item, q) return 1 end }");
    Pricing p = ((Invocable) e).getInterface(Pricing.class);
    assertThat(p.price("pear", 4)).isEqualTo(3.0);
    assertThat(p.items()).containsExactly("apple", "pear");
    assertThat(p.describe()).isEqualTo("pricing of 2 items");
    assertThat(((Invocable) e).getInterface(Partial.class)).isNull();
    assertThatThrownBy(() -> p.price("plum", 1))
        .isInstanceOf(LuaRuntimeException.class)
        .hasMessageContaining("arithmetic");
    assertThatThrownBy(() -> ((Invocable) e).getInterface(String.class))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void limitsComeFromContextAttributesOrTheBuilder() throws Exception {
    ScriptEngine e = engine();
    e.getContext()
        .setAttribute(
            CuScriptEngine.TIME_LIMIT, Duration.ofMillis(100), ScriptContext.ENGINE_SCOPE);
    assertThatThrownBy(() -> e.eval("while true do end"))
        .isInstanceOf(ScriptException.class)
        .hasCauseInstanceOf(LuaTimeoutException.class);
    assertThat(e.eval("return 1")).isEqualTo(1L);
    assertThat(e.get(CuScriptEngine.TIME_LIMIT)).isEqualTo(Duration.ofMillis(100));

    CuScriptEngine small = new CuScriptEngine(ComputeUnit.builder().memoryLimit(4L << 20));
    open.add(small);
    assertThatThrownBy(() -> small.eval("return string.rep('x', 64 << 20)"))
        .isInstanceOf(ScriptException.class)
        .hasCauseInstanceOf(LuaMemoryException.class);
  }

  @Test
  void scriptsRunInTheSandbox() throws Exception {
    ScriptEngine e = engine();
    assertThat(e.eval("return io == nil and os.execute == nil and debug == nil")).isEqualTo(true);
    assertThatThrownBy(() -> e.eval("return load(string.dump(function() end))()"))
        .isInstanceOf(ScriptException.class);
  }

  @Test
  void threadsTakeTurnsOnOneEngine() throws Exception {
    ScriptEngine e = engine();
    e.eval("count = 0 function bump() for i = 1, 1000 do count = count + 1 end end");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Object>> runs = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        runs.add(pool.submit(() -> ((Invocable) e).invokeFunction("bump")));
      }
      for (Future<Object> f : runs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(e.eval("return count")).isEqualTo(40_000L);
  }

  @Test
  void aClosedEngineRefusesWork() throws Exception {
    ScriptEngine e = engine();
    e.eval("x = 1");
    ((CuScriptEngine) e).close();
    ((CuScriptEngine) e).close();
    assertThatThrownBy(() -> e.eval("return x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void anEngineWithItsOwnContextUsesThatContextsWriter() throws Exception {
    ScriptEngine e = engine();
    ScriptContext ctx = new SimpleScriptContext();
    StringWriter out = new StringWriter();
    ctx.setWriter(out);
    ctx.setBindings(
        new SimpleBindings(new java.util.HashMap<>(Map.of("who", "ctx"))),
        ScriptContext.ENGINE_SCOPE);
    e.eval("print('hi ' .. who)", ctx);
    assertThat(out.toString()).isEqualTo("hi ctx\n");
  }
}
