package dev.cu;

import dev.cu.store.LmdbOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Child JVM of {@link MultiProcessStorageTest}; args[0] says what to do on the storage folder
 * args[1]:
 *
 * <ul>
 *   <li>{@code inc DIR N}: N times, a new unit runs {@code _home.c = (_home.c or 0) + 1};
 *   <li>{@code tables DIR NS TAG N}: one unit on namespace NS creates N tables {@code
 *       _home[TAG .. i] = {i = i, tag = TAG, inner = {i}}}, one call (one commit) each;
 *   <li>{@code hold DIR NS READY}: opens a unit on NS, writes READY, then sleeps until killed;
 *   <li>{@code fn DIR}: stores {@code _home.f}, signed with the key {@code CU_HMAC_KEY} gives;
 *   <li>{@code grow DIR}: with a 64 KiB map, writes about 4 MB in namespace "big".
 * </ul>
 *
 * Every unit waits up to 60 s for its namespace.
 */
public final class StorageChild {
  private StorageChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    switch (args[0]) {
      case "inc" -> {
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
          try (ComputeUnit cu = unit(dir, "default").build()) {
            cu.compute("_home.c = (_home.c or 0) + 1");
          }
        }
      }
      case "tables" -> {
        try (ComputeUnit cu = unit(dir, args[2]).build()) {
          for (int i = 1; i <= Integer.parseInt(args[4]); i++) {
            cu.compute(
                "local tag, i = '"
                    + args[3]
                    + "', "
                    + i
                    + " _home[tag .. i] = {i = i, tag = tag, inner = {i}}");
          }
        }
      }
      case "hold" -> {
        try (ComputeUnit cu = unit(dir, args[2]).build()) {
          cu.compute("_home.holder = 'child'");
          Files.writeString(Path.of(args[3]), "ready\n");
          Thread.sleep(Long.MAX_VALUE);
        }
      }
      case "fn" -> {
        try (ComputeUnit cu = unit(dir, "default").build()) {
          cu.compute("_home.f = function(x) return x * 2 end");
        }
      }
      case "grow" -> {
        try (ComputeUnit cu =
            unit(dir, "big")
                .memoryLimit(0)
                .storageOptions(LmdbOptions.defaults().withMapSize(64 << 10))
                .build()) {
          cu.compute(
              "local t = {} for i = 1, 4000 do local s = {} for j = 1, 100 do"
                  + " s[j] = string.format('%08x', math.random(0, 0x7fffffff)) end"
                  + " t[i] = table.concat(s) end _home.big = t");
        }
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  private static ComputeUnit.Builder unit(Path dir, String namespace) {
    return ComputeUnit.builder()
        .storage(dir)
        .namespace(namespace)
        .lockTimeout(Duration.ofSeconds(60));
  }
}
