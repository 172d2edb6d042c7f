package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytes of {@code cu eval CODE} reach Lua as the shell passed them. */
class RawArgsTest {
  private static final byte[] CODE = {
    'r', 'e', 't', 'u', 'r', 'n', ' ', '"', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, (byte) 0x80, '"'
  };

  @Test
  void evalPassesArgumentBytesThroughUnchanged() {
    // the JVM gives main the lossy decoding; the raw bytes come from /proc/self/cmdline
    assertThat(evalRaw("eval", "--ephemeral")).containsExactly(0xff, 0xfe, 0xc3, 0x80, '\n');
  }

  @Test
  void optionsBeforeTheCommandNameKeepTheCodesBytes() {
    assertThat(evalRaw("--ephemeral", "eval")).containsExactly(0xff, 0xfe, 0xc3, 0x80, '\n');
  }

  /**
   * Runs {@code first} and then {@link #CODE} as a process would receive them: the arguments
   * decoded lossily, their raw bytes beside them; returns stdout (the run must succeed).
   */
  private static byte[] evalRaw(String... first) {
    List<String> args = new ArrayList<>(List.of(first));
    List<byte[]> raw = new ArrayList<>();
    args.forEach(a -> raw.add(a.getBytes(StandardCharsets.UTF_8)));
    args.add(new String(CODE, StandardCharsets.UTF_8));
    raw.add(CODE);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            new Streams(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]),
                raw),
            args.toArray(String[]::new));
    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toByteArray();
  }

  @Test
  void withoutRawArgumentsEvalUsesTheStringAsUtf8() {
    Cli.Run r = Cli.run("eval", "return #'é'");
    assertThat(r.out()).isEqualTo("2\n");
  }

  @Test
  void cmdlineEntriesAreSplitAtNul() {
    List<byte[]> entries =
        RawArgs.split("java\0-cp\0x\0eval\0return 1\0".getBytes(StandardCharsets.UTF_8));
    assertThat(entries).hasSize(5);
    assertThat(new String(entries.get(4), StandardCharsets.UTF_8)).isEqualTo("return 1");
    assertThat(RawArgs.split("a\0\0b".getBytes(StandardCharsets.UTF_8))).hasSize(3);
  }

  @Test
  void theTailMatchesOnlyWhenEachEntryDecodesToItsArgument() {
    List<byte[]> entries =
        RawArgs.split(
            ("java\0Main\0eval\0" + new String(CODE, StandardCharsets.ISO_8859_1) + "\0")
                .getBytes(StandardCharsets.ISO_8859_1));
    String lossy = new String(CODE, StandardCharsets.UTF_8);
    List<byte[]> raw = RawArgs.match(entries, new String[] {"eval", lossy}, StandardCharsets.UTF_8);
    assertThat(raw).hasSize(2);
    assertThat(raw.get(1)).isEqualTo(CODE);
    // an argument that differs (say, the launcher rewrote it): not trusted at all
    assertThat(RawArgs.match(entries, new String[] {"run", lossy}, StandardCharsets.UTF_8))
        .isEmpty();
    assertThat(
            RawArgs.match(entries.subList(0, 1), new String[] {"a", "b"}, StandardCharsets.UTF_8))
        .isEmpty();
  }
}
