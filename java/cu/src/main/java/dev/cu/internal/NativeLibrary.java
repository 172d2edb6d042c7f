package dev.cu.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jnr.ffi.LibraryLoader;

/**
 * Finds libcu and binds it once per JVM. The library comes from {@code -Dcu.library.path} when
 * set; else from the class path folder {@code dev/cu/native/<platform>/} of the
 * {@code dev.cu:cu-native:<version>:<platform>} jar, extracted and verified by
 * {@link NativeCache}. The platform is {@code <os>-<arch>} ({@link #platform()}), overridden by
 * {@code -Dcu.platform}. See docs/PACKAGING.md.
 */
public final class NativeLibrary {
  /** System property: a libcu file, or a folder holding it, to load instead of the jar's. */
  static final String LIBRARY_PATH = "cu.library.path";

  /** System property: the platform name to use instead of the detected one. */
  static final String PLATFORM = "cu.platform";

  private static volatile CuLib lib;

  private NativeLibrary() {}

  /** The bound library; loads it on first use. */
  public static CuLib get() {
    CuLib l = lib;
    if (l == null) {
      synchronized (NativeLibrary.class) {
        l = lib;
        if (l == null) {
          l = load();
          lib = l;
        }
      }
    }
    return l;
  }

  /**
   * The platform name, e.g. {@code linux-x86_64}, {@code linux-aarch64} or
   * {@code windows-x86_64}: {@code -Dcu.platform} when set, else derived from {@code os.name}
   * and {@code os.arch}.
   */
  public static String platform() {
    String p = System.getProperty(PLATFORM);
    if (p != null && !p.isEmpty()) {
      return p;
    }
    return platformOf(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
  }

  /** The {@code <os>-<arch>} name of a JVM's {@code os.name} and {@code os.arch}. */
  static String platformOf(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    if (os.startsWith("windows")) {
      os = "windows";
    } else if (os.startsWith("mac") || os.startsWith("darwin")) {
      os = "macos";
    } else {
      os = os.replaceAll("[^a-z0-9]", "");
    }
    String arch = osArch.toLowerCase(Locale.ROOT);
    if (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86-64")) {
      arch = "x86_64";
    } else if (arch.equals("aarch64") || arch.equals("arm64")) {
      arch = "aarch64";
    } else {
      arch = arch.replaceAll("[^a-z0-9_]", "");
    }
    return os + "-" + arch;
  }

  private static CuLib load() {
    String path = System.getProperty(LIBRARY_PATH);
    if (path != null && !path.isEmpty()) {
      return bind(fromPath(path));
    }
    ClassLoader loader = NativeLibrary.class.getClassLoader();
    NativeResource res =
        NativeResource.find(
            loader != null ? loader : ClassLoader.getSystemClassLoader(), platform());
    List<Path> bases = NativeCache.candidates(System.getProperties(), System.getenv());
    return loadExtracted(res, bases);
  }

  /**
   * Extracts {@code res} into the first cache folder that takes it and binds it; a folder that
   * cannot be written, or whose copy cannot be loaded (a file system mounted noexec), gives way
   * to the next.
   */
  static CuLib loadExtracted(NativeResource res, List<Path> bases) {
    List<String> failures = new ArrayList<>();
    for (Path base : bases) {
      File file;
      try {
        file = NativeCache.extract(res, base).toFile();
      } catch (IOException | SecurityException e) {
        failures.add(base + ": cannot extract there (" + e + ")");
        continue;
      }
      try {
        return bind(file);
      } catch (UnsatisfiedLinkError e) {
        failures.add(e.getMessage());
      }
    }
    throw new UnsatisfiedLinkError(
        "cu: cannot load the "
            + res.platform()
            + " library "
            + res.fileName()
            + " from "
            + res.url()
            + ": "
            + String.join("; ", failures)
            + ". The cache folder must be writable and allow loading code (not mounted noexec): set "
            + "-D"
            + NativeCache.CACHE_DIR
            + "=<folder>, or -D"
            + LIBRARY_PATH
            + "=<libcu file>");
  }

  /** The file named by {@code -Dcu.library.path}: a library file, or a folder holding it. */
  static File fromPath(String path) {
    File f = new File(path);
    if (f.isDirectory()) {
      f = new File(f, System.mapLibraryName("cu"));
    }
    if (!f.isFile()) {
      throw new UnsatisfiedLinkError(
          "cu: -D"
              + LIBRARY_PATH
              + "="
              + path
              + " is not a library file (nor a folder holding "
              + System.mapLibraryName("cu")
              + ")");
    }
    return f;
  }

  /** Binds {@link CuLib} to a library file. */
  static CuLib bind(File file) {
    try {
      return LibraryLoader.create(CuLib.class).failImmediately().load(file.getAbsolutePath());
    } catch (UnsatisfiedLinkError e) {
      String why = String.valueOf(e.getMessage());
      int eol = why.indexOf('\n'); // JNR-FFI appends the library names and search paths
      throw new UnsatisfiedLinkError(
          "cu: cannot load " + file + ": " + (eol < 0 ? why : why.substring(0, eol)));
    }
  }
}
