package dev.cu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.ComputeUnit;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How libcu is found and bound. The binding is cached once per JVM, so these tests call the
 * package-private steps directly and never replace it; the system properties they set are
 * restored after each test.
 */
class NativeLibraryTest {
  private static final ClassLoader LOADER = NativeLibraryTest.class.getClassLoader();

  private String savedPlatform;

  @TempDir Path dir;

  @BeforeEach
  void bindFirstAndSaveProperties() {
    NativeLibrary.get(); // cached before any property changes, as in every other test
    savedPlatform = System.getProperty(NativeLibrary.PLATFORM);
  }

  @AfterEach
  void restoreProperties() {
    if (savedPlatform == null) {
      System.clearProperty(NativeLibrary.PLATFORM);
    } else {
      System.setProperty(NativeLibrary.PLATFORM, savedPlatform);
    }
  }

  @Test
  void platformNamesFollowOsDashArch() {
    assertThat(NativeLibrary.platformOf("Linux", "amd64")).isEqualTo("linux-x86_64");
    assertThat(NativeLibrary.platformOf("Linux", "aarch64")).isEqualTo("linux-aarch64");
    assertThat(NativeLibrary.platformOf("Windows 11", "amd64")).isEqualTo("windows-x86_64");
    assertThat(NativeLibrary.platformOf("Mac OS X", "aarch64")).isEqualTo("macos-aarch64");
    assertThat(NativeLibrary.platformOf("Mac OS X", "x86_64")).isEqualTo("macos-x86_64");
    assertThat(NativeLibrary.platformOf("FreeBSD", "riscv64")).isEqualTo("freebsd-riscv64");
    assertThat(NativeLibrary.platformOf("SunOS", "sparcv9")).isEqualTo("sunos-sparcv9");
  }

  @Test
  void platformCanBeOverridden() {
    System.setProperty(NativeLibrary.PLATFORM, "test-platform");
    assertThat(NativeLibrary.platform()).isEqualTo("test-platform");
    System.clearProperty(NativeLibrary.PLATFORM);
    assertThat(NativeLibrary.platform())
        .isEqualTo(
            NativeLibrary.platformOf(System.getProperty("os.name"), System.getProperty("os.arch")));
  }

  @Test
  void theBindingIsLoadedOnceAndWorks() {
    assertThat(NativeLibrary.get()).isSameAs(NativeLibrary.get());
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return 1")).isEqualTo(1L);
    }
  }

  @Test
  void theTestsUseTheLibraryPackagedInTheCuNativeJar() {
    String platform = NativeLibrary.platform();
    NativeResource res = NativeResource.find(LOADER, platform);
    assertThat(res.url().getProtocol()).isEqualTo("jar");
    assertThat(res.url().getPath())
        .contains(
            "cu-native-"
                + res.version()
                + "-"
                + platform
                + ".jar!/dev/cu/native/"
                + platform
                + "/"
                + res.fileName());
    assertThat(res.version())
        .isEqualTo(NativeResource.cuVersion(LOADER))
        .isNotEqualTo(NativeResource.UNKNOWN);
  }

  @Test
  void anUnknownPlatformNamesTheArtifactToAdd() {
    assertThatThrownBy(() -> NativeResource.find(LOADER, "nowhere-nothing"))
        .isInstanceOf(UnsatisfiedLinkError.class)
        .hasMessageContaining("platform nowhere-nothing")
        .hasMessageContaining(
            "dev.cu:cu-native:" + NativeResource.cuVersion(LOADER) + ":nowhere-nothing")
        .hasMessageContaining("-D" + NativeLibrary.LIBRARY_PATH);
  }

  @Test
  void aMissingLibraryPathFailsClearly() {
    String missing = dir.resolve("no-such-" + System.mapLibraryName("cu")).toString();
    assertThatThrownBy(() -> NativeLibrary.fromPath(missing))
        .isInstanceOf(UnsatisfiedLinkError.class)
        .hasMessageContaining(NativeLibrary.LIBRARY_PATH)
        .hasMessageContaining(missing);
  }

  @Test
  void aDirectoryWithoutTheLibraryFailsClearly() {
    assertThatThrownBy(() -> NativeLibrary.fromPath(dir.toString()))
        .isInstanceOf(UnsatisfiedLinkError.class)
        .hasMessageContaining(NativeLibrary.LIBRARY_PATH)
        .hasMessageContaining(dir.toString());
  }

  @Test
  void aDirectoryOrFilePathIsUsedAsGiven() throws Exception {
    Path lib = Files.writeString(dir.resolve(System.mapLibraryName("cu")), "not a library");
    assertThat(NativeLibrary.fromPath(dir.toString())).isEqualTo(lib.toFile());
    assertThat(NativeLibrary.fromPath(lib.toString())).isEqualTo(lib.toFile());
  }

  @Test
  void aFileThatIsNotALibraryFailsWithUnsatisfiedLinkError() throws Exception {
    Path lib = Files.writeString(dir.resolve(System.mapLibraryName("cu")), "not a library");
    assertThatThrownBy(() -> NativeLibrary.bind(lib.toFile()))
        .isInstanceOf(UnsatisfiedLinkError.class)
        .hasMessageStartingWith("cu: cannot load")
        .hasMessageContaining(lib.toString());
  }

  @Test
  void theRealLibraryLoadsFromAnExplicitPath() throws Exception {
    NativeResource res = NativeResource.find(LOADER, NativeLibrary.platform());
    Path extracted = NativeCache.extract(res, dir);
    File real = NativeLibrary.fromPath(extracted.getParent().toString());
    assertThat(real.toPath()).isEqualTo(extracted);
    assertThat(NativeLibrary.bind(real)).isInstanceOf(CuLib.class); // a second, independent binding
  }

  @Test
  void anUnusableCacheFolderGivesWayToTheNext() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Path good = dir.resolve("good");
    NativeResource res = NativeResource.find(LOADER, NativeLibrary.platform());
    assertThat(NativeLibrary.loadExtracted(res, List.of(file.resolve("cache"), good)))
        .isInstanceOf(CuLib.class);
    assertThat(NativeCache.folder(good, res).resolve(res.fileName())).isRegularFile();
  }

  @Test
  void whenNoFolderWorksTheErrorNamesEachAndTheOverrides() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Path fake = Files.writeString(dir.resolve("fake.so"), "not a library");
    NativeResource res =
        new NativeResource(
            "test-fake", fake.toUri().toURL(), "libfake.so", NativeCache.sha256(fake), "1");
    Path good = dir.resolve("cache");
    assertThatThrownBy(() -> NativeLibrary.loadExtracted(res, List.of(file.resolve("c"), good)))
        .isInstanceOf(UnsatisfiedLinkError.class)
        .hasMessageContaining("test-fake")
        .hasMessageContaining(file.resolve("c").toString() + ": cannot extract there")
        .hasMessageContaining("cu: cannot load " + NativeCache.folder(good, res))
        .hasMessageContaining("noexec")
        .hasMessageContaining("-D" + NativeCache.CACHE_DIR + "=")
        .hasMessageContaining("-D" + NativeLibrary.LIBRARY_PATH + "=");
    assertThat(
            new String(
                Files.readAllBytes(NativeCache.folder(good, res).resolve("libfake.so")),
                StandardCharsets.UTF_8))
        .isEqualTo("not a library");
  }
}
