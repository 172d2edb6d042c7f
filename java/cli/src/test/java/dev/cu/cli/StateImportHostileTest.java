package dev.cu.cli;

import static dev.cu.cli.StateCli.eval;
import static dev.cu.cli.StateCli.export;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cu state import} against values export writes that the first tests did not try, and
 * against failures late in a large document.
 */
class StateImportHostileTest {
  @TempDir Path dir;

  private String state() {
    return dir.resolve("state").toString();
  }

  private String other() {
    return dir.resolve("other").toString();
  }

  private Cli.Run importFile(String state, String json, String... options) throws Exception {
    return StateCli.importFile(dir, state, json, options);
  }

  /** Export then import into a fresh folder, which must export the same bytes. */
  private void roundTrips() throws Exception {
    String before = export(state());
    Cli.Run r = importFile(other(), before);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(export(other())).isEqualTo(before);
  }

  @Test
  void aBigintBeyondSixtyFourBitsComesBackABigint() throws Exception {
    // export writes a bigint's every digit; import refused any integer beyond 64 bits
    eval(
        state(),
        "local bigint = require('bigint') _home.big = bigint.new(2) ^ 100"
            + " _home.neg = -bigint.new(2) ^ 70 _home.xs = {bigint.new(10) ^ 40}"
            + " _home.huge = bigint.new(7) ^ 5000");
    roundTrips();
    Cli.Run types =
        Cli.run(
            "eval",
            "--state",
            other(),
            "local bigint = require('bigint') return bigint.isbigint(_home.big),"
                + " tostring(_home.big + 1), bigint.isbigint(_home.xs[1]),"
                + " _home.huge == bigint.new(7) ^ 5000");
    assertThat(types.out()).isEqualTo("true\t1267650600228229401496703205377\ttrue\ttrue\n");
  }

  @Test
  void aKeyLongerThanFiftyThousandCharactersRoundTrips() throws Exception {
    // Jackson's default limit on a member name (50,000) stopped keys export writes
    eval(state(), "_home[string.rep('k', 60000)] = 1 _home.t = {[string.rep('é', 30000)] = 2}");
    roundTrips();
  }

  @Test
  void numbersAtTheirEdgesRoundTrip() throws Exception {
    eval(
        state(),
        "_home.z = -0.0 _home.h = 1e300 _home.t = 5e-324 _home.m = math.mininteger"
            + " _home.M = math.maxinteger _home.f = 2^63"
            + " _home.e = {{}, {{}}} _home.n = {require('json').null}");
    roundTrips();
    Cli.Run types =
        Cli.run(
            "eval",
            "--state",
            other(),
            "return 1 / _home.z, math.type(_home.f), _home.m == math.mininteger");
    assertThat(types.out()).isEqualTo("-inf\tfloat\ttrue\n");
  }

  @Test
  void aFailureAfterManyBatchesChangesNothingAndLeavesNoStagingKey() throws Exception {
    eval(state(), "_home.v = {1, 2} _home[0.5] = 'mine'");
    String before = export(state());
    StringBuilder b = new StringBuilder("{\"xs\": [");
    for (int i = 0; i < 30_000; i++) {
      b.append(i == 0 ? "" : ",").append("{\"i\":").append(i).append(",\"s\":\"x\"}");
    }
    String good = b.append("], \"v\": 3}").toString();
    String[] bad = {
      good.substring(0, good.length() - 1) + ", \"r\": {\"$ref\": 9}}",
      good.substring(0, good.length() - 1),
      good + " x",
    };
    for (String doc : bad) {
      for (String[] options : new String[][] {{}, {"--merge"}}) {
        Cli.Run r = importFile(state(), doc, options);
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(export(state())).isEqualTo(before);
      }
    }
    Cli.Run piped =
        Cli.runWithInput(good, "state", "--state", state(), "import", "--input-limit", "100k", "-");
    assertThat(piped.exit()).as(piped.err()).isEqualTo(ExitCode.LIMIT);
    assertThat(piped.err())
        .isEqualTo(
            "cu: input: standard input is larger than --input-limit of 102400 bytes;"
                + " nothing imported\n");
    assertThat(export(state())).isEqualTo(before);
    assertThat(importFile(state(), good, "--merge").exit()).isZero();
    Cli.Run kept = Cli.run("eval", "--state", state(), "return _home[0.5], _home[1.5], #_home.xs");
    assertThat(kept.out()).isEqualTo("mine\tnil\t30000\n");
  }

  @Test
  void exportPipedIntoImportOfTheSameStateDoesNotWaitForItself() throws Exception {
    // export held the state while it wrote; import, holding the pipe's start, waited for the
    // state: once the export passed the pipe's buffer each waited for the other until the lock
    // timeout failed the import (cu state export | sed ... | cu state import -)
    eval(state(), "_home.xs = {} for i = 1, 5000 do _home.xs[i] = 'value ' .. i end");
    String before = export(state());
    PipedInputStream in = new PipedInputStream(1024);
    PipedOutputStream pipe = new PipedOutputStream(in);
    ByteArrayOutputStream exportErr = new ByteArrayOutputStream();
    ByteArrayOutputStream importErr = new ByteArrayOutputStream();
    int[] exits = {-1, -1};
    Thread exporter =
        new Thread(
            () -> {
              try (PrintStream out = new PrintStream(pipe, true, StandardCharsets.UTF_8)) {
                exits[0] =
                    Main.run(
                        new Streams(
                            out,
                            new PrintStream(exportErr, true, StandardCharsets.UTF_8),
                            new ByteArrayInputStream(new byte[0])),
                        "state",
                        "--state",
                        state(),
                        "export",
                        "--json");
              }
            });
    Thread importer =
        new Thread(
            () ->
                exits[1] =
                    Main.run(
                        new Streams(
                            new PrintStream(new ByteArrayOutputStream()),
                            new PrintStream(importErr, true, StandardCharsets.UTF_8),
                            in),
                        "state",
                        "--state",
                        state(),
                        "--lock-timeout",
                        "3s",
                        "import",
                        "-"));
    exporter.start();
    importer.start();
    importer.join(60_000);
    exporter.join(60_000);
    assertThat(exits[0]).as(exportErr.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(exits[1]).as(importErr.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(export(state())).isEqualTo(before);
  }

  @Test
  void anExportThatCannotBeWrittenFails() {
    // a PrintStream swallows a failed write: cu state export > full-disk exited 0, the backup
    // incomplete
    eval(state(), "_home.v = string.rep('x', 100000)");
    java.io.OutputStream full =
        new java.io.OutputStream() {
          @Override
          public void write(int b) throws java.io.IOException {
            throw new java.io.IOException("No space left on device");
          }
        };
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            new Streams(
                new PrintStream(full, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0])),
            "state",
            "--state",
            state(),
            "export");
    assertThat(exit).isEqualTo(ExitCode.LUA_ERROR);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("cu: runtime: cannot write the export to standard output; it is incomplete\n");
  }
}
