package dev.cu.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Settings of an {@link LmdbEnvironment}; immutable, built from {@link #defaults()} with the
 * {@code with...} methods.
 *
 * <ul>
 *   <li>{@link #mapSize()}: the initial LMDB map size (default 1 GiB). It only bounds the first
 *       transactions: a write that fills the map doubles it and runs again.
 *   <li>{@link #durability()}: {@link Durability#SYNC} (default) or {@link Durability#NO_SYNC}.
 *   <li>{@link #compressionThreshold()}: row contents longer than this many bytes are zstd
 *       compressed when that makes them smaller (default 512).
 *   <li>{@link #hmacKey()} / {@link #hmacKeyFile()}: the 32-byte key that signs function rows,
 *       or a file holding it. Neither (default): the key comes from the environment variable
 *       {@code CU_HMAC_KEY} when set, else from {@code <dir>/hmac.key}, created on first open
 *       (docs/STORAGE.md, "The HMAC key").
 *   <li>{@link #lockTimeout()}: how long {@link LmdbEnvironment#store(String)} waits for a
 *       namespace another store (of this or another process) holds (default 10 s).
 *   <li>{@link #maxReaders()}: LMDB reader slots, i.e. read transactions open at once (default
 *       126). With {@code MDB_NOTLS} a slot belongs to a transaction, not to a thread.
 * </ul>
 */
public final class LmdbOptions {
  /** When a committed write transaction reaches the disk. */
  public enum Durability {
    /**
     * LMDB's default: each commit is flushed to disk ({@code fsync}) before it returns, so a
     * committed state survives a crash of the process or of the machine.
     */
    SYNC,
    /**
     * {@code MDB_NOSYNC}: commits return without flushing; the operating system writes the pages
     * later. A crash of the process loses nothing, a crash of the machine may lose the last
     * commits (the database stays consistent, it is just older) — and on file systems that
     * reorder writes it may even be damaged. Much faster for many small commits.
     */
    NO_SYNC
  }

  /** The default initial map size, 1 GiB of address space (the file grows with the data). */
  public static final long DEFAULT_MAP_SIZE = 1L << 30;

  /** The default compression threshold in bytes. */
  public static final int DEFAULT_COMPRESSION_THRESHOLD = 512;

  /** The default number of reader slots. */
  public static final int DEFAULT_MAX_READERS = 126;

  /** The default lock timeout, 10 seconds. */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);

  private final long mapSize;
  private final Durability durability;
  private final int compressionThreshold;
  private final byte[] hmacKey;
  private final Path hmacKeyFile;
  private final int maxReaders;
  private final Duration lockTimeout;

  private LmdbOptions(
      long mapSize,
      Durability durability,
      int compressionThreshold,
      byte[] hmacKey,
      Path hmacKeyFile,
      int maxReaders,
      Duration lockTimeout) {
    this.mapSize = mapSize;
    this.durability = durability;
    this.compressionThreshold = compressionThreshold;
    this.hmacKey = hmacKey;
    this.hmacKeyFile = hmacKeyFile;
    this.maxReaders = maxReaders;
    this.lockTimeout = lockTimeout;
  }

  /**
   * 1 GiB, {@link Durability#SYNC}, threshold 512, key from {@code CU_HMAC_KEY} or {@code
   * hmac.key}, 126 readers, a 10 s lock timeout.
   */
  public static LmdbOptions defaults() {
    return new LmdbOptions(
        DEFAULT_MAP_SIZE,
        Durability.SYNC,
        DEFAULT_COMPRESSION_THRESHOLD,
        null,
        null,
        DEFAULT_MAX_READERS,
        DEFAULT_LOCK_TIMEOUT);
  }

  /**
   * The initial map size in bytes.
   *
   * @throws IllegalArgumentException unless it is at least 64 KiB
   */
  public LmdbOptions withMapSize(long bytes) {
    if (bytes < (64L << 10)) {
      throw new IllegalArgumentException("map size must be at least 64 KiB: " + bytes);
    }
    return new LmdbOptions(
        bytes, durability, compressionThreshold, hmacKey, hmacKeyFile, maxReaders, lockTimeout);
  }

  /** The durability of commits. */
  public LmdbOptions withDurability(Durability d) {
    if (d == null) {
      throw new IllegalArgumentException("durability is null");
    }
    return new LmdbOptions(
        mapSize, d, compressionThreshold, hmacKey, hmacKeyFile, maxReaders, lockTimeout);
  }

  /**
   * Row contents longer than {@code bytes} are compressed when that makes them smaller;
   * {@code Integer.MAX_VALUE} turns compression off.
   *
   * @throws IllegalArgumentException when negative
   */
  public LmdbOptions withCompressionThreshold(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("compression threshold is negative: " + bytes);
    }
    return new LmdbOptions(
        mapSize, durability, bytes, hmacKey, hmacKeyFile, maxReaders, lockTimeout);
  }

  /**
   * The application's HMAC key for function rows (copied); null for the default. It takes
   * precedence over {@link #withHmacKeyFile}, {@code CU_HMAC_KEY} and {@code <dir>/hmac.key}.
   *
   * @throws IllegalArgumentException unless it has 32 bytes
   */
  public LmdbOptions withHmacKey(byte[] key) {
    if (key != null && key.length != 32) {
      throw new IllegalArgumentException("the HMAC key must have 32 bytes, not " + key.length);
    }
    return new LmdbOptions(
        mapSize,
        durability,
        compressionThreshold,
        key == null ? null : key.clone(),
        hmacKeyFile,
        maxReaders,
        lockTimeout);
  }

  /**
   * A file holding the HMAC key for function rows: 32 raw bytes, or 64 hexadecimal digits
   * (optionally followed by a newline). Read when the environment opens; it is never created.
   * Null for the default. Takes precedence over {@code CU_HMAC_KEY} and {@code <dir>/hmac.key},
   * not over {@link #withHmacKey}.
   */
  public LmdbOptions withHmacKeyFile(Path file) {
    return new LmdbOptions(
        mapSize, durability, compressionThreshold, hmacKey, file, maxReaders, lockTimeout);
  }

  /**
   * How long opening a namespace waits while another store, of this process or another, holds
   * it; zero tries once.
   *
   * @throws IllegalArgumentException when null or negative
   */
  public LmdbOptions withLockTimeout(Duration timeout) {
    return new LmdbOptions(
        mapSize,
        durability,
        compressionThreshold,
        hmacKey,
        hmacKeyFile,
        maxReaders,
        checkLockTimeout(timeout));
  }

  /**
   * The number of LMDB reader slots.
   *
   * @throws IllegalArgumentException unless between 1 and 65536
   */
  public LmdbOptions withMaxReaders(int n) {
    if (n < 1 || n > 65536) {
      throw new IllegalArgumentException("max readers out of range: " + n);
    }
    return new LmdbOptions(
        mapSize, durability, compressionThreshold, hmacKey, hmacKeyFile, n, lockTimeout);
  }

  public long mapSize() {
    return mapSize;
  }

  public Durability durability() {
    return durability;
  }

  public int compressionThreshold() {
    return compressionThreshold;
  }

  /** A copy of the application's key, or null. */
  public byte[] hmacKey() {
    return hmacKey == null ? null : hmacKey.clone();
  }

  /**
   * Returns {@code timeout} when it is a valid lock timeout.
   *
   * @throws IllegalArgumentException when null or negative
   */
  static Duration checkLockTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException("lock timeout must be zero or more: " + timeout);
    }
    return timeout;
  }

  /** The key file given by {@link #withHmacKeyFile}, or null. */
  public Path hmacKeyFile() {
    return hmacKeyFile;
  }

  public int maxReaders() {
    return maxReaders;
  }

  /** How long opening a namespace waits for its holder ({@link #withLockTimeout}). */
  public Duration lockTimeout() {
    return lockTimeout;
  }

  @Override
  public String toString() {
    return "LmdbOptions[mapSize="
        + mapSize
        + ", durability="
        + durability
        + ", compressionThreshold="
        + compressionThreshold
        + ", hmacKey="
        + (hmacKey != null ? "supplied" : hmacKeyFile != null ? hmacKeyFile : "default")
        + ", maxReaders="
        + maxReaders
        + ", lockTimeout="
        + lockTimeout
        + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LmdbOptions x
        && x.mapSize == mapSize
        && x.durability == durability
        && x.compressionThreshold == compressionThreshold
        && Arrays.equals(x.hmacKey, hmacKey)
        && Objects.equals(x.hmacKeyFile, hmacKeyFile)
        && x.maxReaders == maxReaders
        && x.lockTimeout.equals(lockTimeout);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(mapSize) * 31 + durability.hashCode() + compressionThreshold;
  }
}
