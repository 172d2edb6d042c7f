package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Export, import, export gives the same bytes for random states: nested maps and arrays
 * (empty ones too), strings, integers, floats (integral ones too), booleans, json.null in arrays,
 * marker-like keys, integer keys, shared tables and cycles.
 */
class StateImportPropertyTest {
  private Path dir;

  @BeforeTry
  void makeDir() throws IOException {
    dir = Files.createTempDirectory("cu-import-property");
  }

  @AfterTry
  void removeDir() throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /**
   * Stores {@code value} as {@code _home.v}, then adds sharing and a cycle and integer keys,
   * exports, imports into a fresh folder and exports again.
   */
  @Property(tries = 15)
  void exportImportExportIsByteIdentical(@ForAll("homes") Map<String, Object> home)
      throws IOException {
    String a = dir.resolve("a").toString();
    String b = dir.resolve("b").toString();
    Cli.Run stored =
        Cli.run(
            "eval",
            "--state",
            a,
            "--input",
            JsonFormat.toJson(home),
            "for k, v in pairs(_io.input) do _home[k] = v end"
                + " local tables = {}"
                + " for k, v in pairs(_home) do"
                + "   if type(v) == 'table' then tables[#tables + 1] = k end"
                + " end"
                + " table.sort(tables)"
                + " if #tables > 0 then"
                + "   local t = _home[tables[1]]"
                + "   _home.alias = t"
                + "   t.back = _home"
                + "   _home.sparse = {[3] = t, [-1] = 'minus', [10] = 2.0}"
                + " end");
    assertThat(stored.exit()).as(stored.err()).isZero();
    Cli.Run first = Cli.run("state", "--state", a, "export");
    assertThat(first.exit()).as(first.err()).isZero();
    Path file = dir.resolve("home.json");
    Files.write(file, first.outBytes());
    Cli.Run imported = Cli.run("state", "--state", b, "import", file.toString());
    assertThat(imported.exit()).as(imported.err()).isZero();
    Cli.Run second = Cli.run("state", "--state", b, "export");
    assertThat(second.out()).isEqualTo(first.out());
  }

  @Provide
  Arbitrary<Map<String, Object>> homes() {
    return Arbitraries.maps(keys(), values(4)).ofMaxSize(6);
  }

  private static Arbitrary<String> keys() {
    return Arbitraries.oneOf(
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6),
        Arbitraries.of("$id", "$ref", "$$values", "a b", "é", "01", "x.y", ""));
  }

  private static Arbitrary<Object> values(int depth) {
    List<Arbitrary<Object>> choices = new ArrayList<>();
    choices.add(
        Arbitraries.strings().withChars("ab $\"\\\né€").ofMaxLength(8).map(x -> (Object) x));
    choices.add(Arbitraries.longs().map(x -> (Object) x));
    choices.add(Arbitraries.doubles().filter(Double::isFinite).map(x -> (Object) x));
    choices.add(Arbitraries.integers().between(-3, 3).map(i -> (double) i).map(x -> (Object) x));
    choices.add(Arbitraries.of(true, false).map(x -> (Object) x));
    if (depth > 0) {
      choices.add(values(depth - 1).injectNull(0.1).list().ofMaxSize(4).map(l -> (Object) l));
      choices.add(
          Arbitraries.maps(keys(), values(depth - 1))
              .ofMaxSize(4)
              .map(m -> (Object) new LinkedHashMap<>(m)));
    }
    return Arbitraries.oneOf(choices);
  }
}
