package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Output as a bounded resource: sharing kept in every printer, and --output-limit. */
class SharedOutputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DAG = "local t = {} for i = 1, 60 do t = {t, t} end return t";

  @Test
  void evalOfSixtyLevelDagPrintsSharingQuickly() {
    long t0 = System.nanoTime();
    Cli.Run r = Cli.run("eval", DAG);
    assertThat(System.nanoTime() - t0).isLessThan(10_000_000_000L);
    assertThat(r.exit()).as(r.err()).isZero();
    // the outermost table occurs once; each inner one is written once, then referred to
    assertThat(r.out()).startsWith("[{\"$id\":1,\"$values\":[{\"$id\":2,\"$values\":[");
    assertThat(r.out())
        .contains("{\"$id\":60},{\"$ref\":60}")
        .endsWith("{\"$ref\":2}]},{\"$ref\":1}]\n");
    assertThat(r.out().length()).isLessThan(5_000);
  }

  @Test
  void jsonOfSixtyLevelDagKeepsSharingInValueAndValues() throws Exception {
    Cli.Run r = Cli.run("eval", "--json", DAG);
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode line = JSON.readTree(r.out());
    // ids count separately in value and values: both read the same
    assertThat(line.get("values").get(0)).isEqualTo(line.get("value"));
    assertThat(line.get("value").get(0).get("$id").asInt()).isEqualTo(1);
    assertThat(line.get("value").get(1).get("$ref").asInt()).isEqualTo(1);
    assertThat(r.out().length()).isLessThan(10_000);
  }

  @Test
  void runOfDagIoOutputKeepsSharing() throws Exception {
    Cli.Run r =
        Cli.runWithInput("local s = {1} _io.output = {s, s} return s", "run", "--json", "-");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(JSON.readTree(r.out()).get("io").toString())
        .isEqualTo("{\"output\":[{\"$id\":1,\"$values\":[1]},{\"$ref\":1}]}");
  }

  @Test
  void sharedMapGetsItsIdAsFirstMember() {
    assertThat(Cli.run("eval", "local m = {x = 1} return {m, m, {}}").out())
        .isEqualTo("[{\"$id\":1,\"x\":1},{\"$ref\":1},{}]\n");
  }

  @Test
  void treeShapedValuesPrintExactlyAsBefore() {
    assertThat(Cli.run("eval", "return {1, {a = {2, 3}}, {}}").out())
        .isEqualTo("[1,{\"a\":[2,3]},{}]\n");
    assertThat(Cli.run("eval", "--json", "return {1, {a = 'b'}}").out())
        .isEqualTo(
            "{\"value\":[1,{\"a\":\"b\"}],\"values\":[[1,{\"a\":\"b\"}]],\"output\":\"\","
                + "\"io\":{\"output\":null}}\n");
  }

  @Test
  void keysThatLookLikeMarkersGetOneMoreDollar() {
    assertThat(Cli.run("eval", "return {['$ref'] = 1}").out()).isEqualTo("{\"$$ref\":1}\n");
    assertThat(Cli.run("eval", "return {['$$id'] = 1}").out()).isEqualTo("{\"$$$id\":1}\n");
    assertThat(Cli.run("eval", "return {['$values'] = 1}").out()).isEqualTo("{\"$$values\":1}\n");
    assertThat(Cli.run("eval", "return {['$schema'] = 1}").out()).isEqualTo("{\"$schema\":1}\n");
    assertThat(Cli.run("eval", "return {['$idx'] = 2}").out()).isEqualTo("{\"$idx\":2}\n");
  }

  @Test
  void aCycleFromEvalIsStillALuaError() {
    // compute results stay acyclic in the library; only stored state (export) has cycles
    Cli.Run r = Cli.run("eval", "local t = {} t.self = t return t");
    assertThat(r.exit()).isEqualTo(ExitCode.LUA_ERROR);
    assertThat(r.err()).contains("cycle");
  }

  @Test
  void printerWritesACycleAsAReferenceToItsOwnId() {
    Map<Object, Object> a = new LinkedHashMap<>();
    List<Object> list = new ArrayList<>();
    a.put("self", a);
    a.put("list", list);
    list.add(list);
    list.add(a);
    assertThat(JsonFormat.toJson(a))
        .isEqualTo(
            "{\"$id\":1,\"self\":{\"$ref\":1},\"list\":{\"$id\":2,\"$values\":[{\"$ref\":2},"
                + "{\"$ref\":1}]}}");
  }

  @Test
  void hugeResultPastTheOutputLimitPrintsNothingAndExitsThree() {
    Cli.Run r = Cli.run("eval", "--output-limit", "1k", "return string.rep('x', 2000)");
    assertThat(r.exit()).isEqualTo(ExitCode.LIMIT);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("cu: output: output exceeds --output-limit of 1024 bytes\n");
    Cli.Run json =
        Cli.run(
            "eval",
            "--json",
            "--output-limit",
            "1k",
            "local t = {} for i = 1, 500 do t[i] = i end return t");
    assertThat(json.exit()).isEqualTo(ExitCode.LIMIT);
    assertThat(json.out()).isEmpty();
    Cli.Run table =
        Cli.run(
            "eval", "--output-limit", "1k", "local t = {} for i = 1, 500 do t[i] = i end return t");
    assertThat(table.exit()).isEqualTo(ExitCode.LIMIT);
    assertThat(table.out()).isEmpty();
  }

  @Test
  void outputExactlyAtTheLimitIsAllowed() {
    // 1023 characters and the newline: 1024 bytes
    Cli.Run r = Cli.run("eval", "--output-limit", "1k", "return string.rep('x', 1023)");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.outBytes()).hasSize(1024);
    assertThat(Cli.run("eval", "--output-limit", "1k", "return string.rep('x', 1024)").exit())
        .isEqualTo(ExitCode.LIMIT);
  }

  @Test
  void printedLinesCountTowardTheOutputLimit() {
    Cli.Run r =
        Cli.run(
            "eval",
            "--output-limit",
            "100",
            "for i = 1, 1000 do print(string.rep('y', 9)) end return 'done'");
    assertThat(r.exit()).isEqualTo(ExitCode.LIMIT);
    assertThat(r.out()).hasSize(100).doesNotContain("done");
    assertThat(r.err()).isEqualTo("cu: output: output exceeds --output-limit of 100 bytes\n");
  }

  @Test
  void printPastTheLimitInsidePcallStillFailsTheRun() {
    Cli.Run r =
        Cli.run("eval", "--output-limit", "20", "for i = 1, 10 do pcall(print, 'zzzzzzzzz') end");
    assertThat(r.exit()).isEqualTo(ExitCode.LIMIT);
    assertThat(r.out()).hasSize(20);
  }

  @Test
  void outputLimitZeroMeansNone() {
    Cli.Run r = Cli.run("eval", "--output-limit", "0", "return string.rep('x', 300000)");
    assertThat(r.exit()).isZero();
    assertThat(r.outBytes()).hasSize(300001);
  }

  @Test
  void sharedTableInAnErrorValueIsWrittenOnce() {
    Cli.Run r = Cli.run("eval", "local t = {} for i = 1, 60 do t = {t, t} end error(t)");
    assertThat(r.exit()).isEqualTo(ExitCode.LUA_ERROR);
    assertThat(r.err()).contains("{\"$ref\":1}").hasSizeLessThan(10_000);
  }

  @Test
  void hugeErrorValueIsNotWrittenToStderr() {
    Cli.Run r = Cli.run("eval", "error({string.rep('x', 100000)})");
    assertThat(r.exit()).isEqualTo(ExitCode.LUA_ERROR);
    assertThat(r.err())
        .isEqualTo(
            "cu: runtime: (error object is a table value) (error value not"
                + " shown: its JSON is longer than 65536 bytes)\n");
    assertThat(Cli.run("eval", "error({code = 7})").err())
        .isEqualTo("cu: runtime: (error object is a table value) {\"code\":7}\n");
  }
}
