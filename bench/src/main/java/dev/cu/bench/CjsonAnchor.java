package dev.cu.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The lua-cjson anchor of {@link JsonBenchmark}'s 10 KB document: {@code cjson.encode} and
 * {@code cjson.decode} of the same data ({@code dev/cu/bench/json/data.lua}) on a standalone
 * interpreter with lua-cjson (Debian: {@code lua5.4} and {@code lua-cjson}), timed the way
 * {@link NativeLuaAnchor} times the pure-Lua scripts: a fork is one interpreter process whose
 * driver first calls the factory {@code dev/cu/bench/json/cjson-anchor.lua} (untimed: it loads
 * the data and encodes the text to decode), then runs the returned op again and again per
 * iteration, scored by the JVM's clock. Results are written in JMH's JSON format as {@code
 * JsonBenchmark.lua_encodeDoc10k} and {@code JsonBenchmark.lua_decodeDoc10k}, so the report pairs
 * them with {@code cu_encodeDoc10k} and {@code cu_decodeDoc10k}. Default settings are {@code
 * JsonBenchmark}'s annotations.
 */
public final class CjsonAnchor {
  private static final String CLASS = "dev.cu.bench.JsonBenchmark.";
  private static final String FACTORY = "/dev/cu/bench/json/cjson-anchor.lua";
  private static final String DATA = "/dev/cu/bench/json/data.lua";

  private CjsonAnchor() {}

  /** The benchmark names this anchor writes. */
  public static final List<String> BENCHMARKS =
      List.of(CLASS + "lua_encodeDoc10k", CLASS + "lua_decodeDoc10k");

  /**
   * The interpreter and the library, e.g. {@code Lua 5.4.4 with lua-cjson 2.1.0}, or null when
   * the interpreter cannot load {@code cjson}.
   */
  static String describe(Path lua) throws IOException {
    Process p =
        new ProcessBuilder(lua.toString(), "-e", "io.write(require('cjson')._VERSION)")
            .redirectErrorStream(true)
            .start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    try {
      if (p.waitFor() != 0 || !out.matches("[0-9][0-9A-Za-z.-]*")) {
        return null;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return NativeLuaAnchor.version(lua) + " with lua-cjson " + out + " (standalone interpreter)";
  }

  /**
   * Measures both operations.
   *
   * @param lua the interpreter
   * @param settings forks, iterations and times
   * @return the JMH-format entries
   * @throws IOException if the interpreter lacks lua-cjson or fails
   */
  static ArrayNode measure(Path lua, NativeLuaAnchor.Settings settings) throws IOException {
    String label = describe(lua);
    if (label == null) {
      throw new IOException(lua + " cannot load cjson (Debian: apt-get install lua-cjson)");
    }
    Path dir = Files.createTempDirectory("cu-cjson");
    try {
      Path factory = dir.resolve("cjson-anchor.lua");
      Path data = dir.resolve("data.lua");
      NativeLuaAnchor.copyResource(FACTORY, factory);
      NativeLuaAnchor.copyResource(DATA, data);
      NativeLuaAnchor anchor = new NativeLuaAnchor(lua, settings);
      ArrayNode all = new ObjectMapper().createArrayNode();
      for (String op : List.of("encode", "decode")) {
        ObjectNode e =
            anchor.measure(
                CLASS + "lua_" + op + "Doc10k", Map.of(), factory, List.of(op, data.toString()));
        e.put("interpreter", label);
        all.add(e);
      }
      return all;
    } finally {
      NativeLuaAnchor.deleteTree(dir);
    }
  }

  /**
   * Command line: {@code --lua PATH --out FILE [--forks N] [--warmup N] [--warmup-time T]
   * [--iterations N] [--time T]}, times in JMH's syntax ({@code 500ms}, {@code 1s}).
   *
   * @param args the options above
   * @throws IOException if the interpreter fails or the output cannot be written
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> o = Options.parse(args);
    if (!o.containsKey("lua") || !o.containsKey("out")) {
      throw new IllegalArgumentException("usage: --lua PATH --out FILE [options]");
    }
    NativeLuaAnchor.Settings d =
        NativeLuaAnchor.Settings.of(JsonBenchmark.class.getName(), TimeUnit.MICROSECONDS);
    NativeLuaAnchor.Settings s =
        new NativeLuaAnchor.Settings(
            Integer.parseInt(o.getOrDefault("forks", Integer.toString(d.forks()))),
            Integer.parseInt(o.getOrDefault("warmup", Integer.toString(d.warmupIterations()))),
            o.containsKey("warmup-time")
                ? TimeValue.fromString(o.get("warmup-time"))
                : d.warmupTime(),
            Integer.parseInt(o.getOrDefault("iterations", Integer.toString(d.iterations()))),
            o.containsKey("time") ? TimeValue.fromString(o.get("time")) : d.time(),
            d.unit());
    new ObjectMapper()
        .writerWithDefaultPrettyPrinter()
        .writeValue(Path.of(o.get("out")).toFile(), measure(Path.of(o.get("lua")), s));
  }
}
