package dev.cu.cli;

import static dev.cu.cli.StateCli.export;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code cu state import} into a {@code --state} folder whose entries, or whose path, are not
 * what a store made: symbolic links, a key file or data file that is no file, a folder reached
 * through links. Such a folder gets a clear storage error naming what the user gave, before
 * anything is read or made; a usable one gets a store every later command uses, and the secret
 * key never becomes readable by others.
 */
class StateImportFolderEntriesTest {
  @TempDir Path dir;

  private final ExecutorService importer = Executors.newSingleThreadExecutor();

  private static final byte[] KEY = new byte[32];

  static {
    for (int i = 0; i < KEY.length; i++) {
      KEY[i] = (byte) (5 * i + 3);
    }
  }

  @AfterEach
  void stop() {
    importer.shutdownNow();
  }

  /** The paths under the test's folder that name a staging folder. */
  private List<Path> stagingFolders() throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> p.getFileName().toString().contains(".import-")).toList();
    }
  }

  private static void mkfifo(Path p) throws Exception {
    Process mk;
    try {
      mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    } catch (IOException e) {
      Assumptions.abort("no mkfifo here: " + e);
      return;
    }
    Assumptions.assumeTrue(mk.waitFor() == 0 && Files.exists(p), "mkfifo failed");
  }

  /**
   * An entry of an existing folder without a store that no store can use: the key file or the
   * data file as a link to nothing, a folder, a named pipe; LMDB's lock file as a folder, the
   * folder of namespace locks as a file. The import refuses it at once with a storage error
   * naming the entry as given, never hangs on the pipe, never puts a store no command can open
   * into place, and leaves the folder as it was.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "key-dangling",
        "key-folder",
        "key-fifo",
        "data-dangling",
        "data-folder",
        "lock-folder",
        "locks-file"
      })
  void anEntryNoStoreCanUseIsRefusedAtOnce(String situation) throws Exception {
    Path folder = Files.createDirectory(dir.resolve("state"));
    String name =
        switch (situation.substring(0, situation.indexOf('-'))) {
          case "key" -> "hmac.key";
          case "data" -> "data.mdb";
          case "lock" -> "lock.mdb";
          default -> "locks";
        };
    Path entry = folder.resolve(name);
    switch (situation.substring(situation.indexOf('-') + 1)) {
      case "dangling" -> Files.createSymbolicLink(entry, dir.resolve("gone"));
      case "folder" -> Files.createDirectory(entry);
      case "fifo" -> mkfifo(entry);
      case "file" -> Files.writeString(entry, "");
      default -> throw new IllegalArgumentException(situation);
    }
    Cli.Run r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20), () -> Cli.importStdin(folder.toString(), "{\"a\": 1}"));
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.STORAGE);
    assertThat(r.err())
        .startsWith("cu: storage: cannot import into " + folder + ": " + entry + " is ")
        .endsWith("; nothing imported\n")
        .doesNotContain(".import-");
    if (situation.endsWith("dangling")) {
      assertThat(r.err()).contains("a symbolic link to " + dir.resolve("gone"));
    }
    assertThat(Cli.names(folder)).containsExactly(name);
    assertThat(stagingFolders()).isEmpty();
    assertThat(dir.resolve("gone")).doesNotExist();
  }

  /**
   * A store failure while the import builds its store aside names the folder the user gave, not
   * the staging folder, which is gone once the import has failed.
   */
  @Test
  void aKeyFileOfTheWrongSizeIsNamedAsTheUserGaveIt() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("state"));
    Files.write(folder.resolve("hmac.key"), new byte[5]);
    Cli.Run r = Cli.importStdin(folder.toString(), "{\"a\": 1}");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.STORAGE);
    assertThat(r.err())
        .isEqualTo(
            "cu: storage: the key file " + folder.resolve("hmac.key") + " holds 5 bytes, not 32\n");
    assertThat(Cli.names(folder)).containsExactly("hmac.key");
    assertThat(stagingFolders()).isEmpty();
  }

  /**
   * A state folder that cannot be made or used (a regular file, a link to nothing, under a
   * regular file or a link to nothing, under a read-only folder) is a storage error naming it,
   * and the import leaves nothing behind.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {"state-file", "state-dangling", "parent-file", "parent-dangling", "read-only"})
  void aFolderThatCannotBeUsedIsAStorageErrorNamingIt(String situation) throws Exception {
    Path state =
        switch (situation) {
          case "state-file" -> Files.writeString(dir.resolve("state"), "x");
          case "state-dangling" ->
              Files.createSymbolicLink(dir.resolve("state"), dir.resolve("gone"));
          case "parent-file" -> Files.writeString(dir.resolve("parent"), "x").resolve("state");
          case "parent-dangling" ->
              Files.createSymbolicLink(dir.resolve("parent"), dir.resolve("gone")).resolve("state");
          case "read-only" -> {
            Assumptions.assumeFalse(
                "root".equals(System.getProperty("user.name")), "root writes anywhere");
            Path p = Files.createDirectory(dir.resolve("parent"));
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r-xr-xr-x"));
            yield p.resolve("state");
          }
          default -> throw new IllegalArgumentException(situation);
        };
    List<String> before = Cli.names(dir);
    Cli.Run r = Cli.importStdin(state.toString(), "{\"a\": 1}");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.STORAGE);
    assertThat(r.err()).startsWith("cu: storage: ").contains(state.toString());
    assertThat(Cli.names(dir)).isEqualTo(before);
    assertThat(dir.resolve("gone")).doesNotExist();
    if (situation.equals("read-only")) {
      Files.setPosixFilePermissions(
          dir.resolve("parent"), PosixFilePermissions.fromString("rwx------"));
    }
  }

  /**
   * A new folder whose name is as long as a name may be takes an import as it takes {@code cu
   * eval}: the staging folder beside it must not need a longer name.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 4})
  void aNewFolderWithTheLongestNameTakesAnImport(int bytesPerCharacter) throws Exception {
    String one = bytesPerCharacter == 1 ? "x" : new String(Character.toChars(0x1F600));
    String name = one.repeat(255 / bytesPerCharacter);
    assertThat(name.getBytes(StandardCharsets.UTF_8).length).isBetween(252, 255);
    String state = dir.resolve(name).toString();
    Cli.Run r = Cli.importStdin(state, "{\"a\": 1}");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(export(state)).isEqualTo("{\"a\":1}\n");
    assertThat(Cli.names(dir)).containsExactly(name);
  }

  /** The state folder of {@code situation}, made as it says; the --state to give. */
  private Path folder(String situation) throws IOException {
    switch (situation) {
      case "missing":
        return dir.resolve("new/state");
      case "empty":
        return Files.createDirectory(dir.resolve("state"));
      case "keyed":
        Path f = Files.createDirectory(dir.resolve("state"));
        Files.write(f.resolve("hmac.key"), KEY);
        return f;
      case "linked-key":
        Path g = Files.createDirectory(dir.resolve("state"));
        Path outside = Files.write(dir.resolve("outside.key"), KEY);
        Files.createSymbolicLink(g.resolve("hmac.key"), outside);
        return g;
      case "linked-folder":
        Path real = Files.createDirectory(dir.resolve("real"));
        return Files.createSymbolicLink(dir.resolve("state"), real);
      case "linked-parent":
        Path parent = Files.createDirectory(dir.resolve("parent"));
        return Files.createSymbolicLink(dir.resolve("link"), parent).resolve("state");
      case "dot-dot":
        return dir.resolve("made/../state");
      default:
        throw new IllegalArgumentException(situation);
    }
  }

  /**
   * After an import made the store, every command works on it: a second import, with and
   * without --merge, list, export, verify, eval; a key the import made is readable by its owner
   * only, and one the folder held (a link included) is kept.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "missing",
        "empty",
        "keyed",
        "linked-key",
        "linked-folder",
        "linked-parent",
        "dot-dot"
      })
  void theStoreAnImportMadeTakesEveryLaterCommand(String situation) throws Exception {
    Path folder = folder(situation);
    String state = folder.toString();
    Cli.Run first = Cli.importStdin(state, "{\"a\": 1, \"b\": [true]}");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(stagingFolders()).isEmpty();
    Path key = folder.resolve("hmac.key");
    if (situation.equals("linked-key")) {
      assertThat(Files.isSymbolicLink(key)).isTrue();
      assertThat(Files.readAllBytes(dir.resolve("outside.key"))).isEqualTo(KEY);
    } else if (situation.equals("keyed")) {
      assertThat(Files.readAllBytes(key)).isEqualTo(KEY);
    } else {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
          .isEqualTo("rw-------");
    }
    StateCli.eval(state, "_home.f = function(n) return n * 2 end");
    Cli.Run second = Cli.importStdin(state, "{\"c\": 3}");
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(export(state)).isEqualTo("{\"c\":3}\n");
    Cli.Run merged = Cli.importStdin(state, "{\"d\": 4}", "--merge");
    assertThat(merged.exit()).as(merged.err()).isZero();
    assertThat(export(state)).isEqualTo("{\"c\":3,\"d\":4}\n");
    StateCli.eval(state, "_home.f = function(n) return n * 2 end");
    Cli.Run f = Cli.run("eval", "--state", state, "return _home.f(21), _home.d");
    assertThat(f.out()).as(f.err()).isEqualTo("42\t4\n");
    Cli.Run save = Cli.run("state", "--state", state, "save", "snap");
    assertThat(save.exit()).as(save.err()).isZero();
    Cli.Run list = Cli.run("state", "--state", state, "list");
    assertThat(list.out()).as(list.err()).contains("snap");
    Cli.Run verify = Cli.run("state", "--state", state, "verify");
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    assertThat(stagingFolders()).isEmpty();
    if (situation.equals("dot-dot")) {
      assertThat(dir.resolve("state/data.mdb")).isRegularFile();
    }
  }

  /**
   * The copy of the folder's key that the import's staging folder holds while it runs is as
   * closed as the key: never readable by others.
   */
  @Test
  void theKeyCopiedAsideIsReadableByItsOwnerOnly() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("state"));
    Path key = folder.resolve("hmac.key");
    Files.write(key, KEY);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    PipedOutputStream feed = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(feed, 1 << 16);
    Future<Cli.Run> run =
        importer.submit(
            () -> Cli.runWithStream(in, "state", "--state", folder.toString(), "import", "-"));
    feed.write("{\"a\": [1".getBytes(StandardCharsets.UTF_8));
    feed.flush();
    Path copy = null;
    for (int i = 0; i < 400 && copy == null; i++) {
      List<Path> staging = stagingFolders();
      if (!staging.isEmpty() && Files.exists(staging.get(0).resolve("hmac.key"))) {
        copy = staging.get(0).resolve("hmac.key");
      } else {
        Thread.sleep(50);
      }
    }
    try {
      assertThat(copy).as("the staging folder's key").isNotNull();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)))
          .isEqualTo("rw-------");
    } finally {
      feed.write(", 2]}".getBytes(StandardCharsets.UTF_8));
      feed.close();
    }
    Cli.Run r = run.get(60, TimeUnit.SECONDS);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).doesNotContain("hmac.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(Files.readAllBytes(key)).isEqualTo(KEY);
    assertThat(stagingFolders()).isEmpty();
  }
}
