package dev.cu.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The vault's master key: 32 bytes for AES-256, from the environment variable {@code
 * CU_VAULT_KEY} or a key file (either one the base64 text of the 32 bytes), or from any {@link
 * Provider}. Its text never appears in a message or {@link #toString()}.
 */
public final class MasterKey {
  /** The environment variable that holds the key's base64 text. */
  public static final String ENV = "CU_VAULT_KEY";

  /** Where a master key comes from; a service may plug in its own (a KMS, a secret manager). */
  @FunctionalInterface
  public interface Provider {
    /**
     * The key.
     *
     * @throws IOException when it cannot be read
     * @throws IllegalArgumentException when what was read is not a key
     */
    MasterKey key() throws IOException;
  }

  private final byte[] key;

  private MasterKey(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException(
          "a vault master key has 32 bytes (base64 of 32 bytes), not " + key.length);
    }
    this.key = key.clone();
  }

  /**
   * The key of 32 bytes.
   *
   * @throws IllegalArgumentException when there are not 32
   */
  public static MasterKey of(byte[] key) {
    return new MasterKey(key);
  }

  /** A new random key. */
  public static MasterKey generate(SecureRandom random) {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return new MasterKey(b);
  }

  /**
   * The key in the base64 text {@code text} (surrounding white space ignored).
   *
   * @throws IllegalArgumentException when it is not base64 of 32 bytes; the message never
   *     repeats the text
   */
  public static MasterKey parse(String text) {
    byte[] b;
    try {
      b = Base64.getDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a vault master key must be base64 text of 32 bytes");
    }
    return new MasterKey(b);
  }

  /**
   * The key in {@code CU_VAULT_KEY} of {@code env} (the process's: {@code System.getenv()}).
   *
   * @throws IllegalArgumentException when it is unset or not a key
   */
  public static MasterKey fromEnvironment(Map<String, String> env) {
    String v = env.get(ENV);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(ENV + " is not set");
    }
    return parse(v);
  }

  /**
   * The key in {@code file}, which must lie outside {@code stateDir}: a key kept beside the data
   * it protects protects nothing.
   *
   * @throws IOException when it cannot be read
   * @throws IllegalArgumentException when it lies inside the state folder or holds no key
   */
  public static MasterKey fromFile(Path file, Path stateDir) throws IOException {
    Path f = real(file);
    Path s = real(stateDir);
    if (f.startsWith(s)) {
      throw new IllegalArgumentException(
          "the vault key file " + file + " lies inside the state folder " + stateDir);
    }
    return parse(Files.readString(f, StandardCharsets.US_ASCII));
  }

  /**
   * {@code p} absolute, with its symbolic links resolved as far as it exists: where a file really
   * lies, which a link cannot hide.
   *
   * @throws IOException when an existing part of it cannot be resolved
   */
  public static Path real(Path p) throws IOException {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    return existing.toRealPath().resolve(existing.relativize(abs));
  }

  /** The key's base64 text, for writing it where the operator keeps keys. */
  public String base64() {
    return Base64.getEncoder().encodeToString(key);
  }

  SecretKey secretKey() {
    return new SecretKeySpec(key, "AES");
  }

  /** Whether two keys are the same (in constant time). */
  boolean same(MasterKey other) {
    return java.security.MessageDigest.isEqual(key, other.key);
  }

  /** Never the key. */
  @Override
  public String toString() {
    return "MasterKey(32 bytes)";
  }
}
