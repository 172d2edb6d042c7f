package dev.cu.cli;

import dev.cu.serve.MasterKey;
import dev.cu.serve.StateLayout;
import dev.cu.serve.Vault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

/**
 * {@code cu vault put NAME|list|delete NAME|rotate}: the secrets of a service's vault ({@link
 * Vault}) in its {@code --state} folder, under the master key of {@code --key-file} or {@code
 * CU_VAULT_KEY}. A value is read from stdin, never from the arguments, and no command prints a
 * value or a key.
 */
@Command(
    name = "vault",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Manage the encrypted secrets of a service's --state folder (default .cu).",
      "The master key (base64 of 32 bytes) comes from --key-file, else $CU_VAULT_KEY."
    },
    subcommands = {
      VaultCommand.PutCommand.class,
      VaultCommand.ListCommand.class,
      VaultCommand.DeleteCommand.class,
      VaultCommand.RotateCommand.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cu vault --key-file ~/vault.key put db-password < password.txt",
      "  printf %%s \"$TOKEN\" | CU_VAULT_KEY=... cu vault put api-token",
      "  cu vault --key-file ~/vault.key list",
      "  cu vault --key-file ~/vault.key rotate --generate-key ~/vault-2.key",
      "",
      "A wrong key, or a vault file that was altered or damaged, is a storage error (exit 4);"
          + " a missing or unreadable key is a usage error (exit 2).%n"
    })
public final class VaultCommand implements Callable<Integer> {
  /** The most bytes a value may have: the vault is one file, rewritten on every change. */
  static final int MAX_VALUE = 1 << 20;

  @Option(
      names = "--state",
      paramLabel = "DIR",
      defaultValue = ".cu",
      description = "The service's state folder, which holds the vault. Default: ${DEFAULT-VALUE}.")
  Path state;

  @Option(
      names = "--key-file",
      paramLabel = "FILE",
      description =
          "The file holding the master key (its base64 text), outside the --state folder."
              + " Default: $CU_VAULT_KEY.")
  Path keyFile;

  final Streams streams;

