package dev.cu.codec;

import static org.junit.jupiter.api.Assertions.assertTimeout;

import java.time.Duration;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * jqwik properties of {@link CborDecoder}: any input either decodes or throws {@link
 * CborException} (never another exception), quickly. Kept apart from {@link CborDecoderTest}
 * because Surefire writes one report per class and engine: two engines in one class overwrite
 * each other's report.
 */
class CborDecoderPropertiesTest {

  private static void decodesOrRefuses(byte[] data) {
    assertTimeout(
        Duration.ofSeconds(5),
        () -> {
          try {
            CborDecoder.decode(data);
          } catch (CborException expected) {
            // the only allowed failure
          }
        });
  }

  @Property(tries = 5000)
  void randomBytesDecodeOrThrowCborException(@ForAll @Size(max = 64) byte[] data) {
    decodesOrRefuses(data);
  }

  @Provide
  Arbitrary<byte[]> cborLikeBytes() {
    // heads that open containers, tags, shared references and long arguments
    Arbitrary<Byte> interesting =
        Arbitraries.of(
            (byte) 0x00,
            (byte) 0x01,
            (byte) 0x17,
            (byte) 0x18,
            (byte) 0x1b,
            (byte) 0x1c,
            (byte) 0x1d,
            (byte) 0x20,
            (byte) 0x41,
            (byte) 0x61,
            (byte) 0x62,
            (byte) 0x7b,
            (byte) 0x80,
            (byte) 0x81,
            (byte) 0x82,
            (byte) 0x9b,
            (byte) 0xa0,
            (byte) 0xa1,
            (byte) 0xa2,
            (byte) 0xd8,
            (byte) 0xda,
            (byte) 0x63,
            (byte) 0x75,
            (byte) 0xf6,
            (byte) 0xf9,
            (byte) 0xfa,
            (byte) 0xfb,
            (byte) 0xc3,
            (byte) 0xa9,
            (byte) 0xff);
    return Arbitraries.oneOf(interesting, Arbitraries.bytes()).array(byte[].class).ofMaxSize(64);
  }

  @Property(tries = 5000)
  void cborLikeBytesDecodeOrThrowCborException(@ForAll("cborLikeBytes") byte[] data) {
    decodesOrRefuses(data);
  }

  @Provide
  Arbitrary<byte[]> mutatedRichValue() {
    byte[] rich = CborDecoderTest.hex(CborDecoderTest.RICH);
    Arbitrary<Integer> pos = Arbitraries.integers().between(0, rich.length - 1);
    return Combinators.combine(
            pos, Arbitraries.bytes(), pos, Arbitraries.integers().between(1, rich.length))
        .as(
            (p1, b, p2, len) -> {
              byte[] m = Arrays.copyOf(rich, len);
              if (p1 < len) {
                m[p1] = b;
              }
              if (p2 < len) {
                m[p2] ^= (byte) (1 << (p2 % 8));
              }
              return m;
            });
  }

  @Property(tries = 5000)
  void mutatedEncodingsDecodeOrThrowCborException(@ForAll("mutatedRichValue") byte[] data) {
    decodesOrRefuses(data);
  }
}
