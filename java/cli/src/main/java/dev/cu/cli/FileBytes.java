package dev.cu.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a file the user named on the command line. Every failure is a usage error (exit 2)
 * whose message names the file and says plainly why: {@code no such file}, {@code is a
 * directory}, {@code permission denied}, else the system's reason.
 */
final class FileBytes {
  private FileBytes() {}

  /**
   * The bytes of file {@code name}; {@code label} is how messages name it
   * ({@code cannot read <label>: no such file}).
   */
  static byte[] read(String name, String label) {
    try {
      Path path = Path.of(name);
      if (Files.isDirectory(path)) {
        throw new CliException(ErrorKind.USAGE, "cannot read " + label + ": is a directory");
      }
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new CliException(ErrorKind.USAGE, "cannot read " + label + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new CliException(ErrorKind.USAGE, "cannot read " + label + ": permission denied", e);
    } catch (IOException | InvalidPathException e) {
      throw new CliException(ErrorKind.USAGE, "cannot read " + label + ": " + e.getMessage(), e);
    }
  }
}
