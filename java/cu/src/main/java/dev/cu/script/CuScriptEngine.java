package dev.cu.script;

import dev.cu.ComputeUnit;
import dev.cu.LuaException;
import dev.cu.LuaFunction;
import dev.cu.LuaTable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.script.AbstractScriptEngine;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptException;
import javax.script.SimpleBindings;

/**
 * A {@code javax.script} engine over one compute unit: scripts run in the unit's sandbox under
 * its limits, one at a time (other threads wait their turn), and share its globals.
 *
 * <p>The engine's own {@link ScriptContext#ENGINE_SCOPE} bindings are the unit's Lua globals:
 * {@code put} sets a global (converted like {@link ComputeUnit#setInput}), {@code get} reads one
 * (converted like a result of {@link ComputeUnit#compute}). Other {@link Bindings} given to
 * {@code eval} are copied into the globals before the script runs, and their keys read back after
 * it. Entries of {@link ScriptContext#GLOBAL_SCOPE} become globals before each script unless a
 * global of that name is set. {@code print} writes to the context's writer.
 *
 * <p>The unit is built at the first script from the builder the engine was made with, after
 * applying these context attributes when present: {@link #MEMORY_LIMIT} (bytes), {@link
 * #TIME_LIMIT} and {@link #CPU_TIME_LIMIT} (a {@link Duration}, or a number of milliseconds) and
 * {@link #INSTRUCTION_LIMIT}. Close the engine to free the unit; a {@code Cleaner} frees it
 * otherwise.
 *
 * <p>Errors of scripts are {@link ScriptException}s whose cause is the {@link LuaException}, with
 * its chunk and line as file name and line number; {@link Invocable#getInterface} proxies throw
 * the {@link LuaException} itself.
 */
