package dev.cu.script;

import dev.cu.ComputeUnit;
import java.util.List;
import java.util.stream.Collectors;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;

/**
 * The {@code javax.script} factory of cu, registered through {@code ServiceLoader}: {@code new
 * ScriptEngineManager().getEngineByName("lua")} (or {@code "cu"}, the extension {@code lua}, the
 * MIME types {@code text/x-lua} and {@code application/x-lua}) returns a {@link CuScriptEngine}
 * whose unit has the default sandbox and limits.
 */
public final class CuScriptEngineFactory implements ScriptEngineFactory {
  static final String ENGINE_NAME = "cu";
  static final String ENGINE_VERSION = "0.1.0";
  static final String LANGUAGE_VERSION = "5.4";

  /** The factory {@code ServiceLoader} creates. */
  public CuScriptEngineFactory() {}

  @Override
  public String getEngineName() {
    return ENGINE_NAME;
  }

  @Override
  public String getEngineVersion() {
    return ENGINE_VERSION;
  }

  @Override
  public List<String> getExtensions() {
    return List.of("lua");
  }

  @Override
  public List<String> getMimeTypes() {
    return List.of("text/x-lua", "application/x-lua");
  }

  @Override
  public List<String> getNames() {
    return List.of("lua", "Lua", "cu");
  }

  @Override
  public String getLanguageName() {
    return "Lua";
  }

  @Override
  public String getLanguageVersion() {
    return LANGUAGE_VERSION;
  }

  /**
   * The standard keys, and {@code THREADING}: {@code "MULTITHREADED"}, because an engine runs one
   * script at a time and makes other threads wait their turn (a unit belongs to one thread at a
   * time).
   */
  @Override
  public Object getParameter(String key) {
    return switch (key) {
      case ScriptEngine.ENGINE -> getEngineName();
      case ScriptEngine.ENGINE_VERSION -> getEngineVersion();
      case ScriptEngine.NAME -> getNames().get(0);
      case ScriptEngine.LANGUAGE -> getLanguageName();
      case ScriptEngine.LANGUAGE_VERSION -> getLanguageVersion();
      case "THREADING" -> "MULTITHREADED";
      default -> null;
    };
  }

  /** {@code obj:m(a, b)}: Lua's method call, which passes {@code obj} as the first argument. */
  @Override
  public String getMethodCallSyntax(String obj, String m, String... args) {
    return obj + ":" + m + "(" + String.join(", ", args) + ")";
  }

  /** A {@code print} of {@code toDisplay} as a Lua long string, whatever it contains. */
  @Override
  public String getOutputStatement(String toDisplay) {
    String level = "";
    while (toDisplay.contains("]" + level + "]")) {
      level += "=";
    }
    // a long string drops a first newline: keep it by starting with one
    return "print([" + level + "[\n" + toDisplay + "]" + level + "])";
  }

  @Override
  public String getProgram(String... statements) {
    return List.of(statements).stream().map(s -> s + "\n").collect(Collectors.joining());
  }

  /** A new engine with its own unit, built with the defaults of {@link ComputeUnit#builder()}. */
  @Override
  public ScriptEngine getScriptEngine() {
    return new CuScriptEngine(this, ComputeUnit.builder());
  }
}
