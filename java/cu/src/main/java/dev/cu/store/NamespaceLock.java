package dev.cu.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;

/**
 * The cross-process lock of one namespace: an exclusive {@link FileChannel#lock} (an {@code
 * fcntl} lock on POSIX systems) on {@code <dir>/locks/<namespace>.lock}, held while a store of
 * the namespace is open. The operating system drops the lock when the process ends, however it
 * ends, so a lock never outlives a killed process; the file itself stays and is reused.
 *
 * <p>The holder writes one line, {@code pid=... host=... started=... namespace=...}, into the
 * first {@link #INFO_SIZE} bytes of the file; the lock covers one byte after them, so a waiter
 * can read the line (also on systems whose locks are mandatory) and name the holder.
 *
 * <p>A process must not open the lock file twice: closing any channel of a file drops the
 * process's {@code fcntl} locks on it. {@link LmdbEnvironment} opens each namespace once per JVM.
 */
final class NamespaceLock implements AutoCloseable {
  static final String DIR = "locks";

  /** Bytes reserved for the holder's line; the lock is on the byte at this offset. */
  static final int INFO_SIZE = 1024;

  private static final long FIRST_POLL_MS = 5;
  private static final long MAX_POLL_MS = 100;

  private final FileChannel channel;
  private final FileLock lock;

  private NamespaceLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock file of {@code namespace} in the environment {@code dir}. */
  static Path file(Path dir, String namespace) {
    // namespaces are [A-Za-z0-9._:-]; ':' is not allowed in file names everywhere
    return dir.resolve(DIR).resolve(namespace.replace(":", "%3A") + ".lock");
  }

  /**
   * Takes the lock of {@code namespace}, waiting up to {@code timeout} for the holder to
   * release it.
   *
   * @throws CuLockTimeoutException when another process still holds it after {@code timeout},
   *     naming the holder
   * @throws CuStoreException when the lock file cannot be created or locked
   */
  static NamespaceLock acquire(Path dir, String namespace, Duration timeout) {
    Path f = file(dir, namespace);
    FileChannel ch = open(f);
    try {
      long start = System.nanoTime();
      long deadline = start + timeout.toNanos();
      long poll = FIRST_POLL_MS;
      while (true) {
        FileLock l = ch.tryLock(INFO_SIZE, 1, false);
        if (l != null) {
          NamespaceLock held = new NamespaceLock(ch, l);
          held.writeHolder(namespace);
          return held;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          String holder = readHolder(ch);
          throw new CuLockTimeoutException(
              "namespace "
                  + namespace
                  + " in "
                  + dir
                  + " is held by another process ("
                  + (holder.isEmpty() ? "holder unknown" : holder)
                  + "); gave up after "
                  + Duration.ofNanos(System.nanoTime() - start).toMillis()
                  + " ms (lock file "
                  + f
                  + ")",
              holder);
        }
        Thread.sleep(Math.min(poll, Math.max(1, left / 1_000_000)));
        poll = Math.min(MAX_POLL_MS, poll * 2);
      }
    } catch (OverlappingFileLockException e) {
      close(ch);
      throw new CuStoreException(
          "namespace "
              + namespace
              + " in "
              + dir
              + " is already locked by this JVM outside this environment",
          e);
    } catch (InterruptedException e) {
      close(ch);
      Thread.currentThread().interrupt();
      throw new CuStoreException(
          "interrupted while waiting for namespace " + namespace + " in " + dir, e);
    } catch (IOException e) {
      close(ch);
      throw new CuStoreException("cannot lock " + f + ": " + e, e);
    } catch (RuntimeException e) {
      close(ch);
      throw e;
    }
  }

  private static FileChannel open(Path f) {
    try {
      Files.createDirectories(f.getParent());
      EnumSet<StandardOpenOption> opts =
          EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      try {
        return FileChannel.open(
            f,
            opts,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        return FileChannel.open(f, opts);
      }
    } catch (IOException e) {
      throw new CuStoreException("cannot create the lock file " + f + ": " + e, e);
    }
  }

  /** Writes who holds the lock, padded with spaces to {@link #INFO_SIZE} bytes. */
  private void writeHolder(String namespace) throws IOException {
    String line = Holder.PROCESS + " namespace=" + namespace + "\n";
    byte[] b = new byte[INFO_SIZE];
    java.util.Arrays.fill(b, (byte) ' ');
    byte[] text = line.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(text, 0, b, 0, Math.min(text.length, INFO_SIZE));
    ByteBuffer buf = ByteBuffer.wrap(b);
    long pos = 0;
    while (buf.hasRemaining()) {
      pos += channel.write(buf, pos);
    }
  }

  /** The holder's line without padding, or "" when there is none yet. */
  private static String readHolder(FileChannel ch) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(INFO_SIZE);
      while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
        // read until full or end of file
      }
      return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }

  /** This process's part of the holder's line, the same for every lock it takes. */
  private static final class Holder {
    static final String PROCESS = describe();

    private static String describe() {
      ProcessHandle self = ProcessHandle.current();
      String started = self.info().startInstant().map(Instant::toString).orElse("unknown");
      return "pid=" + self.pid() + " host=" + hostName() + " started=" + started;
    }
  }

  /** The host's name without a DNS lookup (which may block): the kernel's, or the variables'. */
  private static String hostName() {
    try {
      String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      if (!h.isEmpty()) {
        return h;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    String h = System.getenv("HOSTNAME");
    if (h == null) {
      h = System.getenv("COMPUTERNAME");
    }
    return h == null || h.isBlank() ? "unknown" : h.strip();
  }

  private static void close(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing was written that could be lost
    }
  }

  /** Releases the lock; the file stays for the next holder. Idempotent. */
  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } catch (IOException e) {
      // closing the channel below drops the lock anyway
    } finally {
      close(channel);
    }
  }
}
