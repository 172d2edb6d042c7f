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
      description = "How long to wait while another cu process uses the same --state folder"
          + " (e.g. 500ms, 30s, 1m; 0 = do not wait). Default: ${DEFAULT-VALUE}.")
  Duration lockTimeout;

  @Option(
      names = "--hmac-key-file",
      paramLabel = "FILE",
      description = "The key that signs functions stored in the state: 32 bytes, or 64 hex"
          + " digits. Default: $CU_HMAC_KEY (64 hex digits), else hmac.key in the --state"
          + " folder.")
  Path hmacKeyFile;

  /** {@code builder} with these options applied (it must have storage). */
  ComputeUnit.Builder apply(ComputeUnit.Builder builder) {
    builder.lockTimeout(lockTimeout);
    return hmacKeyFile == null ? builder : builder.hmacKeyFile(hmacKeyFile);
  }
}
