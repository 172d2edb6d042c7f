package dev.cu.cli;

import static dev.cu.cli.StateCli.export;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An import into a folder without a store builds the store aside and puts it into place when
 * complete ({@link StateFolder}): a store another process makes in the folder while the import
 * runs is never removed or replaced, whether the import fails or succeeds, and no staging folder
 * stays behind. The other process is a {@code cu eval --key} run in this JVM while the import
 * waits for the rest of its standard input.
 */
class StateImportStagingTest {
  @TempDir Path dir;

  private final ExecutorService importer = Executors.newSingleThreadExecutor();

  /** The key file a store keeps in its folder. */
  private static final String KEY_FILE = "hmac.key";

  private static final byte[] KEY = new byte[32];

  static {
    for (int i = 0; i < KEY.length; i++) {
      KEY[i] = (byte) (7 * i + 1);
    }
  }

  @AfterEach
  void stop() {
    importer.shutdownNow();
  }

  /**
   * Standard input that serves its bytes up to {@code gate}, says so ({@link #reached}) and waits
   * for {@link #open} before it serves the rest: the import runs, its unit open, until the test
   * lets it go on.
   */
  private static final class GatedInput extends InputStream {
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch open = new CountDownLatch(1);
    private final byte[] bytes;
    private final int gate;
    private int pos;

