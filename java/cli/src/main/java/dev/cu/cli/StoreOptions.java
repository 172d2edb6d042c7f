package dev.cu.cli;

import dev.cu.ComputeUnit;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The options of a {@code --state} folder that {@code eval}, {@code run} and {@code state}
 * share: the lock timeout and the HMAC key file.
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

  /**
   * {@code builder} with these options applied (it must have storage). A key file that cannot
   * be read is bad input, a usage error like any file named on the command line; a readable
   * file whose content is not a key is refused by the store.
   */
  ComputeUnit.Builder apply(ComputeUnit.Builder builder) {
    builder.lockTimeout(lockTimeout);
    if (hmacKeyFile == null) {
      return builder;
    }
    FileBytes.read(hmacKeyFile.toString(), "--hmac-key-file " + hmacKeyFile);
    return builder.hmacKeyFile(hmacKeyFile);
  }
}
