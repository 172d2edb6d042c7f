package dev.cu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extraction of a library into the versioned cache folder, and the choice of that folder. */
class NativeCacheTest {
  @TempDir Path dir;

  private NativeResource resource(String content, String claimedSha) throws Exception {
    Path src = Files.writeString(dir.resolve("src.bin"), content);
    String sha = claimedSha != null ? claimedSha : NativeCache.sha256(src);
    return new NativeResource("test-arch", src.toUri().toURL(), "libtest.so", sha, "9.9");
  }

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  private static Object fileKey(Path p) throws Exception {
    return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
  }

  @Test
  void sha256IsTheStandardDigest() throws Exception {
    Path f = Files.writeString(dir.resolve("abc"), "abc");
    assertThat(NativeCache.sha256(f))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void theFolderIsVersionedByVersionPlatformAndChecksum() throws Exception {
    NativeResource res = resource("lib", null);
    assertThat(NativeCache.folder(dir, res))
        .isEqualTo(
            dir.resolve("native")
                .resolve("9.9")
                .resolve("test-arch-" + res.sha256().substring(0, 16)));
  }

  @Test
  void extractionWritesAVerifiedCopyOnceAndReusesIt() throws Exception {
    NativeResource res = resource("library bytes", null);
    Path lib = NativeCache.extract(res, dir.resolve("cache"));
    assertThat(lib).isEqualTo(NativeCache.folder(dir.resolve("cache"), res).resolve("libtest.so"));
    assertThat(lib).hasContent("library bytes");
    Object key = fileKey(lib);
    assertThat(NativeCache.extract(res, dir.resolve("cache"))).isEqualTo(lib);
    assertThat(fileKey(lib)).isEqualTo(key); // not rewritten
  }

  @Test
  void aDamagedCachedCopyIsReplaced() throws Exception {
    NativeResource res = resource("library bytes", null);
    Path lib = NativeCache.extract(res, dir);
    Files.writeString(lib, "library byteZ");
    assertThat(NativeCache.extract(res, dir)).isEqualTo(lib);
    assertThat(NativeCache.sha256(lib)).isEqualTo(res.sha256());
  }

  @Test
  void aResourceThatDoesNotMatchItsChecksumIsRefusedAndNothingIsLeft() throws Exception {
    NativeResource res = resource("library bytes", "0".repeat(64));
    Path base = dir.resolve("cache");
    assertThatThrownBy(() -> NativeCache.extract(res, base))
        .isInstanceOf(UnsatisfiedLinkError.class)
        .hasMessageContaining("damaged")
        .hasMessageContaining("0".repeat(64));
    try (Stream<Path> files = Files.list(NativeCache.folder(base, res))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(".lock");
    }
  }

  @Test
  void aFolderThatCannotBeCreatedFailsWithAnIoException() throws Exception {
    NativeResource res = resource("x", null);
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    assertThatThrownBy(() -> NativeCache.extract(res, file.resolve("cache")))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void threadsExtractingAtOnceAllGetTheSameVerifiedFile() throws Exception {
    NativeResource res = resource("x".repeat(1 << 20), null);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Path>> all = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        all.add(pool.submit(() -> NativeCache.extract(res, dir)));
      }
      Path first = all.get(0).get();
      for (Future<Path> f : all) {
        assertThat(f.get()).isEqualTo(first);
      }
      assertThat(NativeCache.sha256(first)).isEqualTo(res.sha256());
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void anExplicitCacheDirIsTheOnlyCandidate() {
    assertThat(
            NativeCache.candidates(
                props("cu.cache.dir", "/x/y", "java.io.tmpdir", "/tmp", "user.home", "/home/u"),
                Map.of()))
        .containsExactly(Path.of("/x/y"));
  }

  @Test
  void linuxUsesXdgCacheHomeOrDotCacheThenTheTemporaryFolder() {
    Properties linux =
        props(
            "os.name", "Linux", "user.home", "/home/u", "user.name", "u", "java.io.tmpdir", "/tmp");
    assertThat(NativeCache.candidates(linux, Map.of("XDG_CACHE_HOME", "/xdg")))
        .containsExactly(Path.of("/xdg/cu"), Path.of("/tmp/cu-u"));
    assertThat(NativeCache.candidates(linux, Map.of("XDG_CACHE_HOME", "relative")))
        .containsExactly(Path.of("/home/u/.cache/cu"), Path.of("/tmp/cu-u"));
    assertThat(NativeCache.candidates(linux, Map.of()))
        .containsExactly(Path.of("/home/u/.cache/cu"), Path.of("/tmp/cu-u"));
  }

  @Test
  void macosAndWindowsUseTheirCacheFolders() {
    assertThat(
            NativeCache.candidates(
                props(
                    "os.name",
                    "Mac OS X",
                    "user.home",
                    "/Users/u",
                    "user.name",
                    "u",
                    "java.io.tmpdir",
                    "/tmp"),
                Map.of()))
        .containsExactly(Path.of("/Users/u/Library/Caches/cu"), Path.of("/tmp/cu-u"));
    assertThat(
            NativeCache.candidates(
                props("os.name", "Windows 11", "user.name", "u", "java.io.tmpdir", "/t"),
                Map.of("LOCALAPPDATA", "/la")))
        .containsExactly(Path.of("/la", "cu", "cache"), Path.of("/t/cu-u"));
  }

  @Test
  void extractedBytesAreExactlyTheResource() throws Exception {
    byte[] bytes = new byte[70_000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    Path src = Files.write(dir.resolve("bin"), bytes);
    NativeResource res =
        new NativeResource("p-q", src.toUri().toURL(), "l.so", NativeCache.sha256(src), "1");
    assertThat(Files.readAllBytes(NativeCache.extract(res, dir.resolve("c")))).isEqualTo(bytes);
  }
}
