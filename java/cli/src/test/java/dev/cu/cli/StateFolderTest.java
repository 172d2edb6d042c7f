package dev.cu.cli;

import static dev.cu.cli.StateCli.export;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --state} folder that {@code cu state} commands find: reading one that does not
 * exist creates nothing, and a failed import leaves the folder as it was, no folder included.
 */
class StateFolderTest {
  @TempDir Path dir;

  /** The documents and options of failed imports: bad JSON, a bad $ref, two limits. */
  private static final String[][] FAILURES = {
    {"{\"a\": 1"},
    {"{\"a\": {\"$ref\": 7}}"},
    {"{\"v\": \"" + "x".repeat(2000) + "\"}", "--input-limit", "1k"},
    {bigDocument(), "--memory-limit", "4m"},
  };

  private static String bigDocument() {
    StringBuilder b = new StringBuilder("{\"xs\": [");
    for (int i = 0; i < 100_000; i++) {
      b.append(i == 0 ? "" : ",").append("{\"i\":").append(i).append('}');
    }
    return b.append("]}").toString();
  }

  @Test
  void aFailedImportIntoANewFolderLeavesNoStore() throws Exception {
    Path files = Files.createDirectory(dir.resolve("files"));
    for (String[] f : FAILURES) {
      String[] options = Arrays.copyOfRange(f, 1, f.length);
      Cli.Run r = Cli.importStdin(dir.resolve("new/deeper/state").toString(), f[0], options);
      assertThat(r.exit()).as(r.err()).isIn(ExitCode.USAGE, ExitCode.LIMIT);
      assertThat(Cli.names(dir)).as(r.err()).containsExactly("files");
      Cli.Run file = StateCli.importFile(files, dir.resolve("state").toString(), f[0], options);
      assertThat(file.exit()).as(file.err()).isIn(ExitCode.USAGE, ExitCode.LIMIT);
      assertThat(Cli.names(dir)).as(file.err()).containsExactly("files");
    }
  }

  @Test
  void aFailedImportIntoANewFolderGivenAsARelativePathLeavesNoStore() throws Exception {
    Path cwd = Path.of("").toAbsolutePath();
    String relative = cwd.relativize(dir.resolve("new/state")).toString();
    assertThat(relative).startsWith("..");
    Cli.Run r = Cli.importStdin(relative, "{\"a\": {\"$ref\": 7}}");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(Cli.names(dir)).isEmpty();
    // through a folder that is made and left again: new/.. is dir itself
    Cli.Run back = Cli.importStdin(dir.resolve("new/../state").toString(), "{\"a\": 1");
    assertThat(back.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(Cli.names(dir)).isEmpty();
  }

  @Test
  void aFailedImportIntoAnExistingFolderWithoutAStoreLeavesItAsItWas() throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Cli.Run r = Cli.importStdin(empty.toString(), "{\"a\": 1");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(Cli.names(empty)).isEmpty();
    // what was in it stays, a symbolic link and what it points to included
    Path outside = Files.createDirectory(dir.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "keep");
    Files.createSymbolicLink(empty.resolve("link"), outside);
    byte[] key = new byte[32];
    Files.write(empty.resolve("hmac.key"), key);
    Cli.Run again = Cli.importStdin(empty.toString(), "{\"a\": {\"$ref\": 7}}");
    assertThat(again.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(Cli.names(empty)).containsExactly("hmac.key", "link");
    assertThat(Files.readAllBytes(empty.resolve("hmac.key"))).isEqualTo(key);
    assertThat(Files.readString(outside.resolve("keep.txt"))).isEqualTo("keep");
    assertThat(Cli.importStdin(empty.toString(), "{\"a\": 1}").exit()).isZero();
    assertThat(export(empty.toString())).isEqualTo("{\"a\":1}\n");
  }

  @Test
  void aSuccessfulImportIntoANewFolderCreatesAReadableStore() throws Exception {
    String state = dir.resolve("new/deeper/state").toString();
    Cli.Run r = Cli.importStdin(state, "{\"a\": [1, {\"b\": true}]}");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(export(state)).isEqualTo("{\"a\":[1,{\"b\":true}]}\n");
    assertThat(Cli.run("state", "--state", state, "verify").exit()).isZero();
  }

  @Test
  void readingAMissingFolderFailsAndCreatesNothing() throws Exception {
    String state = dir.resolve("missing/state").toString();
    String[][] commands = {
      {"export"}, {"export", "--json"}, {"list"}, {"load", "x"}, {"delete", "x"}, {"verify"},
    };
    for (String[] c : commands) {
      for (String[] key : new String[][] {{}, {"--key", "a@x"}}) {
        String[] args = new String[3 + key.length + c.length];
        args[0] = "state";
        args[1] = "--state";
        args[2] = state;
        System.arraycopy(key, 0, args, 3, key.length);
        System.arraycopy(c, 0, args, 3 + key.length, c.length);
        Cli.Run r = Cli.run(args);
        String what = String.join(" ", args);
        assertThat(r.exit()).as(what + ": " + r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err())
            .as(what)
            .isEqualTo("cu: usage: no state folder " + state + ": it does not exist\n");
        assertThat(r.out()).as(what).isEmpty();
        assertThat(Cli.names(dir)).as(what).isEmpty();
      }
    }
    Cli.Run keys = Cli.run("state", "--state", state, "keys");
    assertThat(keys.exit()).isZero();
    assertThat(keys.out()).isEmpty();
    assertThat(Cli.names(dir)).isEmpty();
  }

  @Test
  void readingAFolderWithoutAStoreFailsAndCreatesNothing() throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    for (String c : new String[] {"export", "list", "verify", "load x", "delete x"}) {
      String[] args = {"state", "--state", empty.toString()};
      Cli.Run r =
          Cli.run(
              Stream.concat(Arrays.stream(args), Arrays.stream(c.split(" ")))
                  .toArray(String[]::new));
      assertThat(r.exit()).as(c + ": " + r.err()).isEqualTo(ExitCode.STORAGE);
      assertThat(r.err()).isEqualTo("cu: storage: no store in " + empty + " (no data.mdb)\n");
      assertThat(Cli.names(empty)).as(c).isEmpty();
    }
    Cli.Run keys = Cli.run("state", "--state", empty.toString(), "keys");
    assertThat(keys.exit()).isZero();
    assertThat(keys.out()).isEmpty();
    Cli.Run deleteKey = Cli.run("state", "--state", empty.toString(), "delete-key", "a@x");
    assertThat(deleteKey.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(Cli.names(empty)).isEmpty();
  }
}
