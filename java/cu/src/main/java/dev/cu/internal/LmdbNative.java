package dev.cu.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;

/**
 * Points lmdbjava at an LMDB library in cu's cache folder. Left alone, lmdbjava copies its
 * bundled library into {@code java.io.tmpdir} under a new name on every JVM start and never
 * deletes it. {@link #prepare()} instead extracts the library of the {@code org.lmdbjava:native}
 * jar once per version into the cache folder libcu uses ({@link NativeCache}: versioned,
 * SHA-256 verified, under a file lock) and sets the system property {@value #NATIVE_LIB}, which
 * lmdbjava reads once, when its classes initialise. It must therefore run before the first use
 * of lmdbjava; {@code dev.cu.store.LmdbEnvironment} calls it from its static initialiser.
 *
 * <p>Nothing is changed when the property is already set (the user chose a library), when the
 * bundled library for this platform is missing, or when no cache folder takes and loads it: then
 * lmdbjava extracts into the temporary folder as before, and the reason is in
 * {@link #fallbackReason()}.
 */
public final class LmdbNative {
  /** lmdbjava's system property: the LMDB library file to load instead of extracting one. */
  public static final String NATIVE_LIB = "lmdbjava.native.lib";

  /** lmdbjava's system property: which bundled library (class path resource) to use. */
  static final String EMBEDDED_LIB = "lmdbjava.embedded.lib";

  private static final String FOLDER = "org/lmdbjava/native/";
  private static final String POM_PROPERTIES = "META-INF/maven/org.lmdbjava/native/pom.properties";

  private static boolean done;
  private static volatile String fallback;

  /** The smallest binding that proves the file is a loadable LMDB. */
  public interface Probe {
    /** {@code mdb_version}: the LMDB version string; null pointers are allowed. */
    String mdb_version(Pointer major, Pointer minor, Pointer patch);
  }

  private LmdbNative() {}

  /**
   * Sets {@value #NATIVE_LIB} to the cached copy of lmdbjava's bundled library, extracting it on
   * first use; idempotent and thread-safe. Never throws: any failure leaves lmdbjava's own
   * loading in place.
   */
  public static synchronized void prepare() {
    if (done) {
      return;
    }
    done = true;
    String set = System.getProperty(NATIVE_LIB);
    if (set != null && !set.isEmpty()) {
      return;
    }
    try {
      NativeResource res = resource(LmdbNative.class.getClassLoader());
      if (res == null) {
        return;
      }
      Path lib = extract(res, NativeCache.candidates(System.getProperties(), System.getenv()));
      if (lib != null) {
        System.setProperty(NATIVE_LIB, lib.toString());
      }
    } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
      fallback = "cannot cache the LMDB library: " + e;
    }
  }

  /** Why {@link #prepare()} left lmdbjava's own loading in place, or null. */
  public static String fallbackReason() {
    return fallback;
  }

  /**
   * lmdbjava's bundled library for this JVM as a {@link NativeResource}, or null (with
   * {@link #fallbackReason()} set) when there is none. The resource name follows lmdbjava:
   * {@code org/lmdbjava/native/<arch>-<os>-<toolchain>.<so|dll>}, or {@value #EMBEDDED_LIB}.
   */
  static NativeResource resource(ClassLoader loader) throws IOException {
    if (loader == null) {
      loader = ClassLoader.getSystemClassLoader();
    }
    String name = System.getProperty(EMBEDDED_LIB);
    if (name == null || name.isEmpty()) {
      name = bundledName(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }
    URL url = name == null ? null : loader.getResource(name);
    if (url == null) {
      fallback = "no bundled LMDB library " + name + " on the class path";
      return null;
    }
    String version = "unknown";
    URL pom = loader.getResource(POM_PROPERTIES);
    if (pom != null) {
      Properties p = new Properties();
      try (InputStream in = pom.openStream()) {
        p.load(in);
      }
      version = p.getProperty("version", version);
    }
    String file = name.substring(name.lastIndexOf('/') + 1);
    String platform = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
    return new NativeResource(
        platform, url, "lmdb-" + file, sha256(url), "lmdbjava-native-" + version);
  }

  /** lmdbjava's resource name for an {@code os.name} and {@code os.arch}, or null. */
  static String bundledName(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    if (arch.equals("amd64") || arch.equals("x86_64")) {
      arch = "x86_64";
    } else if (arch.equals("aarch64") || arch.equals("arm64")) {
      arch = "aarch64";
    } else {
      return null;
    }
    if (os.startsWith("linux")) {
      return FOLDER + arch + "-linux-gnu.so";
    } else if (os.startsWith("mac os")) {
      return FOLDER + arch + "-macos-none.so";
    } else if (os.startsWith("windows")) {
      return FOLDER + arch + "-windows-gnu.dll";
    }
    return null;
  }

  /**
   * Extracts {@code res} into the first cache folder that takes it and can load it (a folder
   * mounted noexec cannot); null, with {@link #fallbackReason()} set, when none can.
   */
  static Path extract(NativeResource res, List<Path> bases) {
    List<String> failures = new ArrayList<>();
    for (Path base : bases) {
      try {
        Path lib = NativeCache.extract(res, base);
        LibraryLoader.create(Probe.class)
            .failImmediately()
            .load(lib.toString())
            .mdb_version(null, null, null);
        return lib;
      } catch (IOException | SecurityException | UnsatisfiedLinkError e) {
        failures.add(base + ": " + e.getMessage());
      }
    }
    fallback = "no cache folder takes the LMDB library: " + String.join("; ", failures);
    return null;
  }

  private static String sha256(URL url) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    try (InputStream in = url.openStream()) {
      byte[] buf = new byte[65536];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
