package dev.cu.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Properties;

/**
 * The libcu of one platform inside a {@code dev.cu:cu-native:<version>:<platform>} jar: the
 * folder {@code dev/cu/native/<platform>/} holds the library and {@code cu-native.properties}
 * (written by {@code native/cmake/stage.cmake}) with its file name, SHA-256 and version.
 *
 * @param platform the platform name, e.g. {@code linux-x86_64}
 * @param url where the library is on the class path
 * @param fileName the library's file name, e.g. {@code libcu.so} or {@code cu.dll}
 * @param sha256 the library's SHA-256, lower-case hex
 * @param version the cu-native version
 */
record NativeResource(String platform, URL url, String fileName, String sha256, String version) {
  static final String FOLDER = "dev/cu/native/";
  static final String PROPERTIES = "cu-native.properties";

  /** {@link #cuVersion} when dev.cu:cu's version is not known (an unfiltered build). */
  static final String UNKNOWN = "unknown";

  /**
   * Finds the library of {@code platform} through {@code loader}.
   *
   * @throws UnsatisfiedLinkError naming the platform and the artifact to add when it is absent,
   *     damaged or of another version than {@code dev.cu:cu}
   */
  static NativeResource find(ClassLoader loader, String platform) {
    String folder = FOLDER + platform + "/";
    URL propsUrl = loader.getResource(folder + PROPERTIES);
    String cuVersion = cuVersion(loader);
    if (propsUrl == null) {
      throw new UnsatisfiedLinkError(
          "cu: no native library for platform "
              + platform
              + " on the class path; add the dependency dev.cu:cu-native:"
              + cuVersion
              + ":"
              + platform
              + " (or dev.cu:cu-platform, which picks the host's), or set "
              + "-Dcu.library.path=<libcu file> (see docs/PACKAGING.md)");
    }
    Properties p = load(propsUrl);
    String file = p.getProperty("file");
    String sha = p.getProperty("sha256");
    String version = p.getProperty("version");
    URL lib = file == null ? null : loader.getResource(folder + file);
    if (lib == null || sha == null || !sha.matches("[0-9a-f]{64}") || version == null) {
      throw new UnsatisfiedLinkError(
          "cu: "
              + propsUrl
              + " is incomplete or names a missing "
              + "library; the cu-native jar for "
              + platform
              + " is damaged");
    }
    if (!version.equals(cuVersion) && !cuVersion.equals(UNKNOWN)) {
      throw new UnsatisfiedLinkError(
          "cu: dev.cu:cu "
              + cuVersion
              + " found dev.cu:cu-native "
              + version
              + " for "
              + platform
              + " ("
              + propsUrl
              + "); use the same version of both");
    }
    return new NativeResource(platform, lib, file, sha, version);
  }

  /** The version of dev.cu:cu, from its {@code dev/cu/cu.properties}, or {@link #UNKNOWN}. */
  static String cuVersion(ClassLoader loader) {
    URL url = loader.getResource("dev/cu/cu.properties");
    String v = url == null ? null : load(url).getProperty("version");
    return v == null || v.contains("${") ? UNKNOWN : v;
  }

  private static Properties load(URL url) {
    Properties p = new Properties();
    try (InputStream in = url.openStream()) {
      p.load(in);
    } catch (IOException e) {
      throw new UnsatisfiedLinkError("cu: cannot read " + url + ": " + e);
    }
    return p;
  }
}
