package dev.cu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The names of lmdbjava's bundled libraries, as lmdbjava resolves them. */
class LmdbNativeTest {
  @Test
  void bundledNamesFollowLmdbjava() {
    assertThat(LmdbNative.bundledName("Linux", "amd64"))
        .isEqualTo("org/lmdbjava/native/x86_64-linux-gnu.so");
    assertThat(LmdbNative.bundledName("Linux", "aarch64"))
        .isEqualTo("org/lmdbjava/native/aarch64-linux-gnu.so");
    assertThat(LmdbNative.bundledName("Mac OS X", "aarch64"))
        .isEqualTo("org/lmdbjava/native/aarch64-macos-none.so");
    assertThat(LmdbNative.bundledName("Windows 11", "amd64"))
        .isEqualTo("org/lmdbjava/native/x86_64-windows-gnu.dll");
    assertThat(LmdbNative.bundledName("Linux", "riscv64")).isNull();
    assertThat(LmdbNative.bundledName("SunOS", "amd64")).isNull();
  }

  @Test
  void theBundledLibraryOfThisPlatformIsFoundWithItsVersion() throws Exception {
    NativeResource res = LmdbNative.resource(LmdbNative.class.getClassLoader());
    assertThat(res).isNotNull();
    assertThat(res.version()).startsWith("lmdbjava-native-0.9.");
    assertThat(res.sha256()).matches("[0-9a-f]{64}");
    assertThat(res.fileName()).startsWith("lmdb-");
  }
}
