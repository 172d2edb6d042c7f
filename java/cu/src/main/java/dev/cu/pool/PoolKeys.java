package dev.cu.pool;

import dev.cu.store.LmdbEnvironment;
import dev.cu.store.LmdbTableStore;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The storage namespace of a pool key. Any non-empty string is a key; a namespace is 1-128
 * characters of {@code [A-Za-z0-9._:-]} and names a lock file, so the mapping is injective and
 * safe on file systems that ignore case:
 *
 * <ul>
 *   <li>{@code "k." + escaped}: the key's UTF-8 bytes, with {@code a-z}, {@code 0-9}, {@code .}
 *       and {@code -} kept and every other byte (capitals included) written {@code _XX} in
 *       upper-case hex, when that is at most {@link #MAX_ESCAPED} characters;
 *   <li>{@code "h." + hex(SHA-256(UTF-8 key))} otherwise; the pool keeps the key itself as the
 *       namespace's label.
 * </ul>
 *
 * <p>Namespaces of other forms are not the pool's.
 */
public final class PoolKeys {
  /** The longest escaped form kept as it is; a longer key's namespace is its digest. */
  public static final int MAX_ESCAPED = 120;

  static final String ESCAPED = "k.";
  static final String DIGEST = "h.";

  private PoolKeys() {}

  /**
   * The namespace of {@code key}.
   *
   * @throws IllegalArgumentException when the key is null, empty, or not well-formed UTF-16 (an
   *     unpaired surrogate has no UTF-8 form)
   */
  public static String namespace(String key) {
    byte[] utf8 = utf8(key);
    StringBuilder b = new StringBuilder(ESCAPED.length() + utf8.length);
    b.append(ESCAPED);
    for (byte x : utf8) {
      int c = x & 0xff;
      if (kept(c)) {
        b.append((char) c);
      } else {
        b.append('_').append(HEX[c >> 4]).append(HEX[c & 15]);
      }
      if (b.length() > ESCAPED.length() + MAX_ESCAPED) {
        return DIGEST + HexFormat.of().formatHex(sha256(utf8));
      }
    }
    return b.toString();
  }

  /** Whether {@code namespace} has a digest for a name, so its key is its label. */
  public static boolean isDigest(String namespace) {
    return namespace.startsWith(DIGEST);
  }

  /**
   * The key of an escaped namespace, or null when {@code namespace} is not one that {@link
   * #namespace} makes for a key (a digest's key is its label, see {@link #isDigest}).
   */
  public static String keyOf(String namespace) {
    if (!namespace.startsWith(ESCAPED) || namespace.length() == ESCAPED.length()) {
      return null;
    }
    ByteBuffer bytes = ByteBuffer.allocate(namespace.length());
    for (int i = ESCAPED.length(); i < namespace.length(); i++) {
      char c = namespace.charAt(i);
      if (c == '_') {
        if (i + 2 >= namespace.length()) {
          return null;
        }
        int hi = hexDigit(namespace.charAt(i + 1));
        int lo = hexDigit(namespace.charAt(i + 2));
        if (hi < 0 || lo < 0 || kept((hi << 4) | lo)) {
          return null; // not canonical: namespace() never escapes a kept byte
        }
        bytes.put((byte) ((hi << 4) | lo));
        i += 2;
      } else if (c < 128 && kept(c)) {
        bytes.put((byte) c);
      } else {
        return null;
      }
    }
    bytes.flip();
    try {
      String key =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(bytes)
              .toString();
      return namespace.equals(namespace(key)) ? key : null;
    } catch (CharacterCodingException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The keys that have a namespace in {@code env}, sorted: escaped namespaces decoded, digests
   * by their labels (a digest namespace without a label is skipped).
   *
   * @throws dev.cu.store.CuStoreException when the environment fails
   */
  public static List<String> keys(LmdbEnvironment env) {
    List<String> keys = new ArrayList<>();
    for (String ns : env.namespaces()) {
      String key = isDigest(ns) ? env.label(ns) : keyOf(ns);
      if (key != null && ns.equals(namespace(key))) { // a label that is not its key: not ours
        keys.add(key);
      }
    }
    keys.sort(null);
    return keys;
  }

  /**
   * Labels {@code store}, the store of {@code key}'s namespace, with the key when its name is a
   * digest and it has no label yet, so {@link #keys} finds it.
   *
   * @throws dev.cu.store.CuStoreException when the environment fails
   */
  public static void label(LmdbEnvironment env, LmdbTableStore store, String key) {
    if (isDigest(store.namespace()) && env.label(store.namespace()) == null) {
      store.setLabel(key);
    }
  }

  /**
   * Deletes the state of {@code key} in {@code env} (see {@link LmdbTableStore#drop}), waiting up
   * to {@code timeout} while another store holds its namespace.
   *
   * @return whether the key had state
   * @throws dev.cu.store.CuLockTimeoutException when the namespace stays held
   * @throws dev.cu.store.CuStoreException when the environment fails
   */
  public static boolean delete(LmdbEnvironment env, String key, Duration timeout) {
    String ns = namespace(key);
    if (!env.hasNamespace(ns)) {
      return false;
    }
    LmdbTableStore store = env.store(ns, timeout);
    try {
      store.drop();
    } finally {
      store.close();
    }
    return true;
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private static boolean kept(int c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static byte[] utf8(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("a pool key must be a non-empty string");
    }
    CharsetEncoder enc =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      ByteBuffer b = enc.encode(CharBuffer.wrap(key));
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "a pool key must be well-formed UTF-16 (it has an unpaired surrogate)", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
