package dev.cu.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code --state} folder as a {@code cu state} command finds it. A command that only reads
 * ({@code list}, {@code load}, {@code delete}, {@code export}, {@code verify}) needs a store there
 * and creates nothing ({@link #requireStore}).
 *
 * <p>{@code import} ({@link #prepare}) writes into a folder that holds a store in place: the
 * store's one commit happens or not. Into a folder without a store it never writes in place,
 * since another process (a {@code cu eval --state} started at the same moment) may open a store
 * there while the import runs and commit to it. It builds its store in a staging folder that no
 * other process opens, closes it, and puts it into place only when the import succeeded ({@link
 * #publish}), in a step that replaces nothing but an empty folder:
 *
 * <ul>
 *   <li>a folder that does not exist: its missing parents are made, the store is built in the
 *       sibling {@code .NAME.import-*} (NAME cut to 48 characters) and renamed to NAME in one
 *       {@code rename(2)}, which takes the place of a NAME made meanwhile while it is empty and
 *       fails once it holds anything;
 *   <li>an existing folder without a store (empty, or holding e.g. its {@code hmac.key}): the
 *       store is built in {@code NAME/.import-*}, with a copy of the folder's key file, and
 *       hard-linked into NAME: the key file first when the import made it, then {@code data.mdb};
 *       a link fails when the name exists, so a store made there meanwhile stays as it is.
 * </ul>
 *
 * Either way a failed import, or one whose store cannot be put into place, removes its staging
 * folder and the parents it made while they are empty, and nothing else. Only a key file linked
 * into the folder stays when a store appears there between that link and the link of {@code
 * data.mdb}, since that store may use it. A staging folder of an import that was killed holds
 * nothing but that import's data.
 */
final class StateFolder {
  /** The file of a store in its folder (dev.cu.store.LmdbEnvironment's data file). */
  static final String DATA_FILE = "data.mdb";

  /** The key file a store makes in its folder (dev.cu.store.HmacKeys). */
  static final String KEY_FILE = "hmac.key";

  /** The lock file of a store's LMDB environment, and the folder of its namespace locks. */
  private static final String LOCK_FILE = "lock.mdb";

  private static final String LOCKS = "locks";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** How the store of an import reaches the folder. */
  private enum Way {
    /** Written there: the folder holds a store, or is not a folder (opening the store says so). */
    IN_PLACE,
    /** Built in a sibling and renamed: the folder did not exist. */
    RENAME,
    /** Built inside and hard-linked: the folder existed without a store. */
    LINK
  }

  /** The folder as given, for messages. */
  private final Path given;

  /** The folder, absolute. */
  private final Path folder;

  /** Where the store is written: the staging folder, or {@link #given} in place. */
  private final Path store;

  /** The folders {@link #prepare} made, outermost first. */
  private final List<Path> made;

  private final Way way;

  private StateFolder(Path given, Path folder, Path store, List<Path> made, Way way) {
    this.given = given;
    this.folder = folder;
    this.store = store;
    this.made = made;
    this.way = way;
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
   * Prepares an import into {@code state}: makes its missing parents, one at a time, noting which
   * this call made (a name that exists, a folder, a link to one or {@code ..}, is passed through;
   * at the first that cannot be made it stops), and the staging folder the import writes into
   * ({@link #store}) unless the folder holds a store.
   *
   * @throws CliException (storage) when the folder's {@code data.mdb}, key file, {@code
   *     lock.mdb} or {@code locks} exists but is nothing a store could use (before anything is
   *     made), or when the staging folder cannot be made; what this call made is removed then
   */
  static StateFolder prepare(String state) {
    Path dir = Path.of(state);
    if (Files.isRegularFile(dir.resolve(DATA_FILE))) {
      return new StateFolder(dir, dir, dir, List.of(), Way.IN_PLACE);
    }
    refuseUnusable(dir, DATA_FILE, false);
    refuseUnusable(dir, KEY_FILE, false);
    refuseUnusable(dir, LOCK_FILE, false);
    refuseUnusable(dir, LOCKS, true);
    Path abs = dir.toAbsolutePath();
    List<Path> made = abs.getParent() == null ? List.of() : makeFolders(abs.getParent());
    Path staging = null;
    try {
      if (Files.isDirectory(abs)) {
        staging = makeStaging(abs, ".import-");
        Path key = abs.resolve(KEY_FILE);
        if (Files.exists(key)) {
          Files.copy(key, staging.resolve(KEY_FILE)); // the store's key must stay the folder's
        }
        return new StateFolder(dir, abs, staging, made, Way.LINK);
      }
      if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
        return new StateFolder(dir, abs, dir, made, Way.IN_PLACE);
      }
      staging = makeStaging(abs.getParent(), "." + start(abs.getFileName()) + ".import-");
      return new StateFolder(dir, abs, staging, made, Way.RENAME);
    } catch (IOException e) {
      try {
        if (staging != null) {
          deleteTree(staging);
        }
        removeMade(made);
      } catch (IOException again) {
        e.addSuppressed(again);
      }
      throw new CliException(
          ErrorKind.STORAGE, "cannot use the store directory " + dir + ": " + e, e);
    }
  }

  /**
   * Refuses the entry {@code name} of the folder when it exists but is no file (or, for {@code
   * folder}, no folder) a store could use: a link to nothing, a folder, a pipe. Built aside, the
   * import would not see it until the end, hang reading a pipe, or put a store into place that
   * no command can open.
   *
   * @throws CliException (storage) naming the entry as given
   */
  private static void refuseUnusable(Path dir, String name, boolean folder) {
    Path p = dir.resolve(name);
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)
        || (folder ? Files.isDirectory(p) : Files.isRegularFile(p))) {
      return;
    }
    String what = folder ? "not a folder" : "not a regular file";
    if (Files.isSymbolicLink(p) && !Files.exists(p)) {
      try {
        what = "a symbolic link to " + Files.readSymbolicLink(p) + ", which leads to no file";
      } catch (IOException e) {
        what = "a symbolic link that leads to no file";
      }
    }
    throw new CliException(
        ErrorKind.STORAGE,
        "cannot import into " + dir + ": " + p + " is " + what + "; nothing imported");
  }

  /**
   * Makes a new folder in {@code parent} whose name is {@code prefix} and a random part, so that
   * no other process opens it; its mode is that of any folder the process makes.
   */
  private static Path makeStaging(Path parent, String prefix) throws IOException {
    while (true) {
      Path p = parent.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong(), 36));
      try {
        return Files.createDirectory(p);
      } catch (FileAlreadyExistsException e) {
        // taken: draw again
      }
    }
  }

  /**
   * The first 48 characters of {@code name}: with the staging folder's 22 more bytes, at most 214
   * of the 255 bytes a name may have, whatever NAME is.
   */
  private static String start(Path name) {
    String s = name.toString();
    return s.substring(0, s.offsetByCodePoints(0, Math.min(48, s.codePointCount(0, s.length()))));
  }

  /** Makes {@code dir} and its missing parents; returns the folders made, outermost first. */
  private static List<Path> makeFolders(Path dir) {
    List<Path> made = new ArrayList<>();
    Path p = dir.getRoot();
    for (Path name : dir) {
      p = p.resolve(name);
      try {
        Files.createDirectory(p);
        made.add(p);
      } catch (FileAlreadyExistsException e) {
        // there before: never removed
      } catch (IOException e) {
        break;
      }
    }
    return made;
  }

  /** The folder the import opens its store in. */
  Path store() {
    return store;
  }

  /**
   * {@code e}, a failure of the import's store, with the staging folder named as the folder the
   * user gave: the staging folder is gone once the import failed, and what it held was the
   * folder's (its key file copied) or the import's own.
   */
  RuntimeException named(RuntimeException e) {
    String m = e.getMessage();
    if (way == Way.IN_PLACE || m == null) {
      return e;
    }
    String n = m;
    try {
      n = n.replace(store.toRealPath().toString(), given.toString()); // as the store names it
    } catch (IOException | RuntimeException gone) {
      // removed already: only the name it was made with can appear
    }
    n = n.replace(store.toString(), given.toString());
    return n.equals(m) ? e : new CliException(ErrorKind.of(e), n, e);
  }

  /**
   * Removes what {@link #prepare} made, after a failed import: the staging folder with the store
   * in it, and the parents it made while they are empty. Follows no symbolic link; says on {@code
   * err} what it cannot remove. Call it after the store is closed.
   */
  void discard(PrintStream err) {
    try {
      if (way != Way.IN_PLACE) {
        deleteTree(store);
      }
      removeMade(made);
    } catch (IOException e) {
      err.println("cu: cannot remove what the failed import made for " + given + ": " + e);
    }
  }

  /**
   * Puts the closed store of a successful import into place (nothing to do in place), then
   * removes the staging folder.
   *
   * @throws CliException (storage) when it cannot, because something was made there meanwhile or
   *     the file system refuses: nothing is imported then, and what {@link #prepare} made is
   *     removed as by {@link #discard}
   */
  void publish(PrintStream err) {
    if (way == Way.IN_PLACE) {
      return;
    }
    String refused;
    try {
      refused = way == Way.RENAME ? rename() : link();
    } catch (IOException | UnsupportedOperationException e) {
      refused = "cannot put the new store into " + given + ": " + e;
    }
    if (refused != null) {
      discard(err);
      throw new CliException(ErrorKind.STORAGE, "nothing imported: " + refused);
    }
    if (way == Way.LINK) {
      try {
        deleteTree(store); // its names only: the folder's links keep the files
      } catch (IOException e) {
        err.println("cu: cannot remove the import's staging folder " + store + ": " + e);
      }
    }
  }

  /** Renames the staging folder to the folder; why not, or null when done. */
  private String rename() throws IOException {
    try {
      Files.move(store, folder, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
        return given + " was made while the import ran (by another process?); it is left as it is";
      }
      throw e;
    }
    sync(folder.getParent());
    return null;
  }

  /**
   * Links the key file the import made, then {@code data.mdb}, into the folder; why not, or null
   * when done.
   */
  private String link() throws IOException {
    String made = "a store was made in " + given + " while the import ran (by another process?)";
    if (Files.exists(folder.resolve(DATA_FILE), LinkOption.NOFOLLOW_LINKS)) {
      return made + "; it is left as it is";
    }
    Path key = store.resolve(KEY_FILE);
    boolean linkedKey = false;
    if (Files.exists(key)) {
      try {
        Files.createLink(folder.resolve(KEY_FILE), key);
        linkedKey = true;
      } catch (FileAlreadyExistsException e) {
        if (!Arrays.equals(Files.readAllBytes(folder.resolve(KEY_FILE)), Files.readAllBytes(key))) {
          return "a key file with another key was made in "
              + given
              + " while the import ran (by another process?); it is left as it is";
        }
      }
    }
    try {
      Files.createLink(folder.resolve(DATA_FILE), store.resolve(DATA_FILE));
    } catch (FileAlreadyExistsException e) {
      return made
          + "; it is left as it is"
          + (linkedKey ? ", and so is the key file the import linked there (it may use it)" : "");
    }
    sync(folder);
    return null;
  }

  /** Makes the folder's new entries durable where the platform allows; best effort. */
  private static void sync(Path dir) {
    try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
      c.force(true);
    } catch (IOException | RuntimeException e) {
      // a platform that cannot open a folder (Windows): its renames are as durable as it makes them
    }
  }

  /** Removes the folders in {@code made}, innermost first, up to the first that is not empty. */
  private static void removeMade(List<Path> made) throws IOException {
    for (int i = made.size() - 1; i >= 0; i--) {
      try {
        Files.deleteIfExists(made.get(i));
      } catch (DirectoryNotEmptyException e) {
        return; // something else uses it now, and so its parents
      }
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
