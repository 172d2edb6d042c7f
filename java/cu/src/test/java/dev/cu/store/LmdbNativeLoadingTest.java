package dev.cu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LMDB's native library comes from cu's cache folder, extracted once per version, and opening a
 * store leaves nothing in {@code java.io.tmpdir}. Each case runs in a child JVM, since lmdbjava
 * reads its properties once per JVM.
 */
class LmdbNativeLoadingTest {
  @TempDir Path dir;

  private ChildJvm.Result open(Path tmp, Path cache, String... extra) throws Exception {
    Files.createDirectories(tmp);
    List<String> opts =
        new java.util.ArrayList<>(List.of("-Djava.io.tmpdir=" + tmp, "-Dcu.cache.dir=" + cache));
    opts.addAll(List.of(extra));
    ChildJvm.Result r =
        ChildJvm.runWith(opts, OpenStoreChild.class, dir.resolve("store").toString());
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("rows 1");
    return r;
  }

  private static List<Path> lmdbjavaTempFiles(Path tmp) throws Exception {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.filter(p -> p.getFileName().toString().startsWith("lmdbjava-native-library-"))
          .toList();
    }
  }

  private static String libOf(ChildJvm.Result r) {
    String out = r.output();
    int at = out.indexOf("lib ");
    return out.substring(at + 4, out.indexOf('\n', at)).trim();
  }

  @Test
  void openingAStoreLeavesNoLmdbLibraryInTheTemporaryFolder() throws Exception {
    Path tmp = dir.resolve("tmp");
    Path cache = dir.resolve("cache");
    ChildJvm.Result first = open(tmp, cache);
    Path lib = Path.of(libOf(first));
    assertThat(lib).startsWith(cache.resolve("native")).isRegularFile();
    assertThat(lib.toString()).contains("lmdbjava-native-");
    long modified = Files.getLastModifiedTime(lib).toMillis();
    ChildJvm.Result second = open(tmp, cache);
    assertThat(Path.of(libOf(second))).isEqualTo(lib); // extracted once, reused
    assertThat(Files.getLastModifiedTime(lib).toMillis()).isEqualTo(modified);
    assertThat(lmdbjavaTempFiles(tmp)).isEmpty();
  }

  @Test
  void aLibraryTheUserNamedIsKept() throws Exception {
    Path lib = Path.of(libOf(open(dir.resolve("tmp1"), dir.resolve("cache1"))));
    Path tmp = dir.resolve("tmp2");
    Path cache = dir.resolve("cache2");
    ChildJvm.Result r = open(tmp, cache, "-Dlmdbjava.native.lib=" + lib);
    assertThat(libOf(r)).isEqualTo(lib.toString());
    assertThat(cache.resolve("native")).doesNotExist();
    assertThat(lmdbjavaTempFiles(tmp)).isEmpty();
  }

  @Test
  void aDamagedCachedLibraryIsReplaced() throws Exception {
    Path tmp = dir.resolve("tmp");
    Path cache = dir.resolve("cache");
    Path lib = Path.of(libOf(open(tmp, cache)));
    byte[] good = Files.readAllBytes(lib);
    Files.write(lib, new byte[] {1, 2, 3});
    open(tmp, cache);
    assertThat(Files.readAllBytes(lib)).isEqualTo(good); // SHA-256 checked, extracted again
    assertThat(lmdbjavaTempFiles(tmp)).isEmpty();
  }
}
