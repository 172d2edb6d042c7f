package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {
  @TempDir Path dir;

  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  String err() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aTerminalGetsABarWithTheTaskAndTheCount() throws Exception {
    try (Progress p = Progress.on(err, true, "verify", "rows", 100)) {
      p.to(0, 1000);
      p.to(500, 1000);
      Thread.sleep(450); // the bar redraws every 200 ms
    }
    assertThat(err()).contains("verify").contains("500/1000").contains("rows");
  }

  @Test
  void noTerminalOrSmallWorkGetsNothing() {
    try (Progress p = Progress.on(err, false, "verify", "rows", 100)) {
      p.to(500, 1000);
    }
    try (Progress p = Progress.on(err, true, "verify", "rows", 100)) {
      p.to(5, 10); // below the minimum
    }
    assertThat(err()).isEmpty();
  }

  @Test
  void readingALargeInputFileShowsItsProgress() throws Exception {
    Path big = dir.resolve("big.json");
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < 400_000; i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"id\":")
          .append(i)
          .append(",\"name\":\"n")
          .append(i)
          .append("\"}");
    }
    Files.writeString(big, b.append("]").toString());
    try (Progress p = Progress.on(err, true, "--input", "MiB", 1 << 20)) {
      assertThat(InputJson.read("@" + big, p).size()).isEqualTo(400_000);
      Thread.sleep(250);
    }
    assertThat(err()).contains("--input").contains("MiB");
  }

  @Test
  void anUnknownTotalShowsABarOnceTheCountReachesTheMinimum() throws Exception {
    try (Progress p = Progress.on(err, true, "import", "MiB", 100)) {
      p.to(50, -1);
      assertThat(err()).isEmpty();
      p.to(500, -1);
      Thread.sleep(250);
    }
    assertThat(err()).contains("import");
  }

  @Test
  void exportingALargeHomeShowsHowManyTablesTheWalkCopied() {
    try (dev.cu.ComputeUnit unit = dev.cu.ComputeUnit.create()) {
      unit.execute("for i = 1, 5000 do _home[i] = {i} end");
      try (Progress p = Progress.on(err, true, "export", "tables", 1000)) {
        assertThat((java.util.List<?>) HomeExport.read(unit, p)).hasSize(5000);
      }
      assertThat(err()).contains("export").contains("tables");
      bytes.reset();
      try (Progress p = Progress.on(err, false, "export", "tables", 1000)) {
        HomeExport.read(unit, p);
      }
      assertThat(err()).isEmpty();
    }
  }

  @Test
  void importingALargeFileShowsABarOnlyWhenStderrIsATerminal() throws Exception {
    Path big = dir.resolve("big.json");
    StringBuilder b = new StringBuilder("{\"s\": [");
    String chunk = "x".repeat(64 * 1024);
    for (int i = 0; i < 150; i++) { // 9.6 MB, past Progress.MIN_BYTES
      b.append(i == 0 ? "\"" : ",\"").append(chunk).append('"');
    }
    Files.writeString(big, b.append("], \"n\": 1}").toString());
    String state = dir.resolve("state").toString();
    String before = System.getProperty("cu.stderr.terminal");
    try {
      System.setProperty("cu.stderr.terminal", "false");
      Cli.Run quiet = Cli.run("state", "--state", state, "import", big.toString());
      assertThat(quiet.exit()).as(quiet.err()).isZero();
      assertThat(quiet.err()).isEmpty();
      System.setProperty("cu.stderr.terminal", "true");
      Cli.Run shown = Cli.run("state", "--state", state, "import", big.toString());
      assertThat(shown.exit()).as(shown.err()).isZero();
      assertThat(shown.err()).contains("import").contains("MiB");
      Cli.Run small = Cli.run("state", "--state", state, "export");
      assertThat(small.exit()).isZero();
      assertThat(small.err()).as("a small state shows no bar").isEmpty();
    } finally {
      if (before == null) {
        System.clearProperty("cu.stderr.terminal");
      } else {
        System.setProperty("cu.stderr.terminal", before);
      }
    }
    Cli.Run n = Cli.run("eval", "--state", state, "return #_home.s, #_home.s[150], _home.n");
    assertThat(n.out()).isEqualTo("150\t65536\t1\n");
  }
}
