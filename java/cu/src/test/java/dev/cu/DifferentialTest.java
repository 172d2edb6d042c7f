package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs small scripts through cu and through the standalone {@code lua} built from the same
 * sources, and compares what they print line by line, the error that ends a script included.
 * The scripts live in {@code src/test/resources/dev/cu/differential/}, one file per theme; a
 * line {@code -- case: NAME} starts each script. Each script gets a fresh {@code lua} process
 * and two fresh units: one without limits and one with an instruction limit, whose count hook
 * runs in every coroutine. Both sides name the chunk {@code stdin} (the standalone reads the
 * script from its standard input), so error positions compare as they are. Only addresses
 * ({@code table: 0x...}) are normalised; output compares byte for byte.
 *
 * <p>What the sandbox leaves out on purpose (docs/SANDBOX.md) is not exercised by the scripts:
 * {@code io}, {@code os} beyond time/clock/date/difftime, {@code package}/{@code require},
 * {@code debug}, {@code dofile}/{@code loadfile}, {@code string.dump}, binary chunks,
 * {@code __gc} metamethods, {@code collectgarbage} options other than collect/count/step,
 * {@code rawset} on external tables, the global {@code arg} (the standalone's command line),
 * values that differ from run to run (random numbers, clocks, memory figures), and the known
 * differences docs/SANDBOX.md lists.
 */
class DifferentialTest {
  private static final String[] THEMES = {
    "coroutines", "errors", "close", "metatables", "strings", "tables", "utf8", "math", "base"
  };
  private static final Path LUA = hostLua();
  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]+");
  private static final Pattern CASE = Pattern.compile("^-- case: (.+)$");

  /** The host's build of the cu-native module: native/target/<os>-<arch>/lua. */
  private static Path hostLua() {
    String arch =
        System.getProperty("os.arch").replace("amd64", "x86_64").replace("arm64", "aarch64");
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String name =
        (os.contains("win") ? "windows" : os.contains("mac") ? "macos" : "linux") + "-" + arch;
    return Path.of("../../native/target", name, os.contains("win") ? "lua.exe" : "lua");
  }

  /** One script of a theme file. */
  record Script(String theme, String name, int line, String code) {}

  static List<Script> scripts(String theme) {
    String text;
    try (InputStream in =
        DifferentialTest.class.getResourceAsStream("differential/" + theme + ".lua")) {
      assertThat(in).as("theme file %s.lua", theme).isNotNull();
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Script> out = new ArrayList<>();
    String name = null;
    int start = 0;
    StringBuilder code = new StringBuilder();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i <= lines.length; i++) {
      var m = i < lines.length ? CASE.matcher(lines[i]) : null;
      if (i == lines.length || m.matches()) {
        if (name != null) {
          out.add(new Script(theme, name, start, code.toString()));
        }
        if (i < lines.length) {
          name = m.group(1).strip();
          start = i + 1;
          code.setLength(0);
        }
      } else if (name != null) {
        code.append(lines[i]).append('\n');
      }
    }
    return out;
  }

  @TestFactory
  List<DynamicTest> cuPrintsWhatLuaPrints() {
    assertThat(LUA)
        .as("the standalone lua, built by the cu-native module's CMake step")
        .isExecutable();
    List<DynamicTest> tests = new ArrayList<>();
    int total = 0;
    for (String theme : THEMES) {
      List<Script> s = scripts(theme);
      total += s.size();
      for (Script script : s) {
        tests.add(DynamicTest.dynamicTest(theme + ": " + script.name(), () -> compare(script)));
      }
    }
    assertThat(total).as("scripts in all themes").isGreaterThanOrEqualTo(200);
    return tests;
  }

  private static void compare(Script script) throws Exception {
    List<String> expected = lines(runLua(script.code()));
    for (boolean counted : new boolean[] {false, true}) {
      List<String> actual = lines(runCu(script.code(), counted));
      assertThat(actual)
          .as(
              "%s.lua line %d, case '%s' (count hook on: %s):%n%s",
              script.theme(), script.line(), script.name(), counted, script.code())
          .containsExactlyElementsOf(expected);
    }
  }

  private static List<String> lines(String output) {
    List<String> out = new ArrayList<>();
    for (String l : output.split("\n", -1)) {
      out.add(ADDRESS.matcher(l).replaceAll("ADDR"));
    }
    return out;
  }

  /**
   * What cu prints, then "ERROR: message" if the script failed, on a unit without limits or
   * on one whose count hook runs all the time ({@code counted}). The bytes print wrote, one char
   * per byte (ISO-8859-1), so that bytes that are not UTF-8 compare as they are.
   */
  static String runCu(String code, boolean counted) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ComputeUnit.Builder b = ComputeUnit.builder().outputStream(out);
    if (counted) { // an instruction limit keeps the count hook on in every coroutine
      b.instructionLimit(1L << 40);
    }
    try (ComputeUnit cu = b.build()) {
      cu.execute("=stdin", code);
    } catch (LuaException e) {
      out.writeBytes(("ERROR: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * Runs a script in the standalone, under pcall rather than under lua.c's message handler
   * (which would add a traceback to every error, also to those a script catches inside load or
   * sees in a __close), and reports a failure the way cu's error message reads.
   */
  private static final String DRIVER =
      String.join(
          "\n",
          "local f, e = load(io.read('a'), '=stdin')",
          "if f then",
          "  local ok",
          "  ok, e = pcall(f)",
          "  if ok then return end",
          "end",
          "if type(e) ~= 'string' and type(e) ~= 'number' then",
          "  local mt = debug.getmetatable(e)",
          "  local ts = mt and rawget(mt, '__tostring')",
          "  local s = ts and ts(e)",
          "  e = type(s) == 'string' and s or '(error object is a ' .. type(e) .. ' value)'",
          "end",
          "io.write('ERROR: ', tostring(e), '\\n')");

  /** What the standalone prints, then "ERROR: message" if the script failed. */
  static String runLua(String code) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(LUA.toString(), "-e", DRIVER);
    pb.environment().remove("LUA_INIT");
    pb.environment().remove("LUA_INIT_5_4");
    Process p = pb.start();
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    try (var in = p.getOutputStream()) {
      in.write(code.getBytes(StandardCharsets.UTF_8));
    }
    byte[] stdout = readAll(p.getInputStream());
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("lua finished").isTrue();
    assertThat(p.exitValue())
        .as("lua's exit status; its stderr: %s", new String(err.get(), StandardCharsets.UTF_8))
        .isZero();
    return new String(stdout, StandardCharsets.ISO_8859_1);
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @org.junit.jupiter.api.Test
  void everyThemeFileSplitsIntoNamedScripts() {
    for (String theme : THEMES) {
      assertThat(scripts(theme))
          .as(theme)
          .isNotEmpty()
          .allSatisfy(s -> assertThat(s.code()).isNotBlank());
    }
    Path dir = Path.of("src/test/resources/dev/cu/differential");
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString().replace(".lua", "")).sorted())
          .as("every theme file is listed in THEMES")
          .containsExactlyInAnyOrder(THEMES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
