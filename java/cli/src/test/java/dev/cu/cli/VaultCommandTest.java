package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.serve.MasterKey;
import dev.cu.serve.StateLayout;
import dev.cu.serve.Vault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cu vault put|list|delete|rotate}. */
class VaultCommandTest {
  @TempDir Path dir;

  private final MasterKey key = MasterKey.generate(new SecureRandom());
  private final MasterKey other = MasterKey.generate(new SecureRandom());

  private Path state() {
    return dir.resolve("state");
  }

  /** {@code cu vault --state DIR ARGS} with {@code CU_VAULT_KEY} set to {@code k}. */
  private Cli.Run vault(MasterKey k, String stdin, String... args) {
    return vault(k, stdin.getBytes(StandardCharsets.UTF_8), args);
  }

  private Cli.Run vault(MasterKey k, byte[] stdin, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "vault";
    all[1] = "--state";
    all[2] = state().toString();
    System.arraycopy(args, 0, all, 3, args.length);
    Map<String, String> env = k == null ? Map.of() : Map.of(MasterKey.ENV, k.base64());
    return Cli.runWithEnv(env, stdin, all);
  }

  private Path keyFile(String name, MasterKey k) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, k.base64() + "\n");
    return f;
  }

  private byte[] stored(MasterKey k, String name) throws Exception {
    return Vault.open(StateLayout.vault(state()), k).get(name);
  }

  /** Asserts that neither stream of {@code r} shows {@code secret} or either test key. */
  private void showsNoSecret(Cli.Run r, String secret) {
    for (String text : new String[] {r.out(), r.err()}) {
      assertThat(text).doesNotContain(secret, key.base64(), other.base64());
    }
  }

  @Test
  void putListDeleteRoundTrip() {
    assertThat(vault(key, "s3cret-one\n", "put", "db-password").exit()).isZero();
    assertThat(vault(key, "s3cret-two", "put", "api.token").exit()).isZero();
    Cli.Run list = vault(key, "", "list");
    assertThat(list.exit()).isZero();
    assertThat(list.out()).isEqualTo("api.token\ndb-password\n");
    showsNoSecret(list, "s3cret");

    Cli.Run delete = vault(key, "", "delete", "db-password");
    assertThat(delete.exit()).isZero();
    assertThat(delete.out()).isEmpty();
    assertThat(vault(key, "", "list").out()).isEqualTo("api.token\n");

    Cli.Run again = vault(key, "", "delete", "db-password");
    assertThat(again.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(again.err())
        .isEqualTo("cu: usage: no secret named db-password (cu vault list shows the names)\n");
  }

  @Test
  void theStoredValueIsStdinLessOneLineEnd() throws Exception {
    byte[] binary = {(byte) 0xff, 0, 'a', '\n', (byte) 0xfe};
    byte[] withEnd = new byte[binary.length + 2];
    System.arraycopy(binary, 0, withEnd, 0, binary.length);
    withEnd[binary.length] = '\r';
    withEnd[binary.length + 1] = '\n';
    Cli.Run put = vault(key, withEnd, "put", "bin");
    assertThat(put.exit()).isZero();
    assertThat(put.out()).isEmpty();
    assertThat(put.err()).isEmpty();
    assertThat(stored(key, "bin")).isEqualTo(binary);

    assertThat(vault(key, "two ends\n\n", "put", "text").exit()).isZero();
    assertThat(stored(key, "text")).isEqualTo("two ends\n".getBytes(StandardCharsets.UTF_8));
    assertThat(vault(key, "replaced", "put", "text").exit()).isZero();
    assertThat(stored(key, "text")).isEqualTo("replaced".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anEmptyValueIsRefused() throws Exception {
    for (String empty : new String[] {"", "\n", "\r\n"}) {
      Cli.Run r = vault(key, empty, "put", "x");
      assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
      assertThat(r.err()).isEqualTo("cu: usage: the value read from stdin is empty\n");
    }
    assertThat(vault(key, "", "list").out()).isEmpty();
  }

  @Test
  void theValueIsNeverTakenFromTheArgumentsNorShown() throws Exception {
    Cli.Run r = vault(key, "from-stdin", "put", "name", "hunter2-in-argv");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("the value is read from stdin", "not shown");
    showsNoSecret(r, "hunter2-in-argv");
    Cli.Run option = vault(key, "from-stdin", "put", "name", "--value=hunter2-in-argv");
    assertThat(option.exit()).isEqualTo(ExitCode.USAGE);
    showsNoSecret(option, "hunter2-in-argv");
    assertThat(vault(key, "", "list").out()).isEmpty(); // nothing stored

    Cli.Run help = Cli.run("vault", "put", "--help");
    assertThat(help.out())
        .contains("Usage: cu vault put", "stdin", "never taken from the arguments");
  }

  @Test
  void aBadNameIsAUsageError() {
    Cli.Run r = vault(key, "v", "put", "no/slash");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).startsWith("cu: usage: bad secret name 'no/slash': ");
  }

  @Test
  void aWrongKeyIsRefusedWithoutShowingAnyKey() throws Exception {
    vault(key, "top-secret", "put", "a");
    for (String[] args : new String[][] {{"list"}, {"put", "b"}, {"delete", "a"}}) {
      Cli.Run r = vault(other, "other-value", args);
      assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(ExitCode.STORAGE);
      assertThat(r.err())
          .startsWith("cu: storage: cannot open the vault in ")
          .contains("master key is wrong");
      showsNoSecret(r, "top-secret");
    }
    assertThat(stored(key, "a")).isEqualTo("top-secret".getBytes(StandardCharsets.UTF_8));
    assertThat(Vault.open(state(), key).list()).containsExactly("a");
  }

  @Test
  void noKeyOrABadKeyIsAUsageError() throws Exception {
    Cli.Run none = vault(null, "v", "put", "a");
    assertThat(none.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(none.err()).contains("no vault master key", "--key-file", "CU_VAULT_KEY");

    Map<String, String> bad = Map.of(MasterKey.ENV, "bm90IGEga2V5");
    Cli.Run r = Cli.runWithEnv(bad, new byte[0], "vault", "--state", state().toString(), "list");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).startsWith("cu: usage: CU_VAULT_KEY: ").doesNotContain("bm90IGEga2V5");

    Cli.Run missing = vault(null, "", "--key-file", dir.resolve("nope.key").toString(), "list");
    assertThat(missing.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(missing.err()).contains("cannot read --key-file", "no such file");
    assertThat(state()).doesNotExist(); // nothing made
  }

  @Test
  void theKeyFileWinsOverTheEnvironment() throws Exception {
    Path f = keyFile("vault.key", key);
    assertThat(vault(other, "v", "--key-file", f.toString(), "put", "a").exit()).isZero();
    assertThat(stored(key, "a")).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
    // options may come before the command name
    Cli.Run list =
        Cli.runWithEnv(
            Map.of(),
            new byte[0],
            "--state",
            state().toString(),
            "vault",
            "--key-file",
            f.toString(),
            "list");
    assertThat(list.out()).isEqualTo("a\n");
  }

  @Test
  void aKeyFileInsideTheStateFolderIsRefused() throws Exception {
    Files.createDirectories(state());
    Path inside = state().resolve("vault.key");
    Files.writeString(inside, key.base64());
    Cli.Run r = vault(null, "v", "--key-file", inside.toString(), "put", "a");
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("lies inside the state folder");
    showsNoSecret(r, "v\n");

    vault(key, "v", "put", "a");
    Cli.Run rotate = vault(key, "", "rotate", "--new-key-file", inside.toString());
    assertThat(rotate.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(rotate.err()).contains("--new-key-file", "lies inside the state folder");
    Cli.Run generate =
        vault(key, "", "rotate", "--generate-key", state().resolve("new.key").toString());
    assertThat(generate.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(generate.err()).contains("--generate-key", "lies inside the state folder");
    assertThat(state().resolve("new.key")).doesNotExist();
    assertThat(stored(key, "a")).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aTamperedVaultIsAStorageError() throws Exception {
    vault(key, "value-one", "put", "a");
    vault(key, "value-two", "put", "b");
    Path file = StateLayout.vault(state()).resolve(Vault.FILE);
    String json = Files.readString(file);
    // drop secret b: the seal over the list of secrets no longer matches
    String cut = json.replaceAll("(?s),\\s*\"b\"\\s*:\\s*\\{[^}]*\\}", "");
    assertThat(cut).isNotEqualTo(json);
    Files.writeString(file, cut);
    Cli.Run r = vault(key, "", "list");
    assertThat(r.exit()).isEqualTo(ExitCode.STORAGE);
    assertThat(r.err()).startsWith("cu: storage: cannot open the vault in ").contains("altered");
    showsNoSecret(r, "value-");

    Files.writeString(file, "{not json");
    assertThat(vault(key, "", "list").err()).contains("not valid JSON");
  }

  @Test
  void rotateToAKeyFile() throws Exception {
    vault(key, "alpha", "put", "a");
    vault(key, "beta", "put", "b");
    Path next = keyFile("next.key", other);
    Cli.Run r = vault(key, "", "rotate", "--new-key-file", next.toString());
    assertThat(r.exit()).isZero();
    showsNoSecret(r, "alpha");

    Cli.Run old = vault(key, "", "list");
    assertThat(old.exit()).isEqualTo(ExitCode.STORAGE);
    assertThat(old.err()).contains("master key is wrong");
    assertThat(vault(null, "", "--key-file", next.toString(), "list").out()).isEqualTo("a\nb\n");
    assertThat(stored(other, "a")).isEqualTo("alpha".getBytes(StandardCharsets.UTF_8));
    assertThat(stored(other, "b")).isEqualTo("beta".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void rotateToAGeneratedKey() throws Exception {
    vault(key, "alpha", "put", "a");
    Path next = dir.resolve("generated.key");
    Cli.Run r = vault(key, "", "rotate", "--generate-key", next.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEmpty();

    if (next.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(next)))
          .isEqualTo("rw-------");
    }
    MasterKey generated = MasterKey.fromFile(next, state());
    assertThat(generated.base64()).isNotEqualTo(key.base64());
    showsNoSecret(r, generated.base64());
    assertThat(vault(key, "", "list").exit()).isEqualTo(ExitCode.STORAGE);
    assertThat(vault(null, "", "--key-file", next.toString(), "list").out()).isEqualTo("a\n");
    assertThat(stored(generated, "a")).isEqualTo("alpha".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void generateKeyRefusesAnExistingFileAndAWrongCurrentKey() throws Exception {
    vault(key, "alpha", "put", "a");
    Path existing = keyFile("existing.key", other);
    Cli.Run r = vault(key, "", "rotate", "--generate-key", existing.toString());
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("exists", "nothing is overwritten");
    assertThat(Files.readString(existing)).isEqualTo(other.base64() + "\n");

    Path fresh = dir.resolve("fresh.key");
    Cli.Run wrong = vault(other, "", "rotate", "--generate-key", fresh.toString());
    assertThat(wrong.exit()).isEqualTo(ExitCode.STORAGE);
    assertThat(fresh).doesNotExist(); // no key written for a vault it does not open
    assertThat(stored(key, "a")).isEqualTo("alpha".getBytes(StandardCharsets.UTF_8));

    Cli.Run both =
        vault(
            key,
            "",
            "rotate",
            "--generate-key",
            fresh.toString(),
            "--new-key-file",
            existing.toString());
    assertThat(both.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(vault(key, "", "rotate").exit()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void listAndDeleteMakeNoVault() {
    assertThat(vault(key, "", "list").out()).isEmpty();
    assertThat(vault(key, "", "delete", "a").exit()).isEqualTo(ExitCode.USAGE);
    assertThat(state()).doesNotExist();
  }

  @Test
  void everyCommandHasHelp() {
    assertThat(Cli.run("vault", "--help").out())
        .contains("put", "list", "delete", "rotate", "CU_VAULT_KEY");
    assertThat(Cli.run("vault", "list", "--help").out()).contains("Usage: cu vault list");
    assertThat(Cli.run("vault", "delete", "--help").out()).contains("Exit 2");
    assertThat(Cli.run("vault", "rotate", "--help").out())
        .contains("--new-key-file=FILE", "--generate-key=FILE", "rw-------");
    Cli.Run none = Cli.run("vault");
    assertThat(none.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(none.err()).contains("vault needs a command");
  }
}
