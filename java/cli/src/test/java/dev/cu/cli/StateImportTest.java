package dev.cu.cli;

import static dev.cu.cli.StateCli.eval;
import static dev.cu.cli.StateCli.export;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cu state import}: export's JSON back into {@code _home}, in one commit. */
class StateImportTest {
  @TempDir Path dir;

  private String state() {
    return dir.resolve("state").toString();
  }

  private Cli.Run importFile(String state, String json, String... options) throws Exception {
    return StateCli.importFile(dir, state, json, options);
  }

  @Test
  void exportThenImportGivesTheSameExport() throws Exception {
    eval(
        state(),
        "local json = require('json') _home.s = 'str' _home.f = 1.0 _home.g = 2.5 _home.i = 7 _home.b = false"
            + " _home.e = {} _home.a = json.array({}) _home.seq = {1, 'two', {3}}"
            + " _home.sparse = {[1] = 'a', [3] = 'c'} _home.mixed = {1, 2, x = 3}"
            + " _home.strs = {['1'] = 'a', ['2'] = 'b'} _home.n = {1, json.null, 3}"
            + " local s = {v = 1} _home.p = {s, s} _home.q = _home.p[1] _home.self = _home"
            + " local c = {} c.c = c _home.c = c _home['$id'] = 'dollar'");
    String before = export(state());
    assertThat(export(state())).as("export is reproducible").isEqualTo(before);
    String other = dir.resolve("other").toString();
    Cli.Run r = importFile(other, before);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(export(other)).isEqualTo(before);
    Cli.Run types =
        Cli.run(
            "eval",
            "--state",
            other,
            "local json = require('json') return math.type(_home.f), _home.sparse[3], _home.mixed[2], _home.strs['2'],"
                + " _home.q == _home.p[1], _home.self == _home, _home.c.c == _home.c,"
                + " _home.n[2] == json.null, #_home.n");
    assertThat(types.out()).isEqualTo("float\tc\t2\tb\ttrue\ttrue\ttrue\ttrue\t3\n");
  }

  @Test
  void bigintsRoundTripAsBigints() throws Exception {
    eval(
        state(),
        "local B = require('bigint').new _home.big = B(2) ^ 100 _home.neg = -B(2) ^ 64"
            + " _home.small = B(5) _home.list = {B(1) << 70, 3}");
    String before = export(state());
    assertThat(before).contains("\"big\":1267650600228229401496703205376");
    String other = dir.resolve("other").toString();
    Cli.Run r = importFile(other, before);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(export(other)).isEqualTo(before);
    Cli.Run types =
        Cli.run(
            "eval",
            "--state",
            other,
            "local b = require('bigint') return b.isbigint(_home.big), _home.big + 1,"
                + " b.isbigint(_home.neg), _home.list[1] >> 69, math.type(_home.small)");
    assertThat(types.out()).isEqualTo("true\t1267650600228229401496703205377\ttrue\t2\tinteger\n");
  }

  @Test
  void importReplacesTheWholeHomeAndMergeKeepsTheOtherKeys() throws Exception {
    eval(state(), "_home.old = 1 _home.kept = {x = 1}");
    assertThat(importFile(state(), "{\"kept\": {\"y\": 2}, \"new\": true}", "--merge").exit())
        .isZero();
    assertThat(export(state())).isEqualTo("{\"kept\":{\"y\":2},\"new\":true,\"old\":1}\n");
    assertThat(importFile(state(), "{\"only\": [1.5, \"x\"]}").exit()).isZero();
    assertThat(export(state())).isEqualTo("{\"only\":[1.5,\"x\"]}\n");
    assertThat(importFile(state(), "{}").exit()).isZero();
    assertThat(export(state())).isEqualTo("{}\n");
  }

  @Test
  void importOfAHomeNestedAThousandLevelsRoundTrips() throws Exception {
    eval(state(), "local n = _home for i = 1, 1000 do n.x = {i = i, l = {i}} n = n.x end");
    String before = export(state());
    String other = dir.resolve("other").toString();
    Cli.Run r = importFile(other, before);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(export(other)).isEqualTo(before);
    Cli.Run deep =
        Cli.run(
            "eval",
            "--state",
            other,
            "local n, d = _home, 0 while n.x do n, d = n.x, d + 1 end return d, n.i, n.l[1]");
    assertThat(deep.out()).isEqualTo("1000\t1000\t1000\n");
  }

  @Test
  void importOfObjectsNestedAsFirstMembersTwentyThousandLevelsDoesNotRecurse() throws Exception {
    // reading each object's first member inline once recursed per level and overflowed the stack
    int depth = 20_000;
    String doc = "{\"x\":".repeat(depth) + "1" + "}".repeat(depth);
    Cli.Run r = importFile(state(), doc);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(export(state())).isEqualTo(doc + "\n");
  }

