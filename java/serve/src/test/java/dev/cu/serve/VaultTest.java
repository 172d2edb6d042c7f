package dev.cu.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vault: secrets round-trip under their key and are refused under any other or altered. */
class VaultTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] SECRET = "sk-live-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  @Test
  void secretsRoundTripAcrossReopeningAndNeverLieInClear() throws Exception {
    MasterKey key = MasterKey.generate(RANDOM);
    Vault v = Vault.open(dir, key);
    v.put("openai", SECRET);
    v.put("check", "a secret named like the check value".getBytes(StandardCharsets.UTF_8));
    v.put("other", new byte[0]);
    assertThat(v.list()).containsExactly("check", "openai", "other");
    Vault again = Vault.open(dir, MasterKey.parse(key.base64()));
    assertThat(again.get("openai")).isEqualTo(SECRET);
    assertThat(again.get("other")).isEmpty();
    assertThat(again.get("missing")).isNull();
    assertThat(again.delete("other")).isTrue();
    assertThat(again.delete("other")).isFalse();
    assertThat(Vault.open(dir, key).list()).containsExactly("check", "openai");
    byte[] file = Files.readAllBytes(dir.resolve(Vault.FILE));
    assertThat(new String(file, StandardCharsets.ISO_8859_1))
        .doesNotContain(new String(SECRET, StandardCharsets.ISO_8859_1))
        .doesNotContain(Base64.getEncoder().encodeToString(SECRET))
        .doesNotContain(key.base64());
  }

  @Test
  void aWrongKeyIsRefusedWithoutTouchingTheVault() throws Exception {
    Vault.open(dir, MasterKey.generate(RANDOM)).put("openai", SECRET);
    byte[] before = Files.readAllBytes(dir.resolve(Vault.FILE));
    assertThatThrownBy(() -> Vault.open(dir, MasterKey.generate(RANDOM)))
        .isInstanceOf(Vault.VaultException.class)
        .hasMessageContaining("master key is wrong");
    assertThat(Files.readAllBytes(dir.resolve(Vault.FILE))).isEqualTo(before);
  }

  @Test
  void alteredOrMovedCiphertextsAreRefused() throws Exception {
    MasterKey key = MasterKey.generate(RANDOM);
    Vault v = Vault.open(dir, key);
    v.put("a", SECRET);
    v.put("b", "another".getBytes(StandardCharsets.UTF_8));
    Path file = dir.resolve(Vault.FILE);
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(file.toFile());
    ObjectNode secrets = (ObjectNode) root.get("secrets");

    // one bit of one ciphertext
    byte[] data = Base64.getDecoder().decode(secrets.get("a").get("data").asText());
    data[0] ^= 1;
    ObjectNode flipped = root.deepCopy();
    ((ObjectNode) flipped.get("secrets").get("a"))
        .put("data", Base64.getEncoder().encodeToString(data));
    Files.write(file, json.writeValueAsBytes(flipped));
    assertThatThrownBy(() -> Vault.open(dir, key)).hasMessageContaining("secrets were altered");

    // b's ciphertext under a's name: the name is bound to it
    ObjectNode moved = root.deepCopy();
    ((ObjectNode) moved.get("secrets")).set("a", secrets.get("b"));
    Files.write(file, json.writeValueAsBytes(moved));
    assertThatThrownBy(() -> Vault.open(dir, key)).hasMessageContaining("secrets were altered");

    // a secret deleted, or the secrets replaced by something else
    ObjectNode deleted = root.deepCopy();
    ((ObjectNode) deleted.get("secrets")).remove("b");
    Files.write(file, json.writeValueAsBytes(deleted));
    assertThatThrownBy(() -> Vault.open(dir, key)).hasMessageContaining("secrets were altered");
    ObjectNode replaced = root.deepCopy();
    replaced.put("secrets", "none");
    Files.write(file, json.writeValueAsBytes(replaced));
    assertThatThrownBy(() -> Vault.open(dir, key)).hasMessageContaining("secrets were altered");

    // an older ciphertext of the same name put back: the seal no longer fits
    Files.write(file, json.writeValueAsBytes(root));
    Vault.open(dir, key).put("a", "newer".getBytes(StandardCharsets.UTF_8));
    ObjectNode newer = (ObjectNode) json.readTree(file.toFile());
    ((ObjectNode) newer.get("secrets")).set("a", secrets.get("a"));
    Files.write(file, json.writeValueAsBytes(newer));
    assertThatThrownBy(() -> Vault.open(dir, key)).hasMessageContaining("secrets were altered");

    // not a vault at all
    Files.writeString(file, "{\"format\":\"x\"}");
    assertThatThrownBy(() -> Vault.open(dir, key)).hasMessageContaining("not a cu vault");
    Files.writeString(file, "garbage");
    assertThatThrownBy(() -> Vault.open(dir, key)).hasMessageContaining("not valid JSON");
  }

  @Test
  void aFailedRereadKeepsTheSecretsInMemoryAndTheFileIsTheOwnersOnly() throws Exception {
    MasterKey key = MasterKey.generate(RANDOM);
    Vault v = Vault.open(dir, key);
    v.put("a", SECRET);
    Vault.open(dir, key).rotate(MasterKey.generate(RANDOM)); // another process rotates
    assertThatThrownBy(() -> v.put("b", SECRET)).hasMessageContaining("master key is wrong");
    assertThat(v.list()).containsExactly("a");
    assertThat(v.get("a")).isEqualTo(SECRET);
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(dir.resolve(Vault.FILE))))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void rotationReencryptsEverySecretUnderTheNewKeyOnly() throws Exception {
    MasterKey old = MasterKey.generate(RANDOM);
    Vault v = Vault.open(dir, old);
    for (String name : List.of("a", "b", "c")) {
      v.put(name, (name + "-value").getBytes(StandardCharsets.UTF_8));
    }
    MasterKey next = MasterKey.generate(RANDOM);
    v.rotate(next);
    assertThatThrownBy(() -> Vault.open(dir, old)).hasMessageContaining("master key is wrong");
    Vault reopened = Vault.open(dir, next);
    for (String name : List.of("a", "b", "c")) {
      assertThat(new String(reopened.get(name), StandardCharsets.UTF_8)).isEqualTo(name + "-value");
    }
    assertThat(v.get("b")).isEqualTo("b-value".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void namesAndKeysAreChecked(@TempDir Path elsewhere) throws Exception {
    Vault v = Vault.open(dir, MasterKey.generate(RANDOM));
    for (String bad : new String[] {"", "-x", "a b", "a/b", "x".repeat(129)}) {
      assertThatThrownBy(() -> v.put(bad, SECRET)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> MasterKey.parse("not base64 !!"))
        .hasMessage("a vault master key must be base64 text of 32 bytes");
    assertThatThrownBy(() -> MasterKey.parse(Base64.getEncoder().encodeToString(new byte[16])))
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> MasterKey.fromEnvironment(Map.of()))
        .hasMessageContaining(MasterKey.ENV);
    MasterKey k = MasterKey.generate(RANDOM);
    assertThat(k.toString()).doesNotContain(k.base64());
    Path inside = dir.resolve("key");
    Files.writeString(inside, k.base64());
    assertThatThrownBy(() -> MasterKey.fromFile(inside, dir))
        .hasMessageContaining("inside the state folder");
    Path outside = elsewhere.resolve("key");
    Files.writeString(outside, k.base64() + "\n");
    assertThat(MasterKey.fromFile(outside, dir).same(k)).isTrue();
    assertThat(MasterKey.fromEnvironment(Map.of(MasterKey.ENV, k.base64())).same(k)).isTrue();
  }
}
