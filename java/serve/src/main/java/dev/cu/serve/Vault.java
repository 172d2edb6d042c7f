package dev.cu.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Secrets encrypted at rest: each secret is AES-256-GCM under the master key, with a nonce of its
 * own and its name as associated data, so a ciphertext moved to another name does not decrypt.
 * The vault is one file ({@code vault.json} in its folder), replaced atomically on every change.
 * A check value encrypted under the key tells a wrong key apart from altered data; a seal, a GCM
 * tag under the key over the list of every secret's name, nonce and ciphertext, makes a secret
 * deleted, added, swapped or put back from an older copy of the file detectable; and opening
 * verifies every secret. So a vault whose key is wrong or whose data was altered refuses to
 * open. (An older copy of the whole file, put back as a whole, is a valid vault: rolling back
 * the file is for the file system's permissions to prevent.) Writers take a file lock, so two processes cannot interleave their changes; within one
 * JVM a folder is open in one {@code Vault} at a time (its methods are synchronized).
 *
 * <p>Values are never written in clear, logged or put into messages.
 */
public final class Vault {
  /** The vault's file in its folder. */
  public static final String FILE = "vault.json";

  private static final String FORMAT = "cu-vault";
  private static final int VERSION = 1;
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;
  private static final byte[] CHECK = "cu vault check".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEAL = "cu vault seal".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final SecureRandom random = new SecureRandom();
  private MasterKey key;

  /** Encrypted secrets by name: nonce and ciphertext. */
  private final Map<String, byte[][]> sealed = new TreeMap<>();

  private Vault(Path dir, MasterKey key) {
    this.dir = dir;
    this.key = key;
  }

  /**
   * Opens the vault in {@code dir} (made, empty, when it has none) under {@code key}.
   *
   * @throws IOException when it cannot be read or created
   * @throws VaultException when the key is wrong, the file is not a vault, or a secret was
   *     altered
   */
  public static Vault open(Path dir, MasterKey key) throws IOException {
    Vault v = new Vault(dir, key);
    Files.createDirectories(dir);
    v.withLock(
        () -> {
          if (!v.reread()) { // checked under the lock: two first opens make one vault
            v.write();
          }
        });
    return v;
  }

  /** The names of the secrets, sorted. */
  public synchronized List<String> list() {
    return List.copyOf(sealed.keySet());
  }

  /**
   * Stores {@code value} under {@code name}, replacing any value it had.
   *
   * @throws IllegalArgumentException when the name is not 1 to 128 letters, digits, {@code _},
   *     {@code .} or {@code -}, starting with a letter or digit
   * @throws IOException when the vault cannot be written (then nothing changed)
   */
  public synchronized void put(String name, byte[] value) throws IOException {
    checkName(name);
    withLock(
        () -> {
          reread();
          byte[][] previous = sealed.put(name, seal(key, name, value));
          try {
            write();
          } catch (IOException | RuntimeException e) {
            restore(name, previous);
            throw e;
          }
        });
  }

  /**
   * The value of {@code name}, or null when there is none.
   *
   * @throws VaultException when its ciphertext does not decrypt (altered since the vault opened)
   */
  public synchronized byte[] get(String name) {
    byte[][] s = sealed.get(name);
    return s == null ? null : open(key, name, s);
  }

  /**
   * Deletes {@code name}; returns whether it was there.
   *
   * @throws IOException when the vault cannot be written (then nothing changed)
   */
  public synchronized boolean delete(String name) throws IOException {
    boolean[] had = new boolean[1];
    withLock(
        () -> {
          reread();
          byte[][] previous = sealed.remove(name);
          had[0] = previous != null;
          if (had[0]) {
            try {
              write();
            } catch (IOException | RuntimeException e) {
              restore(name, previous);
              throw e;
            }
          }
        });
    return had[0];
  }

  /**
   * Re-encrypts every secret under {@code newKey} and replaces the file in one atomic step: a
   * crash leaves either the old vault or the new one, never a mix.
   *
   * @throws IOException when the vault cannot be written (then it stays under the old key)
   */
  public synchronized void rotate(MasterKey newKey) throws IOException {
    withLock(
        () -> {
          reread();
          Map<String, byte[][]> before = new TreeMap<>(sealed);
          MasterKey old = key;
          for (Map.Entry<String, byte[][]> e : before.entrySet()) {
            byte[] plain = open(old, e.getKey(), e.getValue());
            sealed.put(e.getKey(), seal(newKey, e.getKey(), plain));
            java.util.Arrays.fill(plain, (byte) 0);
          }
          key = newKey;
          try {
            write();
          } catch (IOException | RuntimeException e) {
            key = old;
            sealed.clear();
            sealed.putAll(before);
            throw e;
          }
        });
  }

  // ------------------------------------------------------------- the file

  private interface Step {
    void run() throws IOException;
  }

  /** Runs {@code step} holding the vault's file lock (other processes' writers wait). */
  private void withLock(Step step) throws IOException {
    try (FileChannel ch =
            FileChannel.open(
                dir.resolve(FILE + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      step.run();
    }
  }

  /**
   * Reads what another process may have written since, under the lock; false when there is no
   * file yet. On a failure the secrets in memory stay as they were.
   */
  private boolean reread() throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) {
      return false;
    }
    Map<String, byte[][]> read = read(Files.readAllBytes(file));
    sealed.clear();
    sealed.putAll(read);
    return true;
  }

  private void restore(String name, byte[][] previous) {
    if (previous == null) {
      sealed.remove(name);
    } else {
      sealed.put(name, previous);
    }
  }

  /** The secrets of a vault file, every one verified; throws VaultException otherwise. */
  private Map<String, byte[][]> read(byte[] bytes) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new VaultException("the vault file is not valid JSON: it was altered or damaged");
    }
    if (root == null
        || !FORMAT.equals(root.path("format").asText())
        || root.path("version").asInt() != VERSION) {
      throw new VaultException("not a cu vault of version " + VERSION);
    }
    byte[] plain;
    try {
      plain = decrypt(key, CHECK_AAD, pair(root.path("check"), "check"));
    } catch (AEADBadTagException e) {
      throw new VaultException("the vault's master key is wrong (or its check value was altered)");
    }
    if (!java.util.Arrays.equals(plain, CHECK)) {
      throw new VaultException("the vault's check value was altered");
    }
    if (!root.path("secrets").isObject()) {
      throw new VaultException("the vault's secrets were altered");
    }
    Map<String, byte[][]> read = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = root.path("secrets").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!NAME.matcher(e.getKey()).matches()) {
        throw new VaultException("the vault holds a secret with a bad name: it was altered");
      }
      read.put(e.getKey(), pair(e.getValue(), "secret " + e.getKey()));
    }
    try {
      decrypt(key, listing(read), pair(root.path("seal"), "seal"));
    } catch (AEADBadTagException e) {
      throw new VaultException(
          "the vault's secrets were altered (one changed, deleted, added, swapped or put back)");
    }
    for (Map.Entry<String, byte[][]> e : read.entrySet()) {
      java.util.Arrays.fill(open(key, e.getKey(), e.getValue()), (byte) 0); // verify, not keep
    }
    return read;
  }

  /**
   * The seal's associated data: SHA-256 over every secret's name, nonce and ciphertext, in name
   * order, each part preceded by its length.
   */
  private static byte[] listing(Map<String, byte[][]> secrets) {
    java.security.MessageDigest d = Sha256.digest();
    d.update(SEAL);
    for (Map.Entry<String, byte[][]> e : new TreeMap<>(secrets).entrySet()) {
      for (byte[] part :
          new byte[][] {
            e.getKey().getBytes(StandardCharsets.UTF_8), e.getValue()[0], e.getValue()[1]
          }) {
        d.update(java.nio.ByteBuffer.allocate(4).putInt(part.length).array());
        d.update(part);
      }
    }
    return d.digest();
  }

  private void write() throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.set("check", node(seal(key, CHECK_AAD, CHECK)));
    ObjectNode secrets = root.putObject("secrets");
    sealed.forEach((name, s) -> secrets.set(name, node(s)));
    root.set("seal", node(seal(key, listing(sealed), new byte[0])));
    Path tmp = dir.resolve(FILE + ".tmp");
    Files.deleteIfExists(tmp);
    try (FileChannel ch = createOwnerOnly(tmp)) {
      java.nio.ByteBuffer b =
          java.nio.ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the vault's folder cannot replace a file atomically: " + dir, e);
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true); // the rename itself is durable
    } catch (IOException ignored) {
      // some systems cannot open a folder for syncing; the rename is still atomic
    }
  }

  /** Creates {@code file}, new, readable and writable by its owner only where POSIX allows. */
  private static FileChannel createOwnerOnly(Path file) throws IOException {
    java.util.Set<java.nio.file.OpenOption> options =
        java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return FileChannel.open(
          file,
          options,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    }
    return FileChannel.open(file, options);
  }

  private ObjectNode node(byte[][] s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("nonce", Base64.getEncoder().encodeToString(s[0]));
    n.put("data", Base64.getEncoder().encodeToString(s[1]));
    return n;
  }

  private static byte[][] pair(JsonNode n, String what) {
    try {
      byte[] nonce = Base64.getDecoder().decode(n.path("nonce").asText());
      byte[] data = Base64.getDecoder().decode(n.path("data").asText());
      if (nonce.length != NONCE || data.length < TAG_BITS / 8) {
        throw new VaultException("the vault's " + what + " is damaged");
      }
      return new byte[][] {nonce, data};
    } catch (IllegalArgumentException e) {
      throw new VaultException("the vault's " + what + " is damaged");
    }
  }

  // ------------------------------------------------------------- crypto

  /** The check value's associated data; a secret's is {@link #aad}. */
  private static final byte[] CHECK_AAD = "check".getBytes(StandardCharsets.US_ASCII);

  /** A secret's associated data: its name, so its ciphertext cannot be moved to another name. */
  private static byte[] aad(String name) {
    return ("secret:" + name).getBytes(StandardCharsets.UTF_8);
  }

  private byte[][] seal(MasterKey k, String name, byte[] plain) {
    return seal(k, aad(name), plain);
  }

  private byte[][] seal(MasterKey k, byte[] aad, byte[] plain) {
    byte[] nonce = new byte[NONCE];
    random.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, k.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(aad);
      return new byte[][] {nonce, c.doFinal(plain)};
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every Java platform", e);
    }
  }

  private static byte[] open(MasterKey k, String name, byte[][] s) {
    try {
      return decrypt(k, aad(name), s);
    } catch (AEADBadTagException e) {
      throw new VaultException("the vault's secret " + name + " was altered");
    }
  }

  private static byte[] decrypt(MasterKey k, byte[] aad, byte[][] s) throws AEADBadTagException {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, k.secretKey(), new GCMParameterSpec(TAG_BITS, s[0]));
      c.updateAAD(aad);
      return c.doFinal(s[1]);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every Java platform", e);
    }
  }

  private static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a secret's name is 1 to 128 letters, digits, '_', '.' or '-', starting with a letter"
              + " or digit");
    }
  }

  /** The vault cannot be opened or read: a wrong key, altered or damaged data. */
  public static final class VaultException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    VaultException(String message) {
      super(message);
    }
  }
}
