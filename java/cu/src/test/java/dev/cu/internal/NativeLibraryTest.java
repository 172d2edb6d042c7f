package dev.cu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cu.ComputeUnit;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How libcu is found. The bound library is cached once per JVM, so these tests exercise the
 * private locate/load steps directly (by reflection) and never replace the cached binding; the
 * system properties they set are restored after each test.
 */
class NativeLibraryTest {
  private static final String PATH = "cu.library.path";
  private static final String PLATFORM = "cu.platform";

  private String savedPath;
  private String savedPlatform;

  @TempDir
  Path dir;

  @BeforeEach
  void bindFirstAndSaveProperties() {
    NativeLibrary.get();  // cached before any property changes, as in every other test
    savedPath = System.getProperty(PATH);
    savedPlatform = System.getProperty(PLATFORM);
  }

  @AfterEach
  void restoreProperties() {
    restore(PATH, savedPath);
    restore(PLATFORM, savedPlatform);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  /** Calls a private static method of NativeLibrary; returns its result or what it threw. */
  private static Object call(String name) throws ReflectiveOperationException {
    Method m = NativeLibrary.class.getDeclaredMethod(name);
    m.setAccessible(true);
    try {
      return m.invoke(null);
    } catch (InvocationTargetException e) {
      return e.getCause();
    }
  }

  @Test
  void platformIsNonEmpty() {
    assertThat(NativeLibrary.platform()).isNotBlank().matches("[a-z0-9]+-[a-z0-9_]+");
  }

  @Test
  void platformCanBeOverridden() {
    System.setProperty(PLATFORM, "test-platform");
    assertThat(NativeLibrary.platform()).isEqualTo("test-platform");
  }

  @Test
  void theBindingIsLoadedOnceAndWorks() {
    assertThat(NativeLibrary.get()).isSameAs(NativeLibrary.get());
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return 1")).isEqualTo(1L);
    }
  }

  @Test
  void byDefaultTheLibraryComesFromTheJarResource() throws Exception {
    System.clearProperty(PATH);
    Object located = call("locate");
    assertThat(located).isInstanceOf(File.class);
    File f = (File) located;
    assertThat(f).isFile();
    assertThat(f.getName()).isEqualTo(System.mapLibraryName("cu"));
  }

  @Test
  void aMissingLibraryPathFailsClearly() throws Exception {
    String missing = dir.resolve("no-such-" + System.mapLibraryName("cu")).toString();
    System.setProperty(PATH, missing);
    Object thrown = call("locate");
    assertThat(thrown).isInstanceOf(UnsatisfiedLinkError.class);
    assertThat(((Throwable) thrown).getMessage()).contains(PATH).contains(missing);
  }

  @Test
  void aDirectoryWithoutTheLibraryFailsClearly() throws Exception {
    System.setProperty(PATH, dir.toString());
    Object thrown = call("locate");
    assertThat(thrown).isInstanceOf(UnsatisfiedLinkError.class);
    assertThat(((Throwable) thrown).getMessage()).contains(PATH).contains(dir.toString());
  }

  @Test
  void aDirectoryOrFilePathIsUsedAsGiven() throws Exception {
    Path lib = Files.writeString(dir.resolve(System.mapLibraryName("cu")), "not a library");
    System.setProperty(PATH, dir.toString());
    assertThat(call("locate")).isEqualTo(lib.toFile());
    System.setProperty(PATH, lib.toString());
    assertThat(call("locate")).isEqualTo(lib.toFile());
  }

  @Test
  void aFileThatIsNotALibraryFailsWithUnsatisfiedLinkError() throws Exception {
    Path lib = Files.writeString(dir.resolve(System.mapLibraryName("cu")), "not a library");
    System.setProperty(PATH, lib.toString());
    Object thrown = call("load");
    assertThat(thrown).isInstanceOf(UnsatisfiedLinkError.class);
    assertThat(((Throwable) thrown).getMessage()).startsWith("cu: cannot load").contains(
        lib.toString());
  }

  @Test
  void anUnknownPlatformNamesTheWayOut() throws Exception {
    System.clearProperty(PATH);
    System.setProperty(PLATFORM, "nowhere-nothing");
    Object thrown = call("locate");
    assertThat(thrown).isInstanceOf(UnsatisfiedLinkError.class);
    assertThat(((Throwable) thrown).getMessage()).contains("nowhere-nothing").contains(PATH);
  }

  @Test
  void theRealLibraryLoadsFromAnExplicitPath() throws Exception {
    System.clearProperty(PATH);
    File real = (File) call("locate");
    System.setProperty(PATH, real.getParent());
    Object bound = call("load");  // a second, independent binding; the cached one is untouched
    assertThat(bound).isInstanceOf(CuLib.class);
  }
}
