package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class EvalCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void printLinesComeBeforeTheResultInOrder() {
    Cli.Run r = Cli.run("eval", "print('a') print('b', 2) print('c\\nd') return 'done'");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("a\nb\t2\nc\nd\ndone\n");
  }

  @Test
  void printLinesAreStreamedBeforeTheChunkEnds() {
    // the chunk never returns: its line can only reach stdout if it was streamed live
    Cli.Run r = Cli.run("eval", "--time-limit", "200ms", "print('first') while true do end");
    assertThat(r.exit()).isEqualTo(ExitCode.LIMIT);
    assertThat(r.out()).isEqualTo("first\n");
    assertThat(r.err()).startsWith("cu: timeout: ");
  }

  @Test
  void scalarsRenderAsLuaPrintsThem() {
    assertThat(Cli.run("eval", "return 3.0").out()).isEqualTo("3.0\n");
    assertThat(Cli.run("eval", "return 0.1").out()).isEqualTo("0.1\n");
    assertThat(Cli.run("eval", "return 1/3").out()).isEqualTo("0.33333333333333\n");
    assertThat(Cli.run("eval", "return 2^53").out()).isEqualTo("9.007199254741e+15\n");
    assertThat(Cli.run("eval", "return 0/0").out()).isEqualTo("-nan\n");
    assertThat(Cli.run("eval", "return -(0/0)").out()).isEqualTo("nan\n");
    assertThat(Cli.run("eval", "return math.huge").out()).isEqualTo("inf\n");
    assertThat(Cli.run("eval", "return -math.huge").out()).isEqualTo("-inf\n");
    assertThat(Cli.run("eval", "return math.mininteger").out()).isEqualTo("-9223372036854775808\n");
    assertThat(Cli.run("eval", "return 1 < 2").out()).isEqualTo("true\n");
    assertThat(Cli.run("eval", "return 'héllo'").out()).isEqualTo("héllo\n");
    assertThat(Cli.run("eval", "return print").out())
        .matches("function: (builtin: )?0x\\p{XDigit}+\\n");
  }

  @Test
  void nonUtf8StringsAreWrittenAsRawBytes() {
    Cli.Run r = Cli.run("eval", "return '\\xff\\xfe'");
    assertThat(r.exit()).isZero();
    assertThat(r.outBytes()).containsExactly(0xff, 0xfe, '\n');
  }

  @Test
  void tablesRenderAsJson() {
    assertThat(Cli.run("eval", "return {1, 2, {a = 'x'}}").out())
        .isEqualTo("[1,2,{\"a\":\"x\"}]\n");
    assertThat(Cli.run("eval", "return {[1.5] = true, n = 0/0}").out())
        .satisfiesAnyOf(
            s -> assertThat(s).isEqualTo("{\"1.5\":true,\"n\":\"NaN\"}\n"),
            s -> assertThat(s).isEqualTo("{\"n\":\"NaN\",\"1.5\":true}\n"));
  }

  @Test
  void bigintsPrintAsTheirDigitsAndAsJsonNumbers() {
    String two100 = "1267650600228229401496703205376";
    assertThat(Cli.run("eval", "return require('bigint').new(2) ^ 100").out())
        .isEqualTo(two100 + "\n");
    assertThat(Cli.run("eval", "return -require('bigint').new(2) ^ 100").out())
        .isEqualTo("-" + two100 + "\n");
    assertThat(Cli.run("eval", "return {n = require('bigint').new(2) ^ 100, s = 'x'}").out())
        .satisfiesAnyOf(
            s -> assertThat(s).isEqualTo("{\"n\":" + two100 + ",\"s\":\"x\"}\n"),
            s -> assertThat(s).isEqualTo("{\"s\":\"x\",\"n\":" + two100 + "}\n"));
    Cli.Run in =
        Cli.run(
            "eval",
            "--input",
            "{\"n\": " + two100 + "}",
            "return getmetatable(_io.input.n) .. ' ' .. tostring(_io.input.n + 1)");
    assertThat(in.exit()).as(in.err()).isZero();
    assertThat(in.out()).isEqualTo("bigint 1267650600228229401496703205377\n");
  }

  @Test
  void nilResultPrintsNothing() {
    assertThat(Cli.run("eval", "local x = 1").out()).isEmpty();
    Cli.Run r = Cli.run("eval", "print('only') return nil");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("only\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void allOfSeveralValuesArePrintedSeparatedByTabs() {
    assertThat(Cli.run("eval", "return 1, 2, 'three'").out()).isEqualTo("1\t2\tthree\n");
    assertThat(Cli.run("eval", "return 1, 2, 3").out()).isEqualTo("1\t2\t3\n");
  }

  @Test
  void nilAmongSeveralValuesPrintsAsNil() {
    assertThat(Cli.run("eval", "return nil, 1.5, nil").out()).isEqualTo("nil\t1.5\tnil\n");
    assertThat(Cli.run("eval", "return nil, nil").out()).isEqualTo("nil\tnil\n");
  }

  @Test
  void tablesAndRawBytesAmongSeveralValuesPrintAsAlone() {
    Cli.Run r = Cli.run("eval", "return {1, {a = true}}, '\\xff', 2^53, print");
    assertThat(r.exit()).isZero();
    byte[] out = r.outBytes();
    String text = new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(text).startsWith("[1,{\"a\":true}]\t\u00ff\t9.007199254741e+15\tfunction: ");
    assertThat(text).endsWith("\n");
    assertThat(text.lines()).hasSize(1);
  }

  @Test
  void severalValuesPastTheOutputLimitPrintNothing() {
    Cli.Run r = Cli.run("eval", "--output-limit", "10", "return 'abcde', 'fghij'");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void jsonIsOneLineWithValueValuesAndOutput() throws Exception {
    Cli.Run r = Cli.run("eval", "--json", "print('hi') print('there') return 1, 2.5, {x = {true}}");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).endsWith("\n");
    assertThat(r.out().lines()).hasSize(1);
    JsonNode root = JSON.readTree(r.out());
    assertThat(root.fieldNames()).toIterable().containsExactly("value", "values", "output", "io");
    assertThat(root.get("output").asText()).isEqualTo("hi\nthere\n");
    assertThat(root.get("value").get("x").get(0).booleanValue()).isTrue();
    assertThat(root.get("values")).hasSize(3);
    assertThat(root.get("values").get(0).isIntegralNumber()).isTrue();
    assertThat(root.get("values").get(1).doubleValue()).isEqualTo(2.5);
  }

  @Test
  void jsonHandlesNonFiniteFloatsKeysAndBytes() throws Exception {
    Cli.Run r =
        Cli.run(
            "eval",
            "--json",
            "return {0/0, math.huge, -math.huge}, {[1] = 'a', [3] = 'c', [true] = 1}, '\\xff'");
    assertThat(r.exit()).isZero();
    JsonNode values = JSON.readTree(r.out()).get("values");
    assertThat(values.get(0).toString()).isEqualTo("[\"NaN\",\"Infinity\",\"-Infinity\"]");
    JsonNode map = values.get(1);
    assertThat(map.get("1").asText()).isEqualTo("a");
    assertThat(map.get("3").asText()).isEqualTo("c");
    assertThat(map.get("true").asInt()).isEqualTo(1);
    assertThat(values.get(2).asText()).isEqualTo("/w==");
  }

  @Test
  void jsonKeepsNilValuesAsNull() throws Exception {
    Cli.Run r = Cli.run("eval", "--json", "return 1, nil");
    assertThat(r.exit()).isZero();
    JsonNode root = JSON.readTree(r.out());
    assertThat(root.get("value").isNull()).isTrue();
    assertThat(root.get("values").toString()).isEqualTo("[1,null]");
    assertThat(root.get("output").asText()).isEmpty();
  }

  @Test
  void jsonOfNoValues() throws Exception {
    Cli.Run r = Cli.run("eval", "--json", "local x = 1");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .isEqualTo("{\"value\":null,\"values\":[],\"output\":\"\",\"io\":{\"output\":null}}\n");
  }

  @Test
  void inputSetsIoInputAndJsonReportsIoOutput() throws Exception {
    Cli.Run r =
        Cli.run(
            "eval",
            "--json",
            "--input",
            "{\"x\": 7, \"items\": [1, 2.5]}",
            "_io.output = {product = _io.input.x * 6, second = _io.input.items[2]} return 1");
    assertThat(r.exit()).isZero();
    JsonNode io = JSON.readTree(r.out()).get("io").get("output");
    assertThat(io.get("product").asLong()).isEqualTo(42);
    assertThat(io.get("second").asDouble()).isEqualTo(2.5);
  }

  @Test
  void inputFromFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path f = dir.resolve("in.json");
    java.nio.file.Files.writeString(f, "[10, 20, 30]");
    Cli.Run r =
        Cli.run(
            "eval",
            "--input",
            "@" + f,
            "local s = 0 for _, v in ipairs(_io.input) do s = s + v end return s");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("60\n");
  }

  @Test
  void invalidInputIsAUsageError() {
    Cli.Run r = Cli.run("eval", "--input", "{oops", "return 1");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("cu: usage: --input is not valid JSON");
    Cli.Run missing = Cli.run("eval", "--input", "@/nonexistent/in.json", "return 1");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).startsWith("cu: usage: cannot read --input file");
  }

  @Test
  void syntaxErrorExitsOne() {
    Cli.Run r = Cli.run("eval", "return 1 +");
    assertThat(r.exit()).isEqualTo(ExitCode.LUA_ERROR);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("cu: syntax: eval:1: unexpected symbol near <eof>\n");
  }

  @Test
  void runtimeErrorExitsOne() {
    Cli.Run r = Cli.run("eval", "error('boom')");
    assertThat(r.exit()).isEqualTo(ExitCode.LUA_ERROR);
    assertThat(r.err()).isEqualTo("cu: runtime: eval:1: boom\n");
  }

  @Test
  void tableErrorValueIsShownAsJson() {
    Cli.Run r = Cli.run("eval", "error({code = 7})");
    assertThat(r.exit()).isEqualTo(ExitCode.LUA_ERROR);
    assertThat(r.err()).isEqualTo("cu: runtime: (error object is a table value) {\"code\":7}\n");
  }

  @Test
  void jsonModeWritesNothingToStdoutOnError() {
    Cli.Run r = Cli.run("eval", "--json", "print('lost') error('boom')");
    assertThat(r.exit()).isEqualTo(ExitCode.LUA_ERROR);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("cu: runtime: eval:1: boom\n");
  }

  @Test
  void timeLimitExitsThree() {
    long t0 = System.nanoTime();
    Cli.Run r = Cli.run("eval", "--time-limit", "100ms", "while true do end");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.exit()).isEqualTo(ExitCode.LIMIT);
    assertThat(r.err()).startsWith("cu: timeout: ");
    assertThat(ms).isLessThan(5_000);
  }

  @Test
  void cpuLimitExitsThreeWithTheCpuTimeMessage() {
    Cli.Run r = Cli.run("eval", "--cpu-limit", "100ms", "while true do end");
    assertThat(r.exit()).isEqualTo(ExitCode.LIMIT);
    assertThat(r.err()).isEqualTo("cu: timeout: cpu time limit exceeded\n");
  }

  @Test
  void cpuLimitTakesTheDurationSyntaxOfTimeLimit() {
    Cli.Run r = Cli.run("eval", "--cpu-limit", "1m", "return 1");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("1\n");
    Cli.Run bad = Cli.run("eval", "--cpu-limit", "soon", "return 1");
    assertThat(bad.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(bad.err()).startsWith("cu: usage: ").contains("invalid duration 'soon'");
  }

  @Test
  void instructionLimitExitsThree() {
    Cli.Run r = Cli.run("eval", "--instruction-limit", "10000", "while true do end");
    assertThat(r.exit()).isEqualTo(ExitCode.LIMIT);
    assertThat(r.err()).startsWith("cu: timeout: ").contains("instruction");
  }

  @Test
  void memoryLimitExitsThree() {
    Cli.Run r =
        Cli.run("eval", "--memory-limit", "16m", "local t = {} for i = 1, 1e8 do t[i] = i end");
    assertThat(r.exit()).isEqualTo(ExitCode.LIMIT);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("cu: memory: ");
  }

  @Test
  void memoryLimitAllowsWhatFits() {
    Cli.Run r =
        Cli.run(
            "eval",
            "--memory-limit",
            "16m",
            "local t = {} for i = 1, 1000 do t[i] = i end return #t");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("1000\n");
  }
}
