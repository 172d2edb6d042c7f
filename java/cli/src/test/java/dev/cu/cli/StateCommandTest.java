package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --state}, {@code --ephemeral} and {@code cu state ...} on a temporary folder. */
class StateCommandTest {
  @TempDir Path dir;

  private String state() {
    return dir.resolve("state").toString();
  }

  @Test
  void counterExampleCountsAcrossRuns() throws Exception {
    Path counter = dir.resolve("counter.lua");
    Files.writeString(counter, "_home.count = (_home.count or 0) + 1\nreturn _home.count\n");
    assertThat(Cli.run("run", "--state", state(), counter.toString()).out()).isEqualTo("1\n");
    assertThat(Cli.run("run", "--state", state(), counter.toString()).out()).isEqualTo("2\n");
    // --ephemeral neither reads nor writes the state
    assertThat(Cli.run("run", "--ephemeral", counter.toString()).out()).isEqualTo("1\n");
    assertThat(Cli.run("run", "--state", state(), counter.toString()).out()).isEqualTo("3\n");
  }

  @Test
  void namedStatesThroughTheStateCommand() throws Exception {
    Cli.run("eval", "--state", state(), "_home.v = 'first'");
    assertThat(Cli.run("state", "--state", state(), "save", "one").exit()).isZero();
    Cli.run("eval", "--state", state(), "_home.v = 'second'");
    assertThat(Cli.run("state", "--state", state(), "list").out()).isEqualTo("one\n");
    assertThat(Cli.run("state", "--state", state(), "load", "one").exit()).isZero();
    assertThat(Cli.run("eval", "--state", state(), "return _home.v").out()).isEqualTo("first\n");
    Cli.Run export = Cli.run("state", "--state", state(), "export", "--json");
    assertThat(new ObjectMapper().readTree(export.out()).get("v").asText()).isEqualTo("first");
    assertThat(Cli.run("state", "--state", state(), "delete", "one").exit()).isZero();
    Cli.Run again = Cli.run("state", "--state", state(), "delete", "one");
    assertThat(again.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(again.err()).startsWith("cu: usage: no state named one");
  }

  @Test
  void loadingAndDeletingAMissingStateAreTheSameUsageError() {
    Cli.run("eval", "--state", state(), "_home.v = 1");
    Cli.Run load = Cli.run("state", "--state", state(), "load", "nope");
    Cli.Run delete = Cli.run("state", "--state", state(), "delete", "nope");
    assertThat(load.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(delete.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(load.err()).startsWith("cu: usage: no state named nope");
    assertThat(delete.err()).isEqualTo(load.err());
    // the current state is untouched
    assertThat(Cli.run("eval", "--state", state(), "return _home.v").out()).isEqualTo("1\n");
  }

  @Test
  void badStateNamesAreUsageErrorsThatSayWhy() {
    for (String bad : new String[] {"../x", "", "a/b", "x".repeat(65), "sp ace", "é"}) {
      for (String command : new String[] {"save", "load", "delete"}) {
        Cli.Run r = Cli.run("state", "--state", state(), command, bad);
        assertThat(r.exit()).as(command + " " + bad).isEqualTo(ExitCode.USAGE);
        assertThat(r.err())
            .as(command + " " + bad)
            .startsWith("cu: usage: bad state name '" + bad + "': a name is 1 to 64 characters");
      }
    }
    assertThat(Files.exists(dir.resolve("x"))).isFalse();
    assertThat(Cli.run("state", "--state", state(), "save", "x".repeat(64)).exit()).isZero();
    assertThat(Cli.run("state", "--state", state(), "save", "a-b_c.1").exit()).isZero();
  }

  @Test
  void stateSubcommandsShowTheirHelp() {
    Cli.Run r = Cli.run("state", "export", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--output-limit", "{\"$ref\": 1}");
    assertThat(Cli.run("state", "load", "--help").out()).contains("NAME");
  }

  @Test
  void ephemeralWithStateIsAUsageError() {
    Cli.Run r = Cli.run("eval", "--ephemeral", "--state", state(), "return 1");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).startsWith("cu: usage: --ephemeral and --state cannot be used together");
    assertThat(r.out()).isEmpty();
    assertThat(Files.exists(dir.resolve("state"))).isFalse();
  }

  @Test
  void exportOfCyclicHomeValueSucceeds() throws Exception {
    Cli.Run stored =
        Cli.run(
            "eval",
            "--state",
            state(),
            "local a = {name = 'a'} a.self = a _home.a = a _home.list = {_home.a, _home.a}");
    assertThat(stored.exit()).as(stored.err()).isZero();
    Cli.Run r = Cli.run("state", "--state", state(), "export", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).doesNotContain("\n  ");
    assertCyclicHome(new ObjectMapper().readTree(r.out()));
    Cli.Run pretty = Cli.run("state", "--state", state(), "export");
    assertThat(pretty.exit()).as(pretty.err()).isZero();
    assertThat(pretty.out()).contains("\n  ");
    assertCyclicHome(new ObjectMapper().readTree(pretty.out()));
  }

  @Test
  void exportWritesBigintsAsExactJsonNumbers() throws Exception {
    Cli.Run stored =
        Cli.run(
            "eval",
            "--state",
            state(),
            "local bigint = require('bigint') _home.big = bigint.new(2) ^ 100"
                + " _home.t = {neg = -bigint.new(2) ^ 64, small = bigint.new(7)}");
    assertThat(stored.exit()).as(stored.err()).isZero();
    Cli.Run r = Cli.run("state", "--state", state(), "export", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("1267650600228229401496703205376");
    JsonNode home = new ObjectMapper().readTree(r.out());
    assertThat(home.get("big").isIntegralNumber()).isTrue();
    assertThat(home.get("big").bigIntegerValue()).isEqualTo(java.math.BigInteger.TWO.pow(100));
    assertThat(home.get("t").get("neg").bigIntegerValue())
        .isEqualTo(java.math.BigInteger.TWO.pow(64).negate());
    assertThat(home.get("t").get("small").asLong()).isEqualTo(7L);
  }

  @Test
  void exportKeepsEmptyArraysAndNulls() throws Exception {
    Cli.Run stored =
        Cli.run(
            "eval",
            "--state",
            state(),
            "--input",
            "{\"xs\": [], \"ys\": [1, null]}",
            "local json = require('json') _home.xs = _io.input.xs _home.ys = _io.input.ys"
                + " _home.zs = json.array({}) _home.m = {}");
    assertThat(stored.exit()).as(stored.err()).isZero();
    Cli.Run r = Cli.run("state", "--state", state(), "export", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode home = new ObjectMapper().readTree(r.out());
    assertThat(home.get("xs").toString()).isEqualTo("[]");
    assertThat(home.get("ys").toString()).isEqualTo("[1,null]");
    assertThat(home.get("zs").toString()).isEqualTo("[]");
    assertThat(home.get("m").toString()).isEqualTo("{}");
  }

  /** _home.a = a (a.self = a), _home.list = {a, a}: a written once, everything else a $ref. */
  private static void assertCyclicHome(JsonNode home) {
    // whichever key comes first (next order) holds the table; every other occurrence refers to it
    JsonNode a = home.get("a").has("name") ? home.get("a") : home.get("list").get(0);
    int id = a.get("$id").asInt();
    assertThat(a.get("name").asText()).isEqualTo("a");
    assertThat(a.get("self").get("$ref").asInt()).isEqualTo(id);
    assertThat(home.findValues("$ref")).hasSize(3).allMatch(ref -> ref.asInt() == id);
    assertThat(home.findValues("$id")).hasSize(1);
  }

  @Test
  void exportOfSixtyLevelDagIsSmallAndQuick() {
    Cli.run(
        "eval", "--state", state(), "local t = {} for i = 1, 60 do t = {t, t} end _home.dag = t");
    long t0 = System.nanoTime();
    Cli.Run r = Cli.run("state", "--state", state(), "export", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(System.nanoTime() - t0).isLessThan(10_000_000_000L);
    assertThat(r.out().length()).isLessThan(10_000);
    assertThat(r.out()).startsWith("{\"dag\":[{\"$id\":1,\"$values\":[{\"$id\":2,");
  }

  @Test
  void exportOfHomeNestedDeeperThanTheCodecLimitSucceeds() throws Exception {
    // each level is its own write, so _home takes any depth; export must print it
    Cli.Run stored =
        Cli.run(
            "eval",
            "--state",
            state(),
            "local n = _home for i = 1, 5000 do n.x = {i = i} n = n.x end");
    assertThat(stored.exit()).as(stored.err()).isZero();
    Cli.Run r = Cli.run("state", "--state", state(), "export", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("{\"x\":{").endsWith("}\n").doesNotContain("$ref");
    ObjectMapper deep =
        new ObjectMapper(
            JsonFactory.builder()
                .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(10_000).build())
                .build());
    JsonNode node = deep.readTree(r.out());
    for (int i = 1; i <= 5000; i++) {
      node = node.get("x");
      assertThat(node.get("i").asInt()).isEqualTo(i);
    }
    assertThat(node.has("x")).isFalse();
  }

  @Test
  void exportKeepsStoredValuesOfEveryKind() throws Exception {
    Cli.run(
        "eval",
        "--state",
        state(),
        "_home.s = 'str' _home.f = 1.5 _home.i = 7"
            + " _home.b = false _home.e = {} _home.seq = {1, 'two', {3}} _home[1] = 'one'"
            + " _home.fn = function() return 1 end");
    Cli.Run r = Cli.run("state", "--state", state(), "export", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode home = new ObjectMapper().readTree(r.out());
    assertThat(home.get("s").asText()).isEqualTo("str");
    assertThat(home.get("f").asDouble()).isEqualTo(1.5);
    assertThat(home.get("i").asLong()).isEqualTo(7);
    assertThat(home.get("b").asBoolean()).isFalse();
    assertThat(home.get("e").toString()).isEqualTo("{}");
    assertThat(home.get("seq").toString()).isEqualTo("[1,\"two\",[3]]");
    assertThat(home.get("1").asText()).isEqualTo("one");
    assertThat(home.get("fn").asText()).startsWith("function: ");
  }

  @Test
  void exportOfAnEmptyHomeIsAnEmptyObject() {
    assertThat(Cli.run("eval", "--state", state(), "return 1").exit()).isZero();
    Cli.Run r = Cli.run("state", "--state", state(), "export", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("{}\n");
  }

  @Test
  void exportPastTheOutputLimitPrintsNothingAndExitsThree() {
    Cli.run("eval", "--state", state(), "_home.big = string.rep('x', 5000)");
    Cli.Run r = Cli.run("state", "--state", state(), "export", "--output-limit", "1k");
    assertThat(r.exit()).isEqualTo(ExitCode.LIMIT);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("cu: output: output exceeds --output-limit of 1024 bytes\n");
    assertThat(Cli.run("state", "--state", state(), "export", "--output-limit", "8k").exit())
        .isZero();
  }

  @Test
  void aStateFolderThatCannotBeCreatedIsAStorageError() throws Exception {
    Path file = dir.resolve("plain-file");
    Files.writeString(file, "not a folder");
    Cli.Run r = Cli.run("eval", "--state", file.toString(), "return 1");
    assertThat(r.exit()).isEqualTo(ExitCode.STORAGE);
    assertThat(r.err()).startsWith("cu: storage: ");
  }
}