    GatedInput(String head, String tail) {
      byte[] h = head.getBytes(StandardCharsets.UTF_8);
      byte[] t = tail.getBytes(StandardCharsets.UTF_8);
      bytes = new byte[h.length + t.length];
      System.arraycopy(h, 0, bytes, 0, h.length);
      System.arraycopy(t, 0, bytes, h.length, t.length);
      gate = h.length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (pos == gate && open.getCount() > 0) {
        reached.countDown();
        try {
          if (!open.await(120, TimeUnit.SECONDS)) {
            throw new IOException("the test did not open the gate");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted at the gate", e);
        }
      }
      if (pos >= bytes.length) {
        return -1;
      }
      int n = Math.min(len, (pos < gate ? gate : bytes.length) - pos);
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  /** A document of about 200 KB: its head, which the import reads before the gate. */
  private static String head() {
    return "{\"xs\": [" + "1,".repeat(100_000);
  }

  /** The state folder of {@code situation}: missing, an empty folder, a folder with a key file. */
  private Path folder(String situation) throws IOException {
    switch (situation) {
      case "missing":
        return dir.resolve("new/state");
      case "empty":
        return Files.createDirectory(dir.resolve("state"));
      case "keyed":
        Path f = Files.createDirectory(dir.resolve("state"));
        Files.write(f.resolve(KEY_FILE), KEY);
        return f;
      default:
        throw new IllegalArgumentException(situation);
    }
  }

  /**
   * Starts {@code cu state --state FOLDER import -} on {@code in}, waits until it has read the
   * head, makes a store in the folder with another run ({@code --key ops}, {@code _home.x = 42})
   * and lets the import go on; what the import did.
   */
  private Cli.Run importWhileAStoreIsMade(Path folder, GatedInput in) throws Exception {
    Future<Cli.Run> run =
        importer.submit(
            () -> Cli.runWithStream(in, "state", "--state", folder.toString(), "import", "-"));
    try {
      assertThat(in.reached.await(120, TimeUnit.SECONDS)).as("the import read its head").isTrue();
      Cli.Run other = Cli.run("eval", "--state", folder.toString(), "--key", "ops", "_home.x = 42");
      assertThat(other.exit()).as(other.err()).isZero();
    } finally {
      in.open.countDown();
    }
    return run.get(120, TimeUnit.SECONDS);
  }

  /** Checks that the store made meanwhile holds what it committed, and nothing of the import. */
  private static void assertTheOtherStoreIsIntact(Path folder) {
    String state = folder.toString();
    Cli.Run x = Cli.run("eval", "--state", state, "--key", "ops", "return _home.x");
    assertThat(x.out()).as(x.err()).isEqualTo("42\n");
    Cli.Run xs = Cli.run("eval", "--state", state, "return _home.xs == nil");
    assertThat(xs.out()).as(xs.err()).isEqualTo("true\n");
    Cli.Run verify = Cli.run("state", "--state", state, "verify");
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
  }

  /** The paths under the test's folder that name a staging folder. */
  private List<Path> stagingFolders() throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> p.getFileName().toString().contains(".import-")).toList();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"missing", "empty", "keyed"})
  void aFailedImportLeavesAStoreMadeWhileItRan(String situation) throws Exception {
    Path folder = folder(situation);
    Cli.Run r = importWhileAStoreIsMade(folder, new GatedInput(head(), "1]"));
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.USAGE);
    assertTheOtherStoreIsIntact(folder);
    assertThat(stagingFolders()).isEmpty();
    if (situation.equals("keyed")) {
      assertThat(Files.readAllBytes(folder.resolve(KEY_FILE))).isEqualTo(KEY);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"missing", "empty", "keyed"})
  void anImportIntoAFolderWhereAStoreWasMadeMeanwhileImportsNothing(String situation)
      throws Exception {
    Path folder = folder(situation);
    Cli.Run r = importWhileAStoreIsMade(folder, new GatedInput(head(), "1]}"));
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.STORAGE);
    assertThat(r.err())
        .startsWith("cu: storage: nothing imported: ")
        .contains(folder.toString())
        .contains("while the import ran")
        .endsWith("it is left as it is\n");
    assertTheOtherStoreIsIntact(folder);
    assertThat(stagingFolders()).isEmpty();
    if (situation.equals("keyed")) {
      assertThat(Files.readAllBytes(folder.resolve(KEY_FILE))).isEqualTo(KEY);
    }
  }

  @Test
  void anEmptyFolderMadeWhileTheImportRanTakesTheImport() throws Exception {
    Path folder = dir.resolve("new/state");
    GatedInput in = new GatedInput("{\"a\": [" + "1,".repeat(100_000), "2]}");
    Future<Cli.Run> run =
        importer.submit(
            () -> Cli.runWithStream(in, "state", "--state", folder.toString(), "import", "-"));
    try {
      assertThat(in.reached.await(120, TimeUnit.SECONDS)).isTrue();
      Files.createDirectory(folder); // another process about to open a store there
    } finally {
      in.open.countDown();
    }
    Cli.Run r = run.get(120, TimeUnit.SECONDS);
    assertThat(r.exit()).as(r.err()).isZero();
    Cli.Run n = Cli.run("eval", "--state", folder.toString(), "return #_home.a, _home.a[100001]");
    assertThat(n.out()).as(n.err()).isEqualTo("100001\t2\n");
    assertThat(stagingFolders()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"missing", "empty", "keyed"})
  void aSuccessfulImportMakesAStoreTheReadingCommandsRead(String situation) throws Exception {
    Path folder = folder(situation);
    String state = folder.toString();
    Cli.Run r =
        Cli.runWithInput("{\"a\": [1, {\"b\": true}]}", "state", "--state", state, "import", "-");
    assertThat(r.exit()).as(r.err()).isZero();
    // the store's key file came along (the one the folder held, else the import's own)
    assertThat(folder.resolve(KEY_FILE)).isRegularFile();
    if (situation.equals("keyed")) {
      assertThat(Files.readAllBytes(folder.resolve(KEY_FILE))).isEqualTo(KEY);
    }
    assertThat(export(state)).isEqualTo("{\"a\":[1,{\"b\":true}]}\n");
    Cli.Run list = Cli.run("state", "--state", state, "list");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).isEmpty();
    Cli.Run verify = Cli.run("state", "--state", state, "verify");
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).startsWith("ok: ");
    assertThat(stagingFolders()).isEmpty();
    StateCli.eval(state, "_home.f = function(n) return n * 3 end");
    Cli.Run f = Cli.run("eval", "--state", state, "return _home.f(14), _home.a[2].b");
    assertThat(f.out()).as(f.err()).isEqualTo("42\ttrue\n");
  }

  @Test
  void anImportWithALongKeyIntoANewFolderKeepsTheKeysLabel() throws Exception {
    String state = dir.resolve("new/state").toString();
    String key = "Ada-" + "x".repeat(130) + "@Example.org"; // its namespace is a digest
    Cli.Run r =
        Cli.runWithInput("{\"n\": 5}", "state", "--state", state, "--key", key, "import", "-");
    assertThat(r.exit()).as(r.err()).isZero();
    Cli.Run keys = Cli.run("state", "--state", state, "keys");
    assertThat(keys.out()).as(keys.err()).isEqualTo(key + "\n");
    Cli.Run n = Cli.run("eval", "--state", state, "--key", key, "return _home.n");
    assertThat(n.out()).as(n.err()).isEqualTo("5\n");
    assertThat(stagingFolders()).isEmpty();
  }
}
