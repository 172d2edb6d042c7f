package dev.cu.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The redaction of a secret from answers, whole and chunk by chunk. */
class RedactorTest {
  private static final byte[] SECRET = "sk-live-0123".getBytes(StandardCharsets.UTF_8);

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Feeds {@code data} to a new redactor in pieces cut at {@code cuts}; returns the pieces out. */
  private static List<String> stream(byte[] secret, byte[] data, int... cuts) {
    Redactor r = new Redactor(secret);
    List<String> out = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      byte[] piece = Arrays.copyOfRange(data, from, cut);
      out.add(text(r.next(piece, piece.length, false)));
      from = cut;
    }
    byte[] piece = Arrays.copyOfRange(data, from, data.length);
    out.add(text(r.next(piece, piece.length, false)));
    out.add(text(r.next(new byte[0], 0, true)));
    assertThat(r.held()).isZero();
    return out;
  }

  @Test
  void everyOccurrenceIsReplacedInOnePiece() {
    Redactor r = new Redactor(SECRET);
    assertThat(text(r.all(bytes("a sk-live-0123sk-live-0123 b sk-live-012"))))
        .isEqualTo("a [redacted][redacted] b sk-live-012");
    assertThat(r.header("Bearer sk-live-0123")).isEqualTo("Bearer [redacted]");
    assertThat(text(new Redactor(new byte[0]).all(bytes("nothing to hide"))))
        .isEqualTo("nothing to hide");
  }

  @Test
  void aSecretSplitAtAnyPointAcrossTwoOrThreeChunksIsRedacted() {
    byte[] data = bytes("head sk-live-0123 middle sk-live-0123tail");
    String expected = "head [redacted] middle [redacted]tail";
    for (int a = 1; a < data.length; a++) {
      List<String> two = stream(SECRET, data, a);
      assertThat(String.join("", two)).as("cut at %d", a).isEqualTo(expected);
      assertThat(two).noneMatch(p -> p.contains("sk-live"));
      for (int b = a + 1; b < data.length; b++) {
        List<String> three = stream(SECRET, data, a, b);
        assertThat(String.join("", three)).as("cuts at %d, %d", a, b).isEqualTo(expected);
        assertThat(three).noneMatch(p -> p.contains("sk-"));
      }
    }
  }

  @Test
  void onlyAPossibleBeginningOfTheSecretIsHeldBack() {
    Redactor r = new Redactor(SECRET);
    assertThat(text(r.next(bytes("chunk-0;"), 8, false))).isEqualTo("chunk-0;");
    assertThat(r.held()).isZero();
    assertThat(text(r.next(bytes("data sk-li"), 10, false))).isEqualTo("data ");
    assertThat(r.held()).isEqualTo(5);
    assertThat(text(r.next(bytes("ke"), 2, false))).isEqualTo("sk-like");
    assertThat(text(r.next(bytes("sk"), 2, false))).isEmpty();
    assertThat(text(r.next(new byte[0], 0, true))).as("the end releases it").isEqualTo("sk");
  }

  @Test
  void overlappingBeginningsOfARepetitiveSecretAreFound() {
    byte[] secret = bytes("aab");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Redactor r = new Redactor(secret);
    for (byte b : bytes("aaaabaab")) {
      out.writeBytes(r.next(new byte[] {b}, 1, false));
    }
    out.writeBytes(r.next(new byte[0], 0, true));
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("aa[redacted][redacted]");
  }
}
