package dev.cu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a platform's {@code cu-native.properties} from a class path folder. */
class NativeResourceTest {
  private static final String VERSION =
      NativeResource.cuVersion(NativeResourceTest.class.getClassLoader());

  @TempDir Path root;

  private URLClassLoader loader;

  @BeforeEach
  void classPathOfTheTempFolder() throws Exception {
    loader =
        new URLClassLoader(
            new URL[] {root.toUri().toURL()}, NativeResourceTest.class.getClassLoader());
  }

  private Path platform(String name, String lib, String props) throws Exception {
    Path dir = Files.createDirectories(root.resolve("dev/cu/native").resolve(name));
    if (lib != null) {
      Files.writeString(dir.resolve("libx.so"), lib);
    }
    Files.writeString(dir.resolve(NativeResource.PROPERTIES), props);
    return dir;
  }

  @Test
  void aCompleteEntryIsRead() throws Exception {
    String sha = "ab".repeat(32);
    Path dir =
        platform(
            "os-cpu",
            "bytes",
            "platform=os-cpu\nfile=libx.so\nsha256=" + sha + "\nversion=" + VERSION + "\n");
    NativeResource res = NativeResource.find(loader, "os-cpu");
    assertThat(res.platform()).isEqualTo("os-cpu");
    assertThat(res.fileName()).isEqualTo("libx.so");
    assertThat(res.sha256()).isEqualTo(sha);
    assertThat(res.version()).isEqualTo(VERSION);
    assertThat(res.url()).isEqualTo(dir.resolve("libx.so").toUri().toURL());
  }

  @Test
  void anotherVersionOfCuNativeIsRefusedNamingBoth() throws Exception {
    platform("os-cpu", "bytes", "file=libx.so\nsha256=" + "ab".repeat(32) + "\nversion=0.0.1\n");
    assertThatThrownBy(() -> NativeResource.find(loader, "os-cpu"))
        .isInstanceOf(UnsatisfiedLinkError.class)
        .hasMessageContaining("dev.cu:cu " + VERSION)
        .hasMessageContaining("dev.cu:cu-native 0.0.1");
  }

  @Test
  void aMissingLibraryOrChecksumMeansADamagedJar() throws Exception {
    platform("no-lib", null, "file=libx.so\nsha256=" + "ab".repeat(32) + "\nversion=" + VERSION);
    platform("no-sha", "b", "file=libx.so\nversion=" + VERSION);
    platform("bad-sha", "b", "file=libx.so\nsha256=xyz\nversion=" + VERSION);
    for (String p : new String[] {"no-lib", "no-sha", "bad-sha"}) {
      assertThatThrownBy(() -> NativeResource.find(loader, p))
          .isInstanceOf(UnsatisfiedLinkError.class)
          .hasMessageContaining("cu-native jar for " + p + " is damaged");
    }
  }

  @Test
  void theCuVersionComesFromTheFilteredResource() {
    assertThat(VERSION).matches("\\d+\\.\\d+\\.\\d+.*");
  }
}
