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
}
