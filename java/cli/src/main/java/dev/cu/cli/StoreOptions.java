package dev.cu.cli;

import dev.cu.ComputeUnit;
import dev.cu.pool.PoolKeys;
import dev.cu.store.LmdbEnvironment;
import dev.cu.store.LmdbOptions;
import dev.cu.store.LmdbTableStore;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The options of a {@code --state} folder that {@code eval}, {@code run} and {@code state}
 * share: the key whose state to use, the lock timeout and the HMAC key file.
 */
public final class StoreOptions {
  @Option(
      names = "--lock-timeout",
      paramLabel = "TIME",
      converter = DurationParser.class,
      defaultValue = "10s",
      description =
          "How long to wait while another cu process uses the same --state folder"
              + " (e.g. 500ms, 30s, 1m; 0 = do not wait). Default: ${DEFAULT-VALUE}.")
  Duration lockTimeout;

  @Option(
      names = "--hmac-key-file",
      paramLabel = "FILE",
      description =
          "The key that signs functions stored in the state: 32 bytes, or 64 hex"
              + " digits. Default: $CU_HMAC_KEY (64 hex digits), else hmac.key in the --state"
              + " folder.")
  Path hmacKeyFile;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      description =
          "Use the state of KEY in the --state folder, as a unit pool keeps it: each key"
              + " (any non-empty text: a user, a tenant, an e-mail address) has its own _home."
              + " Default: the folder's own state.")
  String key;

  /** The --key given, or null. */
  String key() {
    return key;
  }

  /**
   * {@code builder} with these options applied, its storage in {@code dir}. A key file that
   * cannot be read is bad input, a usage error like any file named on the command line; a
   * readable file whose content is not a key is refused by the store. A key whose namespace is a
   * digest is written into the folder first (its label), so {@code cu state keys} lists it.
   *
   * @throws CliException (usage) for an empty or malformed key
   */
  ComputeUnit.Builder apply(ComputeUnit.Builder builder, Path dir) {
    builder.storage(dir).lockTimeout(lockTimeout);
    if (hmacKeyFile != null) {
      FileBytes.read(hmacKeyFile.toString(), "--hmac-key-file " + hmacKeyFile);
      builder.hmacKeyFile(hmacKeyFile);
    }
    if (key != null) {
      String ns = namespace(key);
      if (PoolKeys.isDigest(ns)) {
        try (LmdbEnvironment env = LmdbEnvironment.open(dir, options());
            LmdbTableStore store = env.store(ns, lockTimeout)) {
          PoolKeys.label(env, store, key);
        }
      }
      builder.namespace(ns);
    }
    return builder;
  }

  /** The environment options these options stand for (lock timeout, key file). */
  LmdbOptions options() {
    LmdbOptions o = LmdbOptions.defaults().withLockTimeout(lockTimeout);
    if (hmacKeyFile != null) {
      FileBytes.read(hmacKeyFile.toString(), "--hmac-key-file " + hmacKeyFile);
      o = o.withHmacKeyFile(hmacKeyFile);
    }
    return o;
  }

  /**
   * The namespace of {@code key}.
   *
   * @throws CliException (usage) for an empty or malformed key
   */
  static String namespace(String key) {
    try {
      return PoolKeys.namespace(key);
    } catch (IllegalArgumentException e) {
      throw new CliException(ErrorKind.USAGE, "bad --key: " + e.getMessage());
    }
  }
}