public final class CuScriptEngine extends AbstractScriptEngine
    implements Compilable, Invocable, AutoCloseable {
  /** Context attribute: the unit's memory limit in bytes (a number). */
  public static final String MEMORY_LIMIT = "cu.memoryLimit";

  /** Context attribute: the wall-clock limit per script (a Duration, or milliseconds). */
  public static final String TIME_LIMIT = "cu.timeLimit";

  /** Context attribute: the CPU-time limit per script (a Duration, or milliseconds). */
  public static final String CPU_TIME_LIMIT = "cu.cpuTimeLimit";

  /** Context attribute: the instruction limit per script (a number). */
  public static final String INSTRUCTION_LIMIT = "cu.instructionLimit";

  private static final String DEFAULT_CHUNK = "script";

  private final ScriptEngineFactory factory;
  private final ComputeUnit.Builder builder;
  private final ReentrantLock lock = new ReentrantLock();
  private final GlobalBindings globals;
  private ComputeUnit unit;
  private boolean closed;
  private volatile Writer writer;

  /**
   * An engine whose unit is built from {@code builder} at the first script (its {@code output}
   * is replaced: {@code print} writes to the context's writer).
   */
  public CuScriptEngine(ComputeUnit.Builder builder) {
    this(new CuScriptEngineFactory(), builder);
  }

  CuScriptEngine(ScriptEngineFactory factory, ComputeUnit.Builder builder) {
    this.factory = factory;
    this.builder = Objects.requireNonNull(builder, "builder");
    this.globals = new GlobalBindings(this);
    context.setBindings(globals, ScriptContext.ENGINE_SCOPE);
  }

  @Override
  public ScriptEngineFactory getFactory() {
    return factory;
  }

  /** A new, empty {@link SimpleBindings}: given to {@code eval}, it is copied (see above). */
  @Override
  public Bindings createBindings() {
    return new SimpleBindings();
  }

  /**
   * Runs {@code script} and returns its last value. The chunk is named by the context attribute
   * {@link ScriptEngine#FILENAME}, else {@code script}.
   *
   * @throws ScriptException when the script does not compile or fails
   * @throws IllegalStateException when the engine is closed
   */
  @Override
  public Object eval(String script, ScriptContext ctx) throws ScriptException {
    Objects.requireNonNull(script, "script");
    return run(ctx, u -> u.execute(chunkName(ctx), script).value());
  }

  /** Reads {@code reader} to its end and runs it like {@link #eval(String, ScriptContext)}. */
  @Override
  public Object eval(Reader reader, ScriptContext ctx) throws ScriptException {
    return eval(read(reader), ctx);
  }

  /**
   * Compiles {@code script} once into a {@link CuCompiledScript} around a {@link LuaFunction}.
   *
   * @throws ScriptException when it does not compile
   */
  @Override
  public CompiledScript compile(String script) throws ScriptException {
    Objects.requireNonNull(script, "script");
    LuaFunction f = run(context, u -> u.load(chunkName(context), script));
    return new CuCompiledScript(this, f);
  }

  @Override
  public CompiledScript compile(Reader reader) throws ScriptException {
    return compile(read(reader));
  }

  /**
   * Calls the global function {@code name} with {@code args} and returns its last value.
   *
   * @throws NoSuchMethodException when no global function has that name
   * @throws ScriptException when the function fails
   */
  @Override
  public Object invokeFunction(String name, Object... args)
      throws ScriptException, NoSuchMethodException {
    Objects.requireNonNull(name, "name");
    return invoke(null, name, args);
  }

  /**
   * Calls {@code thiz:name(args)} on a {@link LuaTable} (see {@link #table}) and returns its last
   * value.
   *
   * @throws NoSuchMethodException when the table has no function under {@code name}
   * @throws IllegalArgumentException when {@code thiz} is not a {@link LuaTable}
   * @throws ScriptException when the method fails
   */
  @Override
  public Object invokeMethod(Object thiz, String name, Object... args)
      throws ScriptException, NoSuchMethodException {
    Objects.requireNonNull(name, "name");
    return invoke(asTable(thiz), name, args);
  }

  /**
   * An implementation of the interface {@code type} whose abstract methods call the global Lua
   * functions of the same names (results bound to the return types through Jackson), or null
   * when one of them is missing.
   */
  @Override
  public <T> T getInterface(Class<T> type) {
    return LuaInterface.of(this, null, type);
  }

  /** Like {@link #getInterface(Class)}, with the functions of the {@link LuaTable} {@code thiz}. */
  @Override
  public <T> T getInterface(Object thiz, Class<T> type) {
    return LuaInterface.of(this, asTable(thiz), type);
  }

  /**
   * A live handle to the table at {@code path} in the engine's unit ({@code "_G"}, {@code
   * "config"}, {@code "mod.sub"}), e.g. for {@link #invokeMethod}.
   *
   * @throws ScriptException when there is no table at {@code path}
   */
  public LuaTable table(String path) throws ScriptException {
    return run(context, u -> u.table(path));
  }

  /** Closes the unit; later calls throw {@link IllegalStateException}. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      if (unit != null) {
        unit.close();
      }
    } finally {
      lock.unlock();
    }
  }

  /** What a call does with the unit; may throw a {@link LuaException} or an {@code X}. */
  interface UnitCall<T, X extends Exception> {
    T apply(ComputeUnit unit) throws X;
  }

  Object invoke(LuaTable self, String name, Object[] args)
      throws ScriptException, NoSuchMethodException {
    return run(context, u -> Calls.invoke(u, self, name, args, null));
  }

  /** Runs {@code call} with the context's bindings applied, mapping Lua errors. */
  <T, X extends Exception> T run(ScriptContext ctx, UnitCall<T, X> call) throws ScriptException, X {
    try {
      return runUnchecked(ctx, call);
    } catch (LuaException e) {
      throw Calls.scriptException(e);
    }
  }

  /** {@link #run} that lets {@link LuaException} through (for interface proxies). */
  <T, X extends Exception> T runUnchecked(ScriptContext ctx, UnitCall<T, X> call) throws X {
    Objects.requireNonNull(ctx, "context");
    lock.lock();
    try {
      ComputeUnit u = unit(ctx);
      writer = ctx.getWriter();
      Bindings scope = ctx.getBindings(ScriptContext.ENGINE_SCOPE);
      Bindings copied = scope == globals || scope == null ? null : scope;
      if (copied != null) {
        copied.forEach(globals::put);
      }
      Bindings shared = ctx.getBindings(ScriptContext.GLOBAL_SCOPE);
      if (shared != null) {
        for (Map.Entry<String, Object> e : shared.entrySet()) {
          if (!globals.containsKey(e.getKey())) {
            globals.put(e.getKey(), e.getValue());
          }
        }
      }
      try {
        return call.apply(u);
      } finally {
        if (copied != null) {
          for (String key : copied.keySet()) {
            copied.put(key, globals.get(key));
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code read} under the engine's lock (bindings access between scripts). */
  <T> T withLock(java.util.function.Supplier<T> read) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("script engine is closed");
      }
      return read.get();
    } finally {
      lock.unlock();
    }
  }

  /** The unit, built at the first use; throws when the engine is closed. */
  ComputeUnit unit(ScriptContext ctx) {
    if (!lock.isHeldByCurrentThread()) {
      throw new IllegalStateException("the engine's unit is used only under its lock");
    }
    if (closed) {
      throw new IllegalStateException("script engine is closed");
    }
    if (unit == null) {
      configure(ctx);
      builder.output(this::print);
      unit = builder.build();
      globals.attach(unit);
    }
    return unit;
  }

  private void configure(ScriptContext ctx) {
    Object memory = ctx.getAttribute(MEMORY_LIMIT);
    if (memory != null) {
      builder.memoryLimit(number(MEMORY_LIMIT, memory));
    }
    Object time = ctx.getAttribute(TIME_LIMIT);
    if (time != null) {
      builder.timeLimit(duration(TIME_LIMIT, time));
    }
    Object cpu = ctx.getAttribute(CPU_TIME_LIMIT);
    if (cpu != null) {
      builder.cpuTimeLimit(duration(CPU_TIME_LIMIT, cpu));
    }
    Object instructions = ctx.getAttribute(INSTRUCTION_LIMIT);
    if (instructions != null) {
      builder.instructionLimit(number(INSTRUCTION_LIMIT, instructions));
    }
  }

  static boolean isSetting(String key) {
    return key.equals(MEMORY_LIMIT)
        || key.equals(TIME_LIMIT)
        || key.equals(CPU_TIME_LIMIT)
        || key.equals(INSTRUCTION_LIMIT);
  }

  private static long number(String key, Object value) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    throw new IllegalArgumentException(key + " must be a number, not " + value);
  }

  private static Duration duration(String key, Object value) {
    if (value instanceof Duration d) {
      return d;
    }
    if (value instanceof Number n) {
      return Duration.ofMillis(n.longValue());
    }
    throw new IllegalArgumentException(key + " must be a Duration or milliseconds, not " + value);
  }

  private void print(String line) {
    Writer w = writer;
    try {
      w.write(line);
      w.write('\n');
      w.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String chunkName(ScriptContext ctx) {
    Object name = ctx.getAttribute(ScriptEngine.FILENAME);
    return name == null ? DEFAULT_CHUNK : name.toString();
  }

  private static LuaTable asTable(Object thiz) {
    if (thiz instanceof LuaTable t) {
      return t;
    }
    throw new IllegalArgumentException(
        "thiz must be a LuaTable of this engine (see CuScriptEngine.table), not "
            + (thiz == null ? "null" : thiz.getClass().getSimpleName()));
  }

  private static String read(Reader reader) throws ScriptException {
    StringBuilder sb = new StringBuilder();
    char[] buf = new char[8192];
    try {
      for (int n; (n = reader.read(buf)) >= 0; ) {
        sb.append(buf, 0, n);
      }
    } catch (IOException e) {
      ScriptException se = new ScriptException("cannot read the script: " + e.getMessage());
      se.initCause(e);
      throw se;
    }
    return sb.toString();
  }
}
