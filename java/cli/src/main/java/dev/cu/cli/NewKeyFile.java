package dev.cu.cli;

import dev.cu.serve.MasterKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The file {@code cu vault rotate --generate-key FILE} writes a new master key to: a new file,
 * outside the state folder, readable and writable by its owner only where the file system has
 * POSIX permissions. It holds the key's base64 text and a newline.
 */
final class NewKeyFile {
  private static final String OPTION = "--generate-key";

  private NewKeyFile() {}

  /**
   * Checks that {@code file} can be the new key's file: outside {@code state}, not there yet.
   *
   * @throws CliException (usage) otherwise
   */
  static void check(Path file, Path state) {
    boolean inside;
    try {
      inside = MasterKey.real(file).startsWith(MasterKey.real(state));
    } catch (IOException e) {
      throw new CliException(ErrorKind.USAGE, OPTION + " " + file + ": " + e.getMessage(), e);
    }
    if (inside) {
      throw new CliException(
          ErrorKind.USAGE,
          OPTION
              + " "
              + file
              + " lies inside the state folder "
              + state
              + ": a key kept beside the data it protects protects nothing");
    }
    if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw exists(file);
    }
  }

  /**
   * Writes {@code key} to {@code file}, which must not exist, and syncs it to the disk.
   *
   * @throws CliException (usage) when the file exists or cannot be made
   */
  static void write(Path file, MasterKey key) {
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    FileChannel ch;
    try {
      ch =
          posix
              ? FileChannel.open(
                  file,
                  options,
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rw-------")))
              : FileChannel.open(file, options);
    } catch (FileAlreadyExistsException e) {
      throw exists(file);
    } catch (NoSuchFileException e) {
      throw cannot(file, "no such folder", e);
    } catch (AccessDeniedException e) {
      throw cannot(file, "permission denied", e);
    } catch (IOException e) {
      throw cannot(file, e.getMessage(), e);
    }
    try (ch) { // from here on the file is ours: removed again when it cannot be written
      ByteBuffer b = ByteBuffer.wrap((key.base64() + "\n").getBytes(StandardCharsets.US_ASCII));
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    } catch (IOException e) {
      delete(file);
      throw cannot(file, e.getMessage(), e);
    }
  }

  private static CliException cannot(Path file, String why, IOException cause) {
    return new CliException(
        ErrorKind.USAGE, "cannot write " + OPTION + " " + file + ": " + why, cause);
  }

  /** Removes a key file written by {@link #write} that did not become the vault's key. */
  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // best effort: the error that led here is the one to report
    }
  }

  private static CliException exists(Path file) {
    return new CliException(
        ErrorKind.USAGE,
        OPTION + " " + file + " exists: the new key goes into a new file, nothing is overwritten");
  }
}
