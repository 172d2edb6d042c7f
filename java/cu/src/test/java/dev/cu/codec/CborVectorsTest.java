package dev.cu.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared vectors of native/test/vectors/values.txt, which the C test test_decode also
 * decodes and re-encodes: Java must give back the same bytes (but for the lines marked there:
 * shared values, and small bigints, which Java writes as plain integers).
 */
class CborVectorsTest {
  private static final Path VECTORS = Path.of("../../native/test/vectors/values.txt");

  record Vector(String hex, String note) {
    @Override
    public String toString() {
      return note + " [" + hex + "]";
    }
  }

  static Stream<Vector> vectors() throws IOException {
    List<Vector> list =
        Files.readAllLines(VECTORS).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .map(
                l -> {
                  int hash = l.indexOf('#');
                  String hex = (hash < 0 ? l : l.substring(0, hash)).replaceAll("\\s", "");
                  return new Vector(hex, hash < 0 ? "" : l.substring(hash + 1).trim());
                })
            .toList();
    assertThat(list).hasSizeGreaterThanOrEqualTo(30);
    return list.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodesAndReencodesIdentically(Vector v) {
    byte[] bytes = HexFormat.of().parseHex(v.hex());
    Object value = CborDecoder.decode(bytes);
    if (v.note().startsWith("shared")) {
      // Java's encoder writes shared values twice; the decoder must give one object
      List<?> list = (List<?>) value;
      assertThat(list.get(0)).isSameAs(list.get(list.size() - 1));
      return;
    }
    if (v.note().startsWith("small bigint")) {
      // a BigInteger that fits in 64 bits is a plain integer for Lua: Java writes it as one
      assertThat(value).isInstanceOf(BigInteger.class);
      long small = ((BigInteger) value).longValueExact();
      assertThat(CborEncoder.encode(value, new ObjectMapper()))
          .isEqualTo(CborEncoder.encode(small, new ObjectMapper()));
      return;
    }
    if (v.note().startsWith("bigint")) {
      assertThat(value).isInstanceOf(BigInteger.class);
    }
    assertThat(HexFormat.of().formatHex(CborEncoder.encode(value, new ObjectMapper())))
        .isEqualTo(v.hex());
  }
}
