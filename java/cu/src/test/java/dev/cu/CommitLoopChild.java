package dev.cu;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child JVM of {@link CrashRecoveryTest}: commits {@code _home.n = i} for i = 1, 2, ... with
 * autoCommit and appends {@code i} to the acknowledgement file (args[1]) after each commit
 * returned, until killed. The file lives in the page cache, so a SIGKILL does not lose it.
 */
public final class CommitLoopChild {
  private CommitLoopChild() {}

  public static void main(String[] args) throws IOException {
    try (ComputeUnit cu = ComputeUnit.builder().storage(Path.of(args[0])).autoCommit(true).build();
        FileOutputStream acks = new FileOutputStream(args[1], true)) {
      long start = cu.compute("return _home.n or 0") instanceof Long l ? l : 0;
      for (long i = start + 1; ; i++) {
        cu.compute(
            "_home.n = " + i + " _home.log = _home.log or {} _home.log[#_home.log + 1] = " + i);
        acks.write((i + "\n").getBytes(StandardCharsets.US_ASCII));
      }
    }
  }
}
