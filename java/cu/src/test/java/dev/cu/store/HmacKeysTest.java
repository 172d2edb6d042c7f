package dev.cu.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the HMAC key comes from, in which order, and which keys are refused. */
class HmacKeysTest {
  private static final byte[] A = key(0x0a);
  private static final byte[] B = key(0x0b);
  private static final byte[] C = key(0x0c);
  private static final UnaryOperator<String> NO_ENV = name -> null;

  @TempDir Path dir;

  private static byte[] key(int last) {
    byte[] k = new byte[32];
    k[31] = (byte) last;
    return k;
  }

  private static UnaryOperator<String> env(String value) {
    return name -> Map.of(HmacKeys.ENV, value).get(name);
  }

  @Test
  void theFirstSourceSetWinsAndTheDataFolderGetsNoKeyFileThen() throws Exception {
    Path file = dir.resolve("key.bin");
    Files.write(file, B);
    LmdbOptions d = LmdbOptions.defaults();
    UnaryOperator<String> envC = env(HexFormat.of().formatHex(C));
    assertThat(HmacKeys.resolve(d.withHmacKey(A).withHmacKeyFile(file), dir, envC)).isEqualTo(A);
    assertThat(HmacKeys.resolve(d.withHmacKeyFile(file), dir, envC)).isEqualTo(B);
    assertThat(HmacKeys.resolve(d, dir, envC)).isEqualTo(C);
    assertThat(dir.resolve("hmac.key")).doesNotExist();
    byte[] created = HmacKeys.resolve(d, dir, NO_ENV);
    assertThat(Files.readAllBytes(dir.resolve("hmac.key"))).isEqualTo(created).hasSize(32);
    assertThat(HmacKeys.resolve(d, dir, NO_ENV)).isEqualTo(created);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("key.bin", "hmac.key"); // no temporary file left
    }
  }

  @Test
  void keyFilesHoldRawBytesOrHexAndAreNeverCreated() throws Exception {
    Path f = dir.resolve("k");
    Files.writeString(f, HexFormat.of().formatHex(A).toUpperCase() + "\r\n");
    assertThat(HmacKeys.readKeyFile(f)).isEqualTo(A);
    Files.write(f, new byte[31]);
    assertThatThrownBy(() -> HmacKeys.readKeyFile(f))
        .isInstanceOf(CuStoreException.class)
        .hasMessageContaining("holds 31 bytes");
    Files.writeString(f, "zz".repeat(32));
    assertThatThrownBy(() -> HmacKeys.readKeyFile(f))
        .isInstanceOf(CuStoreException.class)
        .hasMessageContaining("64 hexadecimal digits");
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> HmacKeys.readKeyFile(missing))
        .isInstanceOf(CuStoreException.class)
        .hasMessageContaining("does not exist");
    assertThat(missing).doesNotExist();
  }

  @Test
  void aShortOrMalformedVariableIsRefusedWithoutFallingBackOrPrintingIt() {
    LmdbOptions d = LmdbOptions.defaults();
    for (String bad : new String[] {"", "abcd", "0a".repeat(31), "0a".repeat(33), "g".repeat(64)}) {
      assertThatThrownBy(() -> HmacKeys.resolve(d, dir, env(bad)))
          .isInstanceOf(CuStoreException.class)
          .hasMessageStartingWith("CU_HMAC_KEY must be 64 hexadecimal digits")
          .satisfies(
              e -> {
                if (bad.length() > 8) {
                  assertThat(e.getMessage()).doesNotContain(bad);
                }
              });
    }
    assertThat(dir.resolve("hmac.key")).doesNotExist();
    assertThat(HmacKeys.resolve(d, dir, env("  " + HexFormat.of().formatHex(A) + "\n")))
        .isEqualTo(A);
  }

  @Test
  void aKeyFileThatIsALinkToNothingIsRefusedNotWaitedOn() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("hmac.key"), dir.resolve("gone.key"));
    assertThat(
            assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> catchThrowable(() -> HmacKeys.resolve(LmdbOptions.defaults(), dir, NO_ENV))))
        .isInstanceOf(CuStoreException.class)
        .hasMessageContaining("the key file " + link)
        .hasMessageContaining("is a symbolic link to " + dir.resolve("gone.key"));
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(dir.resolve("gone.key")).doesNotExist();
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("hmac.key");
    }
  }

  @Test
  void aKeyFileThatIsAPipeIsRefusedNotReadFrom() throws Exception {
    Path pipe = dir.resolve("hmac.key");
    Process mk = new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo failed");
    assertThat(
            assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> catchThrowable(() -> HmacKeys.resolve(LmdbOptions.defaults(), dir, NO_ENV))))
        .isInstanceOf(CuStoreException.class)
        .hasMessage("the key file " + pipe + " is not a regular file");
  }

  @Test
  void concurrentFirstOpensAgreeOnOneCompleteKey() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 20; round++) {
        Path d = Files.createDirectory(dir.resolve("r" + round));
        Callable<byte[]> open = () -> HmacKeys.loadOrCreate(d);
        java.util.List<Future<byte[]>> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
          keys.add(pool.submit(open));
        }
        byte[] first = keys.get(0).get();
        for (Future<byte[]> k : keys) {
          assertThat(k.get()).isEqualTo(first);
        }
        assertThat(Files.readAllBytes(d.resolve("hmac.key"))).isEqualTo(first);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
