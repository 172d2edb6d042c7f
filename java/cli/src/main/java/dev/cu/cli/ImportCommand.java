package dev.cu.cli;

import dev.cu.ComputeUnit;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cu state import [--merge] FILE|-}: makes the JSON that {@code cu state export} writes
 * the current {@code _home}, in one commit ({@link ImportReader} reads it as a stream, {@link
 * HomeImport} writes it). The file is read at most {@code --input-limit} bytes far; past that the
 * import fails with exit 3 and the state stays as it was. Into a state folder that holds no
 * store the import builds its store in a staging folder and puts it into place only when it
 * succeeded ({@link StateFolder}): a failed import removes the staging folder and the parents it
 * made, and a store that another process made in the folder meanwhile stays as it is (the import
 * then fails with a storage error and imports nothing).
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Make the JSON that cu state export writes the current _home, in one commit: a",
      "failure anywhere (bad JSON, a bad $ref, a limit) leaves the state as it was.",
      "Into a --state folder without a store, the store is built aside and put there",
      "when complete: a failure leaves no folder or file behind, and a store that",
      "another process made there meanwhile is kept (nothing imported, exit 4).",
      "The top must be a JSON object (or the array export writes for an _home with",
      "keys 1..n). Without --merge it replaces the whole _home. {\"$id\": 1, ...} and",
      "{\"$ref\": 1} restore shared tables and cycles; [] is an array, {} a map; 1 is",
      "an integer (beyond 64 bits a bigint, of at most 10,000,000 digits) and 1.0 a",
      "float; a key that is a canonical integer (3, -7) is an integer key unless the",
      "object's keys are exactly 1..n. Export cannot tell these from strings, so",
      "import restores them as the strings export wrote:",
      "functions and other values written by description (\"function: 0x...\"),",
      "strings that are not UTF-8 (base64), \"NaN\" and \"Infinity\", keys that were",
      "floats or booleans (\"1.5\", \"true\")."
    })
final class ImportCommand implements Callable<Integer> {
  @ParentCommand StateCommand parent;

  @Parameters(paramLabel = "FILE", description = "The JSON file, or - for standard input.")
  String file;

  @Option(
      names = "--merge",
      description = "Set only the document's top-level keys; keep the other keys of _home.")
  boolean merge;

  @Option(
      names = "--input-limit",
      paramLabel = "SIZE",
      converter = SizeParser.class,
      defaultValue = "256m",
      description =
          "Most bytes to read; past it the import fails with exit 3 and changes"
              + " nothing. 0 = none. Default: ${DEFAULT-VALUE}.")
  long inputLimit;

  @Option(
      names = "--memory-limit",
      paramLabel = "SIZE",
      converter = SizeParser.class,
      defaultValue = "256m",
      description =
          "Lua heap limit while importing (the tables written live in it until the"
              + " commit); 0 = none. Default: ${DEFAULT-VALUE}.")
  long memoryLimit;

  @Override
  public Integer call() {
    if (inputLimit < 0) {
      throw new CliException(ErrorKind.USAGE, "--input-limit must be 0 or more");
    }
    boolean stdin = file.equals("-");
    long total = stdin ? -1 : size(file);
    if (inputLimit > 0 && total > inputLimit) {
      throw tooLarge();
    }
    InputStream raw = stdin ? parent.streams.in() : open(file);
    StateFolder folder = null;
    boolean imported = false;
    try (Counting in = new Counting(raw);
        Progress progress =
            Progress.on(parent.streams.err(), "import", "MiB", Progress.MIN_BYTES)) {
      folder = StateFolder.prepare(parent.state);
      ImportReader reader = new ImportReader(in);
      ComputeUnit.Builder b = ComputeUnit.builder().memoryLimit(memoryLimit);
      try (ComputeUnit unit = parent.store.apply(b, folder.store()).build()) {
        HomeImport.run(unit, reader, merge, () -> progress.to(in.count, total));
      } catch (RuntimeException e) {
        throw folder.named(e); // the folder the user gave, not the staging folder
      }
      imported = true;
    } catch (IOException e) {
      throw new CliException(ErrorKind.USAGE, "cannot read " + label() + ": " + e.getMessage(), e);
    } finally {
      // the store is closed: a committed one may be moved, another leaves nothing behind
      if (imported) {
        folder.publish(parent.streams.err());
      } else if (folder != null) {
        folder.discard(parent.streams.err());
      }
    }
    return ExitCode.OK;
  }

  private String label() {
    return file.equals("-") ? "standard input" : "import file " + file;
  }

  private CliException tooLarge() {
    return new CliException(
        ErrorKind.INPUT,
        label() + " is larger than --input-limit of " + inputLimit + " bytes; nothing imported");
  }

  /** The size of {@code name}, which must be a readable regular file. */
  private long size(String name) {
    try {
      Path path = Path.of(name);
      if (Files.isDirectory(path)) {
        throw new CliException(ErrorKind.USAGE, "cannot read " + label() + ": is a directory");
      }
      return Files.size(path);
    } catch (NoSuchFileException e) {
      throw new CliException(ErrorKind.USAGE, "cannot read " + label() + ": no such file", e);
    } catch (IOException | InvalidPathException e) {
      throw new CliException(ErrorKind.USAGE, "cannot read " + label() + ": " + e.getMessage(), e);
    }
  }

  private InputStream open(String name) {
    try {
      return Files.newInputStream(Path.of(name));
    } catch (AccessDeniedException e) {
      throw new CliException(ErrorKind.USAGE, "cannot read " + label() + ": permission denied", e);
    } catch (IOException e) {
      throw new CliException(ErrorKind.USAGE, "cannot read " + label() + ": " + e.getMessage(), e);
    }
  }

  /** Counts the bytes read, and fails once they pass {@code --input-limit}. */
  private final class Counting extends FilterInputStream {
    long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        add(n);
      }
      return n;
    }

    private void add(long n) {
      count += n;
      if (inputLimit > 0 && count > inputLimit) {
        throw tooLarge();
      }
    }

    @Override
    public void close() throws IOException {
      if (in != parent.streams.in()) {
        super.close();
      }
    }
  }
}
