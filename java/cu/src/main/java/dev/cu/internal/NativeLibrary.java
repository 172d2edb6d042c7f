package dev.cu.internal;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import jnr.ffi.LibraryLoader;
import org.bytedeco.javacpp.Loader;

/**
 * Finds libcu and binds it once per JVM. The library comes from {@code -Dcu.library.path}
 * when set, else from the jar resource {@code dev/cu/native/<platform>/}, which JavaCPP's
 * {@link Loader} extracts into its versioned cache directory.
 */
public final class NativeLibrary {
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

  /** The JavaCPP platform name used for the resource folder, e.g. {@code linux-x86_64}. */
  public static String platform() {
    String p = System.getProperty("cu.platform");
    return p != null ? p : Loader.getPlatform();
  }

  private static CuLib load() {
    File file = locate();
    try {
      return LibraryLoader.create(CuLib.class).failImmediately().load(file.getAbsolutePath());
    } catch (UnsatisfiedLinkError e) {
      throw new UnsatisfiedLinkError("cu: cannot load " + file + ": " + e.getMessage());
    }
  }

  private static File locate() {
    String override = System.getProperty("cu.library.path");
    if (override != null && !override.isEmpty()) {
      File f = new File(override);
      if (f.isDirectory()) {
        f = new File(f, System.mapLibraryName("cu"));
      }
      if (!f.isFile()) {
        throw new UnsatisfiedLinkError("cu: -Dcu.library.path=" + override + " is not a library file");
      }
      return f;
    }
    String platform = platform();
    String resource = "/dev/cu/native/" + platform + "/" + System.mapLibraryName("cu");
    URL url = NativeLibrary.class.getResource(resource);
    if (url == null) {
      throw new UnsatisfiedLinkError("cu: no native library for platform " + platform
          + " (resource " + resource + " not found); add dev.cu:cu-native:<version>:" + platform
          + " or set -Dcu.library.path");
    }
    try {
      return Loader.cacheResource(url);
    } catch (IOException e) {
      throw new UnsatisfiedLinkError("cu: cannot extract " + resource + " into the cache directory "
          + "(set -Dorg.bytedeco.javacpp.cachedir to a writable, executable folder): " + e);
    }
  }
}
