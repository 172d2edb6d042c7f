package dev.cu.bench;

import dev.cu.ComputeUnit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A unit with LMDB storage in a new temporary folder under {@code java.io.tmpdir} (so on that
 * file system); {@link #close()} closes the unit and deletes the folder.
 */
final class StoredUnit implements AutoCloseable {
  final Path dir;
  final ComputeUnit unit;

  /** {@code settings} adds to a fresh builder; the storage folder is set afterwards. */
  StoredUnit(UnaryOperator<ComputeUnit.Builder> settings) {
    try {
      dir = Files.createTempDirectory("cu-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      unit = settings.apply(ComputeUnit.builder()).storage(dir).build();
    } catch (RuntimeException e) {
      delete(dir);
      throw e;
    }
  }

  @Override
  public void close() {
    unit.close();
    delete(dir);
  }

  private static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
      for (Path p : paths) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
