package dev.cu.script;

import static org.assertj.core.api.Assertions.assertThat;

import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.Invocable;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.SimpleBindings;
import org.junit.jupiter.api.Test;

/** The script-engine example of README.md: the code between the markers is pasted there. */
class ScriptEngineTutorialTest {
  /** Implemented by Lua functions below. */
  public interface Pricing {
    double discount(double price);
  }

  @Test
  void scriptEngine() throws Exception {
    // engine:begin
    // The library jar registers the engine: no cu type is needed to get one.
    ScriptEngine lua = new ScriptEngineManager().getEngineByName("lua");

    // The engine's bindings are the unit's globals.
    lua.put("rate", 0.2);
    lua.eval("function discount(p) return p * (1 - rate) end");
    assertThat(lua.eval("return discount(50)")).isEqualTo(40.0);

    // Compile once, run with different bindings (copied in, read back).
    CompiledScript total = ((Compilable) lua).compile("return price * quantity");
    SimpleBindings order = new SimpleBindings();
    order.put("price", 3L);
    order.put("quantity", 4L);
    assertThat(total.eval(order)).isEqualTo(12L);

    // Global Lua functions implement a Java interface, method by method.
    Pricing pricing = ((Invocable) lua).getInterface(Pricing.class);
    assertThat(pricing.discount(10.0)).isEqualTo(8.0);

    ((AutoCloseable) lua).close(); // frees the unit (a Cleaner would, later)
    // engine:end
  }
}
