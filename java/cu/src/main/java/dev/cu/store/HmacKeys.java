package dev.cu.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where the HMAC key of an environment comes from, first match wins: {@link
 * LmdbOptions#hmacKey()}, {@link LmdbOptions#hmacKeyFile()}, the environment variable {@code
 * CU_HMAC_KEY} (64 hexadecimal digits), and last {@code <dir>/hmac.key}, created on first use
 * with 32 random bytes and mode 0600. A key is always 32 bytes; anything else is refused with a
 * {@link CuStoreException} that says what was wrong (never the key itself).
 */
final class HmacKeys {
  /** The environment variable that holds a key in hexadecimal. */
  static final String ENV = "CU_HMAC_KEY";

  static final String KEY_FILE = "hmac.key";
  private static final int LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private HmacKeys() {}

  /** The key for the environment in {@code dir}, as the class comment says. */
  static byte[] resolve(LmdbOptions options, Path dir) {
    return resolve(options, dir, System::getenv);
  }

  /** As {@link #resolve(LmdbOptions, Path)} with {@code getenv} for the process environment. */
  static byte[] resolve(LmdbOptions options, Path dir, UnaryOperator<String> getenv) {
    byte[] key = options.hmacKey();
    if (key != null) {
      return key;
    }
    if (options.hmacKeyFile() != null) {
      return readKeyFile(options.hmacKeyFile());
    }
    String hex = getenv.apply(ENV);
    if (hex != null) {
      String s = hex.strip();
      byte[] k = parseHex(s);
      if (k == null) {
        throw new CuStoreException(
            ENV
                + " must be 64 hexadecimal digits (a 32-byte key); it"
                + " holds "
                + s.length()
                + " characters"
                + (s.chars().allMatch(HmacKeys::isHex) ? "" : ", not all hexadecimal digits"));
      }
      return k;
    }
    return loadOrCreate(dir);
  }

  /**
   * Reads a key file given by the application: 32 raw bytes, or 64 hexadecimal digits with an
   * optional trailing newline. The file is never created.
   */
  static byte[] readKeyFile(Path f) {
    byte[] b;
    try {
      b = Files.readAllBytes(f);
    } catch (NoSuchFileException e) {
      throw new CuStoreException("the HMAC key file " + f + " does not exist", e);
    } catch (IOException e) {
      throw new CuStoreException("cannot read the HMAC key file " + f + ": " + e, e);
    }
    if (b.length == LENGTH) {
      return b;
    }
    byte[] k = parseHex(new String(b, java.nio.charset.StandardCharsets.US_ASCII).strip());
    if (k == null) {
      throw new CuStoreException(
          "the HMAC key file "
              + f
              + " holds "
              + b.length
              + " bytes: a key file holds 32 bytes, or 64 hexadecimal digits");
    }
    return k;
  }

  /** 32 bytes from exactly 64 hexadecimal digits, or null. */
  private static byte[] parseHex(String s) {
    if (s.length() != 2 * LENGTH || !s.chars().allMatch(HmacKeys::isHex)) {
      return null;
    }
    byte[] k = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      k[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return k;
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * Reads {@code dir/hmac.key}, or creates it with 32 random bytes, mode 0600 where POSIX. The
   * new key is written to a temporary file first and then linked into place, so a process that
   * opens the directory at the same moment sees either no key file or a complete one. A key file
   * that is a symbolic link leading to no file is refused: nothing can be created in its place;
   * so is one that is no regular file (a folder, a named pipe), which is never read.
   */
  static byte[] loadOrCreate(Path dir) {
    Path f = dir.resolve(KEY_FILE);
    try {
      while (true) {
        if (Files.exists(f)) {
          if (!Files.isRegularFile(f)) { // a pipe would be waited on for ever
            throw new CuStoreException("the key file " + f + " is not a regular file");
          }
          byte[] k = Files.readAllBytes(f);
          if (k.length != LENGTH) {
            throw new CuStoreException(
                "the key file " + f + " holds " + k.length + " bytes, not 32");
          }
          return k;
        }
        if (Files.isSymbolicLink(f)) { // the name is taken, so no key can be made there
          throw new CuStoreException(
              "the key file "
                  + f
                  + " is a symbolic link to "
                  + Files.readSymbolicLink(f)
                  + ", which leads to no file");
        }
        byte[] k = new byte[LENGTH];
        RANDOM.nextBytes(k);
        try {
          create(dir, f, k);
          return k;
        } catch (FileAlreadyExistsException e) {
          // another process created it meanwhile: read that one
        }
      }
    } catch (IOException e) {
      throw new CuStoreException("cannot read or create the key file " + f + ": " + e, e);
    }
  }

  private static void create(Path dir, Path f, byte[] k) throws IOException {
    Path tmp =
        dir.resolve(
            KEY_FILE
                + "."
                + ProcessHandle.current().pid()
                + "."
                + Long.toHexString(RANDOM.nextLong())
                + ".tmp");
    write(tmp, k);
    try {
      Files.createLink(f, tmp); // refuses to replace an existing f
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (UnsupportedOperationException | FileSystemException e) {
      write(f, k); // no hard links here: CREATE_NEW in place
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void write(Path f, byte[] k) throws IOException {
    Set<StandardOpenOption> opts =
        EnumSet.of(
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    Set<PosixFilePermission> rw = PosixFilePermissions.fromString("rw-------");
    SeekableByteChannel ch;
    boolean posix;
    try {
      ch = Files.newByteChannel(f, opts, PosixFilePermissions.asFileAttribute(rw));
      posix = true;
    } catch (UnsupportedOperationException e) {
      ch = Files.newByteChannel(f, opts, new FileAttribute<?>[0]);
      posix = false;
    }
    try (SeekableByteChannel c = ch) {
      ByteBuffer b = ByteBuffer.wrap(k);
      while (b.hasRemaining()) {
        c.write(b);
      }
    }
    if (posix) {
      Files.setPosixFilePermissions(f, rw); // the umask only removes bits; be explicit anyway
    }
  }
}