  @Test
  void importReadsStandardInputForADash() {
    Cli.Run r =
        Cli.runWithInput(
            "{\"$id\": 1, \"me\": {\"$ref\": 1}, \"xs\": []}",
            "state",
            "--state",
            state(),
            "import",
            "-");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(export(state())).isEqualTo("{\"$id\":1,\"me\":{\"$ref\":1},\"xs\":[]}\n");
  }

  @Test
  void importWritesTheStateOfTheKeyGiven() throws Exception {
    eval(state(), "_home.own = 1");
    Cli.Run r =
        Cli.runWithInput(
            "{\"tenant\": \"a\"}", "state", "--state", state(), "--key", "a@x", "import", "-");
    assertThat(r.exit()).as(r.err()).isZero();
    Cli.Run keyed = Cli.run("state", "--state", state(), "--key", "a@x", "export", "--json");
    assertThat(keyed.out()).isEqualTo("{\"tenant\":\"a\"}\n");
    assertThat(export(state())).isEqualTo("{\"own\":1}\n");
  }

  @Test
  void stateWithoutACommandListsImportAndImportHasHelp() {
    assertThat(Cli.run("state").err()).contains("export, import, verify");
    Cli.Run help = Cli.run("state", "import", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("--merge").contains("--input-limit").contains("function: 0x");
  }

  @Test
  void aTopArrayIsTheHomeOfKeysOneToN() throws Exception {
    assertThat(importFile(state(), "[\"a\", {\"b\": 1}]").exit()).isZero();
    assertThat(export(state())).isEqualTo("[\"a\",{\"b\":1}]\n");
    assertThat(Cli.run("eval", "--state", state(), "return _home[1], _home[2].b").out())
        .isEqualTo("a\t1\n");
  }

  @Test
  void badInputIsAUsageErrorThatNamesThePlaceAndChangesNothing() throws Exception {
    eval(state(), "_home.a = {1, 2, {b = 'c'}} _home.s = {} _home.s.me = _home.s _home.f = 0.5");
    String before = export(state());
    String[][] cases = {
      {"", "the import is empty"},
      {"42", "the top must be a JSON object"},
      {"\"x\"", "the top must be a JSON object"},
      {"{\"a\": 1", "not valid JSON: Unexpected end-of-input"},
      {"{\"a\": [1, 2,]}", "not valid JSON"},
      {"{\"a\": 1} {}", "content after the document"},
      {"{\"a\": 1, \"a\": 2}", "Duplicate field 'a'"},
      {"{\"a\": {\"$ref\": 7}}", "{\"$ref\": 7} at _home.a names no table marked before it"},
      {"{\"a\": {\"b\": {\"$ref\": 2}}, \"c\": {\"$id\": 2}}", "names no table"},
      {"{\"a\": {\"$ref\": 1, \"x\": 2}, \"$id\": 1}", "names no table"},
      {"{\"$id\": 1, \"a\": {\"$ref\": 1, \"x\": 2}}", "at _home.a has other members"},
      {"{\"$id\": 1, \"a\": {\"$id\": 1}}", "$id 1 at _home.a is used twice"},
      {"{\"a\": {\"$id\": 0}}", "$id at _home.a must be a positive integer"},
      {"{\"a\": {\"$values\": []}}", "$values at _home.a without a $id"},
      {"{\"a\": {\"$id\": 1, \"$values\": 3}}", "$values at _home.a must be an array"},
      {"{\"a\": {\"x\": 1, \"$id\": 1}}", "unexpected $id (a marker is the first member)"},
      {
        "{\"a\": [1" + "0".repeat(ImportReader.MAX_DIGITS) + "]}",
        "Number value length (" + (ImportReader.MAX_DIGITS + 1) + ") exceeds the maximum"
      },
      {"{\"a b\": [1e999]}", "number 1e999 is out of range at _home[\"a b\"][1]"},
      {"{\"a\": \"\\ud800\"}", "string at _home.a has an unpaired surrogate U+D800"},
    };
    for (String[] c : cases) {
      Cli.Run r = importFile(state(), c[0]);
      assertThat(r.exit()).as(c[0] + ": " + r.err()).isEqualTo(ExitCode.USAGE);
      assertThat(r.err()).as(c[0]).startsWith("cu: usage: ").contains(c[1]).endsWith("\n");
      assertThat(r.err().lines()).as(c[0]).hasSize(1);
      assertThat(export(state())).as(c[0]).isEqualTo(before);
    }
    Cli.Run missing = Cli.run("state", "--state", state(), "import", dir + "/nope.json");
    assertThat(missing.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(missing.err()).contains("cannot read import file").endsWith(": no such file\n");
    Cli.Run noFile = Cli.run("state", "--state", state(), "import");
    assertThat(noFile.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(export(state())).isEqualTo(before);
  }

  @Test
  void aFileOverTheInputLimitFailsWithExitThreeAndChangesNothing() throws Exception {
    eval(state(), "_home.v = 1");
    String doc = "{\"v\": \"" + "x".repeat(2000) + "\"}";
    Cli.Run r = importFile(state(), doc, "--input-limit", "1k");
    assertThat(r.exit()).isEqualTo(ExitCode.LIMIT);
    assertThat(r.err())
        .startsWith("cu: input: import file ")
        .endsWith(" is larger than --input-limit of 1024 bytes; nothing imported\n");
    Cli.Run piped =
        Cli.runWithInput(doc, "state", "--state", state(), "import", "--input-limit", "1k", "-");
    assertThat(piped.exit()).isEqualTo(ExitCode.LIMIT);
    assertThat(piped.err())
        .isEqualTo(
            "cu: input: standard input is larger than --input-limit of 1024 bytes;"
                + " nothing imported\n");
    assertThat(export(state())).isEqualTo("{\"v\":1}\n");
    assertThat(importFile(state(), doc, "--input-limit", "0").exit()).isZero();
  }

  @Test
  void aHomeTooLargeForTheMemoryLimitFailsWithExitThreeAndChangesNothing() throws Exception {
    eval(state(), "_home.v = 1");
    StringBuilder b = new StringBuilder("{\"xs\": [");
    for (int i = 0; i < 100_000; i++) {
      b.append(i == 0 ? "" : ",").append("{\"i\":").append(i).append('}');
    }
    Cli.Run r = importFile(state(), b.append("]}").toString(), "--memory-limit", "4m");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.LIMIT);
    assertThat(r.err()).startsWith("cu: memory: ");
    assertThat(export(state())).isEqualTo("{\"v\":1}\n");
  }

  @Test
  void keysThatExportWritesAsTextComeBackAsExportWroteThem() throws Exception {
    // what export cannot tell from strings comes back as the strings it wrote
    eval(
        state(),
        "_home.fn = function() return 1 end _home.nan = 0/0 _home.keys = {[1.5] = 'f',"
            + " [true] = 'b'} _home.bytes = '\\xff'");
    String before = export(state());
    String other = dir.resolve("other").toString();
    assertThat(importFile(other, before).exit()).isZero();
    assertThat(export(other)).isEqualTo(before);
    Cli.Run types =
        Cli.run(
            "eval",
            "--state",
            other,
            "return type(_home.fn), _home.nan, _home.keys['1.5'], _home.keys['true'], _home.bytes");
    assertThat(types.out()).startsWith("string\tNaN\tf\tb\t/w==\n");
  }

  /**
   * Replays the README's example between {@code <!-- state:begin -->} and {@code <!-- state:end
   * -->}: {@code $ cu ARGS [> FILE]} and {@code $ cat FILE} lines, each followed by what it
   * prints; folders and files are made in a temporary folder.
   */
  @Test
  void theReadmeExampleRunsAsWritten() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve("README.md"))) {
      root = root.getParent();
    }
    String readme = Files.readString(root.resolve("README.md"));
    List<String> lines =
        readme
            .substring(readme.indexOf("<!-- state:begin -->"), readme.indexOf("<!-- state:end -->"))
            .lines()
            .toList();
    lines = lines.subList(2, lines.size() - 1); // the marker and ```text; the closing ```
    StringBuilder expected = new StringBuilder();
    StringBuilder actual = new StringBuilder();
    for (String line : lines) {
      if (!line.startsWith("$ ")) {
        expected.append(line).append('\n');
        continue;
      }
      List<String> words = words(line.substring(2));
      String target = null;
      if (words.size() > 2 && words.get(words.size() - 2).equals(">")) {
        target = words.get(words.size() - 1);
        words = words.subList(0, words.size() - 2);
      }
      String out;
      if (words.get(0).equals("cat")) {
        out = Files.readString(dir.resolve(words.get(1)));
      } else {
        List<String> args = new ArrayList<>();
        for (int i = 1; i < words.size(); i++) {
          String w = words.get(i);
          boolean path = w.endsWith(".json") || words.get(i - 1).equals("--state");
          args.add(path ? dir.resolve(w).toString() : w);
        }
        Cli.Run r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(line + ": " + r.err()).isZero();
        out = r.out();
      }
      if (target != null) {
        Files.writeString(dir.resolve(target), out);
      } else {
        actual.append(out);
      }
    }
    assertThat(actual.toString()).isEqualTo(expected.toString());
  }

  /** The words of a shell line: split at spaces, single quotes keeping what they hold. */
  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : line.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
        any = true;
      } else if (c == ' ' && !quoted) {
        if (any) {
          words.add(w.toString());
        }
        w.setLength(0);
        any = false;
      } else {
        w.append(c);
        any = true;
      }
    }
    if (any) {
      words.add(w.toString());
    }
    return words;
  }
}
