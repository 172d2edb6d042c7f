package dev.cu.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code --state} folder as a {@code cu state} command finds it. A command that only reads
 * ({@code list}, {@code load}, {@code delete}, {@code export}, {@code verify}) needs a store there
 * and creates nothing ({@link #requireStore}). {@code import} makes the folder and its missing
 * parents itself ({@link #prepare}), so that it knows what it made, and when it fails removes
 * exactly that ({@link #undo}): the folders it made, and in a folder that held no store the
 * entries that were not there before. A folder that held a store is left to the store, whose
 * commit the failure rolls back.
 */
final class StateFolder {
  /** The file of a store in its folder (dev.cu.store.LmdbEnvironment's data file). */
  static final String DATA_FILE = "data.mdb";

  private final Path folder;

  /** The folders {@link #prepare} made, outermost first; the state folder last when it made it. */
  private final List<Path> made;

  /** The names the folder held before, or null when it held a store: nothing to undo then. */
  private final Set<String> before;

  private StateFolder(Path folder, List<Path> made, Set<String> before) {
    this.folder = folder;
    this.made = made;
    this.before = before;
  }

  /**
   * Checks that {@code state} holds a store, creating nothing.
   *
   * @throws CliException (usage) when {@code state} does not exist; (storage) when it holds no
   *     store
   */
  static void requireStore(String state) {
    Path dir = Path.of(state);
    if (!Files.exists(dir)) {
      throw new CliException(ErrorKind.USAGE, "no state folder " + dir + ": it does not exist");
    }
    if (!Files.isRegularFile(dir.resolve(DATA_FILE))) {
      throw new CliException(ErrorKind.STORAGE, "no store in " + dir + " (no " + DATA_FILE + ")");
    }
  }

  /**
   * Makes the folder {@code state} and its missing parents, one at a time, noting which this
   * call made. A name that exists (a folder, a link to one, {@code ..}) is passed through; at the
   * first that cannot be made it stops, and opening the store then reports what is wrong.
   */
  static StateFolder prepare(String state) {
    Path dir = Path.of(state);
    if (Files.isRegularFile(dir.resolve(DATA_FILE))) {
      return new StateFolder(dir, List.of(), null);
    }
    Path abs = dir.toAbsolutePath();
    List<Path> made = new ArrayList<>();
    boolean madeFolder = false;
    Path p = abs.getRoot();
    for (Path name : abs) {
      p = p.resolve(name);
      madeFolder = false;
      try {
        Files.createDirectory(p);
        made.add(p);
        madeFolder = true;
      } catch (FileAlreadyExistsException e) {
        // there before: never removed
      } catch (IOException e) {
        break;
      }
    }
    Set<String> before = new HashSet<>();
    if (!madeFolder && Files.isDirectory(abs)) {
      try (Stream<Path> entries = Files.list(abs)) {
        entries.forEach(e -> before.add(e.getFileName().toString()));
      } catch (IOException e) {
        return new StateFolder(abs, made, null); // what is new in it cannot be told
      }
    }
    return new StateFolder(abs, made, before);
  }

  /**
   * Removes what {@link #prepare} made and what was added to a folder that held no store since,
   * without following symbolic links; says on {@code err} what it cannot remove. Call it after
   * the store is closed.
   */
  void undo(PrintStream err) {
    if (before == null) {
      return;
    }
    try {
      if (Files.isDirectory(folder)) {
        List<Path> added;
        try (Stream<Path> entries = Files.list(folder)) {
          added = entries.filter(e -> !before.contains(e.getFileName().toString())).toList();
        }
        for (Path e : added) {
          deleteTree(e);
        }
      }
      for (int i = made.size() - 1; i >= 0; i--) {
        Files.deleteIfExists(made.get(i));
      }
    } catch (IOException e) {
      err.println("cu: cannot remove what the failed command made in " + folder + ": " + e);
    }
  }

  /** Deletes {@code top} and, when it is a folder (not a link to one), what it holds. */
  private static void deleteTree(Path top) throws IOException {
    Files.walkFileTree(
        top,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
