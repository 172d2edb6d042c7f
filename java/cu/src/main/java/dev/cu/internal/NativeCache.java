package dev.cu.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Extracts a {@link NativeResource} into a versioned cache folder,
 * {@code <cache>/native/<version>/<platform>-<sha256 prefix>/<file>}, under a file lock, so two
 * JVMs starting at once neither read a half-written library nor overwrite a loaded one. A file
 * already there is reused only when its SHA-256 matches; the extracted file is verified too.
 */
final class NativeCache {
  /** System property: the only cache folder to use. */
  static final String CACHE_DIR = "cu.cache.dir";

  private NativeCache() {}

  /**
   * The cache folders to try in order: {@code -Dcu.cache.dir} alone when set, else the user's
   * cache folder ({@code $XDG_CACHE_HOME/cu} or {@code ~/.cache/cu}; {@code ~/Library/Caches/cu}
   * on macOS; {@code %LOCALAPPDATA%\cu\cache} on Windows), then {@code <java.io.tmpdir>/cu-<user>}.
   */
  static List<Path> candidates(Properties props, Map<String, String> env) {
    String explicit = props.getProperty(CACHE_DIR);
    if (explicit != null && !explicit.isEmpty()) {
      return List.of(Path.of(explicit));
    }
    List<Path> dirs = new ArrayList<>();
    String os = props.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String home = props.getProperty("user.home");
    String xdg = env.get("XDG_CACHE_HOME");
    String local = env.get("LOCALAPPDATA");
    if (os.startsWith("windows") && local != null && !local.isEmpty()) {
      dirs.add(Path.of(local, "cu", "cache"));
    } else if (os.startsWith("mac") && home != null) {
      dirs.add(Path.of(home, "Library", "Caches", "cu"));
    } else if (xdg != null && Path.of(xdg).isAbsolute()) {
      dirs.add(Path.of(xdg, "cu"));
    } else if (home != null && !home.isEmpty() && !home.equals("?")) {
      dirs.add(Path.of(home, ".cache", "cu"));
    }
    String tmp = props.getProperty("java.io.tmpdir");
    if (tmp != null) {
      dirs.add(Path.of(tmp, "cu-" + props.getProperty("user.name", "user")));
    }
    return dirs;
  }

  /** The folder of {@code res} inside the cache folder {@code base}. */
  static Path folder(Path base, NativeResource res) {
    return base.resolve("native")
        .resolve(res.version())
        .resolve(res.platform() + "-" + res.sha256().substring(0, 16));
  }

  /**
   * Returns the verified library of {@code res} in {@code base}, extracting it first if needed.
   *
   * @throws IOException when the folder cannot be created, locked or written
   * @throws UnsatisfiedLinkError when the jar's library does not match its checksum
   */
  static Path extract(NativeResource res, Path base) throws IOException {
    Path dir = folder(base, res);
    Files.createDirectories(dir);
    Path lib = dir.resolve(res.fileName());
    synchronized (NativeCache.class) { // a JVM may not hold two locks on one file
      try (FileChannel ch =
              FileChannel.open(
                  dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        if (Files.isRegularFile(lib) && sha256(lib).equals(res.sha256())) {
          return lib;
        }
        Path tmp = Files.createTempFile(dir, res.fileName(), ".part");
        try {
          try (InputStream in = res.url().openStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          }
          Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(tmp);
        }
        String got = sha256(lib);
        if (!got.equals(res.sha256())) {
          Files.deleteIfExists(lib);
          throw new UnsatisfiedLinkError(
              "cu: "
                  + res.url()
                  + " has SHA-256 "
                  + got
                  + " but its "
                  + NativeResource.PROPERTIES
                  + " says "
                  + res.sha256()
                  + "; the cu-native jar for "
                  + res.platform()
                  + " is damaged");
        }
        return lib;
      }
    }
  }

  /** The SHA-256 of a file, lower-case hex. */
  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    byte[] buf = new byte[65536];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
