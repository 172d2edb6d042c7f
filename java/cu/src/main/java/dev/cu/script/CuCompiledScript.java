package dev.cu.script;

import dev.cu.LuaFunction;
import java.util.Objects;
import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptException;

/**
 * A script compiled once by a {@link CuScriptEngine}: each {@code eval} calls the chunk's {@link
 * LuaFunction} with the context's bindings applied, like the engine's {@code eval}.
 */
public final class CuCompiledScript extends CompiledScript {
  private final CuScriptEngine engine;
  private final LuaFunction function;

  CuCompiledScript(CuScriptEngine engine, LuaFunction function) {
    this.engine = engine;
    this.function = function;
  }

  /**
   * Runs the compiled chunk and returns its last value.
   *
   * @throws ScriptException when it fails
   * @throws IllegalStateException when the engine is closed
   */
  @Override
  public Object eval(ScriptContext context) throws ScriptException {
    Objects.requireNonNull(context, "context");
    return engine.run(context, u -> function.call());
  }

  @Override
  public ScriptEngine getEngine() {
    return engine;
  }

  /** The compiled chunk, callable directly (on the engine's unit, under its thread rule). */
  public LuaFunction function() {
    return function;
  }
}