  public VaultCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    throw new CliException(ErrorKind.USAGE, "vault needs a command: put, list, delete, rotate");
  }

  /** The vault's folder. */
  private Path dir() {
    return StateLayout.vault(state);
  }

  /** Whether the folder has a vault yet. */
  private boolean exists() {
    return Files.exists(dir().resolve(Vault.FILE));
  }

  /**
   * The current master key: {@code --key-file}, else {@code CU_VAULT_KEY}.
   *
   * @throws CliException (usage) when there is none or it is not a key
   */
  private MasterKey key() {
    if (keyFile != null) {
      return keyFile(keyFile, "--key-file");
    }
    String text = streams.env().get(MasterKey.ENV);
    if (text == null || text.isBlank()) {
      throw new CliException(
          ErrorKind.USAGE,
          "no vault master key: give --key-file FILE or set "
              + MasterKey.ENV
              + " (base64 of 32"
              + " bytes)");
    }
    try {
      return MasterKey.fromEnvironment(streams.env());
    } catch (IllegalArgumentException e) { // the message never repeats the key's text
      throw new CliException(ErrorKind.USAGE, MasterKey.ENV + ": " + e.getMessage());
    }
  }

  /**
   * The key in {@code file}, which must lie outside the state folder; {@code option} names it in
   * messages.
   *
   * @throws CliException (usage) when it cannot be read, lies in the state folder or is no key
   */
  private MasterKey keyFile(Path file, String option) {
    try {
      return MasterKey.fromFile(file, state);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new CliException(
          ErrorKind.USAGE, "cannot read " + option + " " + file + ": no such file");
    } catch (java.nio.file.AccessDeniedException e) {
      throw new CliException(
          ErrorKind.USAGE, "cannot read " + option + " " + file + ": permission denied");
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new CliException(
          ErrorKind.USAGE,
          option + " " + file + ": a vault master key must be base64 text of 32 bytes");
    } catch (IOException e) {
      throw new CliException(
          ErrorKind.USAGE, "cannot read " + option + " " + file + ": " + e.getMessage());
    } catch (IllegalArgumentException e) { // the message never repeats the key's text
      throw new CliException(ErrorKind.USAGE, option + " " + file + ": " + e.getMessage());
    }
  }

  /**
   * The vault under {@code key}, made when the folder has none.
   *
   * @throws CliException (storage) when the key is wrong, the vault was altered or cannot be read
   */
  private Vault open(MasterKey key) {
    try {
      return Vault.open(dir(), key);
    } catch (Vault.VaultException e) {
      throw new CliException(
          ErrorKind.STORAGE, "cannot open the vault in " + dir() + ": " + e.getMessage());
    } catch (IOException e) {
      throw storage("cannot open the vault in " + dir(), e);
    }
  }

  private static CliException storage(String what, IOException e) {
    return new CliException(ErrorKind.STORAGE, what + ": " + e, e);
  }

  /** The usage error of a name with no secret. */
  private static CliException missing(String name) {
    return new CliException(
        ErrorKind.USAGE, "no secret named " + name + " (cu vault list shows the names)");
  }

  /**
   * The value on stdin: all of it less one trailing {@code \n} or {@code \r\n}.
   *
   * @throws CliException (usage) when it is empty or longer than {@link #MAX_VALUE}
   */
  static byte[] readValue(java.io.InputStream in) {
    byte[] b;
    try {
      b = in.readNBytes(MAX_VALUE + 3); // room for a line end after the longest value
    } catch (IOException e) {
      throw new CliException(ErrorKind.USAGE, "cannot read the value from stdin: " + e, e);
    }
    int n = b.length;
    if (n > 0 && b[n - 1] == '\n') {
      n -= n > 1 && b[n - 2] == '\r' ? 2 : 1;
    }
    byte[] value = Arrays.copyOf(b, n);
    Arrays.fill(b, (byte) 0);
    if (n == 0) {
      throw new CliException(ErrorKind.USAGE, "the value read from stdin is empty");
    }
    if (n > MAX_VALUE) {
      Arrays.fill(value, (byte) 0);
      throw new CliException(
          ErrorKind.USAGE, "the value read from stdin is longer than " + MAX_VALUE + " bytes");
    }
    return value;
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = {
        "Store the value read from stdin as the secret NAME, replacing any value it had.",
        "All of stdin is the value, less one trailing newline (\\n or \\r\\n); it must not be",
        "empty and has at most 1 MiB. NAME is 1 to 128 letters, digits, '_', '.' or '-',",
        "starting with a letter or digit. The value is never taken from the arguments."
      })
  static final class PutCommand implements Callable<Integer> {
    @ParentCommand VaultCommand parent;

    @Parameters(paramLabel = "NAME")
    String name;

    /** Arguments after NAME: refused without being shown, as one may be a value. */
    @Unmatched List<String> extra = new ArrayList<>();

    @Override
    public Integer call() {
      if (!extra.isEmpty()) {
        throw new CliException(
            ErrorKind.USAGE,
            "put takes NAME only, the value is read from stdin: "
                + extra.size()
                + " more argument"
                + (extra.size() == 1 ? "" : "s")
                + " refused (not shown)");
      }
      MasterKey key = parent.key();
      byte[] value = readValue(parent.streams.in());
      try {
        parent.open(key).put(name, value);
      } catch (IllegalArgumentException e) {
        throw new CliException(
            ErrorKind.USAGE, "bad secret name '" + name + "': " + e.getMessage());
      } catch (IOException e) {
        throw storage("cannot write the vault in " + parent.dir(), e);
      } finally {
        Arrays.fill(value, (byte) 0);
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = "List the names of the secrets, one per line (never their values).")
  static final class ListCommand implements Callable<Integer> {
    @ParentCommand VaultCommand parent;

    @Override
    public Integer call() {
      MasterKey key = parent.key();
      if (parent.exists()) { // a folder without a vault has no secrets (and gets none made)
        parent.open(key).list().forEach(parent.streams.out()::println);
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = "Delete the secret NAME. Exit 2 (usage error) when there is no secret NAME.")
  static final class DeleteCommand implements Callable<Integer> {
    @ParentCommand VaultCommand parent;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      MasterKey key = parent.key();
      if (!parent.exists()) {
        throw missing(name);
      }
      try {
        if (!parent.open(key).delete(name)) {
          throw missing(name);
        }
      } catch (IOException e) {
        throw storage("cannot write the vault in " + parent.dir(), e);
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = {
        "Re-encrypt every secret under a new master key, in one atomic step: the vault is",
        "under the old key or the new one, never a mix. The new key comes from",
        "--new-key-file, or --generate-key makes a random one and writes it to a new file",
        "(owner-only permissions, rw-------). Either file lies outside the --state folder."
      })
  static final class RotateCommand implements Callable<Integer> {
    @ParentCommand VaultCommand parent;

    @ArgGroup(exclusive = true, multiplicity = "1")
    NewKey target;

    /** Where the new key comes from. */
    static final class NewKey {
      @Option(
          names = "--new-key-file",
          paramLabel = "FILE",
          required = true,
          description = "Read the new master key (base64 of 32 bytes) from FILE.")
      Path file;

      @Option(
          names = "--generate-key",
          paramLabel = "FILE",
          required = true,
          description = "Make a random master key and write it to FILE, which must not exist.")
      Path generate;
    }

    @Override
    public Integer call() {
      MasterKey key = parent.key();
      MasterKey next;
      if (target.generate != null) {
        NewKeyFile.check(target.generate, parent.state);
        next = MasterKey.generate(new SecureRandom());
      } else {
        next = parent.keyFile(target.file, "--new-key-file");
      }
      Vault vault = parent.open(key); // refuses a wrong key before a key file is written
      if (target.generate != null) {
        NewKeyFile.write(target.generate, next);
      }
      try {
        vault.rotate(next);
      } catch (IOException | RuntimeException e) {
        if (target.generate != null) { // the vault stays under the old key: the file is no key
          NewKeyFile.delete(target.generate);
        }
        if (e instanceof Vault.VaultException) {
          throw new CliException(
              ErrorKind.STORAGE,
              "cannot rotate the vault in " + parent.dir() + ": " + e.getMessage());
        } else if (e instanceof IOException io) {
          throw storage("cannot rotate the vault in " + parent.dir(), io);
        }
        throw (RuntimeException) e;
      }
      return ExitCode.OK;
    }
  }
}
