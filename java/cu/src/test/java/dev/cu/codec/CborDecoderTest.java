package dev.cu.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import dev.cu.LuaOpaque;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Byte vectors and malformed input for cu's CBOR format (docs/FORMAT.md). */
class CborDecoderTest {
  /** The head of an array of one item; repeated, it nests arrays one level per byte. */
  private static final byte ARRAY_OF_ONE = (byte) (Cbor.MAJOR_ARRAY << 5 | 1);

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  private static Object decode(String hexBytes) {
    return CborDecoder.decode(hex(hexBytes));
  }

  @Test
  void everyHalfPrecisionFloatDecodesToItsExactValue() {
    for (int h = 0; h < 0x10000; h++) {
      int exp = (h >>> 10) & 0x1f;
      int mant = h & 0x3ff;
      double magnitude =
          exp == 0
              ? mant * Math.pow(2, -24)
              : exp == 31
                  ? (mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                  : (1024 + mant) * Math.pow(2, exp - 25);
      double expected = (h & 0x8000) != 0 ? -magnitude : magnitude;
      byte[] item = {(byte) (Cbor.MAJOR_SIMPLE << 5 | Cbor.AI_2), (byte) (h >>> 8), (byte) h};
      assertThat((Object) CborDecoder.decode(item)).as("half 0x%04x", h).isEqualTo(expected);
    }
  }

  /** cu's opaque tag around ["function", "function: 0x1"]. */
  private static final String OPAQUE =
      "da63750001 82 68 66756e6374696f6e 6d 66756e6374696f6e3a20307831";

  /** One value using every construct: the base of the truncation and mutation tests. */
  static final String RICH =
      "8e 01 20 1818 1903e8 fb40091eb851eb851f fa3fc00000 f93c00"
          + " 62c3a9 42fffe a2 01f5 616b f6 d81c 81 01 d81d 00 "
          + OPAQUE
          + " f4";

  static Stream<Arguments> vectors() {
    return Stream.of(
        Arguments.of("00", 0L),
        Arguments.of("17", 23L),
        Arguments.of("1818", 24L),
        Arguments.of("1903e8", 1000L),
        Arguments.of("1a00010000", 65536L),
        Arguments.of("20", -1L),
        Arguments.of("3818", -25L),
        Arguments.of("1b7fffffffffffffff", Long.MAX_VALUE),
        Arguments.of("3b7fffffffffffffff", Long.MIN_VALUE),
        Arguments.of("fb40091eb851eb851f", 3.14),
        Arguments.of("fb7ff0000000000000", Double.POSITIVE_INFINITY),
        Arguments.of("fa3fc00000", 1.5),
        Arguments.of("fa7f800000", Double.POSITIVE_INFINITY),
        Arguments.of("f93c00", 1.0),
        Arguments.of("f9c400", -4.0),
        Arguments.of("f97bff", 65504.0),
        Arguments.of("f90001", Math.pow(2, -24)),
        Arguments.of("f98000", -0.0),
        Arguments.of("f97c00", Double.POSITIVE_INFINITY),
        Arguments.of("f97e00", Double.NaN),
        Arguments.of("f4", false),
        Arguments.of("f5", true),
        Arguments.of("60", ""),
        Arguments.of("63616263", "abc"),
        Arguments.of("62c3a9", "é"),
        Arguments.of("64f09f9880", "\uD83D\uDE00"),
        Arguments.of("80", List.of()),
        Arguments.of("83010203", List.of(1L, 2L, 3L)),
        Arguments.of("8301028103", List.of(1L, 2L, List.of(3L))),
        Arguments.of("a0", Map.of()),
        Arguments.of("a2 01 6161 02 f5", Map.of(1L, "a", 2L, true)),
        Arguments.of("a1 6178 20", Map.of("x", -1L)),
        Arguments.of("a1 fb3ff8000000000000 01", Map.of(1.5, 1L)),
        // docs/FORMAT.md: return {1, 2, {a = "b"}}
        Arguments.of("83 01 02 a1 61 61 61 62", List.of(1L, 2L, Map.of("a", "b"))),
        Arguments.of(OPAQUE, new LuaOpaque("function", "function: 0x1")));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("vectors")
  void decodesVectors(String bytes, Object expected) {
    Object actual = decode(bytes);
    assertThat(actual).isEqualTo(expected);
    Class<?> type =
        expected instanceof List
            ? List.class
            : expected instanceof Map ? Map.class : expected.getClass();
    assertThat(actual).isInstanceOf(type);
  }

  @Test
  void negativeZeroKeepsItsSign() {
    assertThat(Double.doubleToRawLongBits((Double) decode("f98000")))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"f6", "f7"})
  void nullAndUndefinedAreNull(String bytes) {
    assertThat(decode(bytes)).isNull();
  }

  @Test
  void byteStrings() {
    assertThat((byte[]) decode("42fffe")).containsExactly(0xff, 0xfe);
    assertThat((byte[]) decode("40")).isEmpty();
  }

  @Test
  void mapsKeepStreamOrder() {
    @SuppressWarnings("unchecked")
    Map<Object, Object> m = (Map<Object, Object>) decode("a3 6163 01 6161 02 6162 03");
    assertThat(m.keySet()).containsExactly("c", "a", "b");
  }

  /**
   * Records whose text keys repeat, collide in the decoder's key cache (same length, same first,
   * middle and last bytes), come and go between records and sit at the cached lengths' edge:
   * each map holds exactly its own keys.
   */
  @Test
  void repeatedKeysDecodeToTheirOwnText() {
    List<String> fixed =
        List.of("id", "aXbYc", "aZbWc", "", "x", "ab\u00e9cd", "k".repeat(23), "k".repeat(24));
    Cbor.Writer w = new Cbor.Writer();
    int records = 300;
    w.head(Cbor.MAJOR_ARRAY, records);
    for (int i = 0; i < records; i++) {
      w.head(Cbor.MAJOR_MAP, fixed.size() + 1);
      for (int k = 0; k < fixed.size(); k++) {
        byte[] key = fixed.get((k + i) % fixed.size()).getBytes(StandardCharsets.UTF_8);
        w.head(Cbor.MAJOR_TEXT, key.length);
        w.raw(key);
        w.head(Cbor.MAJOR_UINT, i * 100L + (k + i) % fixed.size());
      }
      byte[] own = ("k" + i % 97).getBytes(StandardCharsets.UTF_8);
      w.head(Cbor.MAJOR_TEXT, own.length);
      w.raw(own);
      w.head(Cbor.MAJOR_UINT, i % 97);
    }
    List<?> maps = (List<?>) CborDecoder.decode(w.toByteArray());
    assertThat(maps).hasSize(records);
    for (int i = 0; i < records; i++) {
      Map<Object, Object> expected = new java.util.HashMap<>();
      for (int j = 0; j < fixed.size(); j++) {
        expected.put(fixed.get(j), i * 100L + j);
      }
      expected.put("k" + i % 97, (long) (i % 97));
      assertThat(maps.get(i)).as("record %d", i).isEqualTo(expected);
    }
  }

  @Test
  void aTextKeyTwiceIsRefused() {
    assertThatThrownBy(() -> decode("a2 6161 01 6161 02"))
        .isInstanceOf(CborException.class)
        .hasMessageContaining("a map has the key a twice");
  }

  @Test
  void sharedValuesDecodeToTheSameObject() {
    // docs/FORMAT.md: local s = {} return {s, s}
    List<?> pair = (List<?>) decode("82 d81c a0 d81d 00");
    assertThat(pair.get(0)).isEqualTo(Map.of()).isSameAs(pair.get(1));
    // two shareable items, referenced by index in order of appearance
    List<?> l = (List<?>) decode("84 d81c 8101 d81c a1 01 02 d81d 01 d81d 00");
    assertThat(l.get(0)).isEqualTo(List.of(1L)).isSameAs(l.get(3));
    assertThat(l.get(1)).isEqualTo(Map.of(1L, 2L)).isSameAs(l.get(2));
  }

  @ParameterizedTest(name = "cycle {0}")
  @ValueSource(
      strings = {
        "d81c 81 d81d 00", // an array containing itself
        "d81c a1 01 d81d 00", // a map value
        "d81c a1 d81d 00 01", // a map key
        "d81c 81 d81c 81 d81d 00"
      }) // through an inner shareable item
  void cyclesAreRefused(String bytes) {
    assertThatThrownBy(() -> decode(bytes))
        .isExactlyInstanceOf(CborException.class)
        .hasMessageContaining("cycle");
  }

  @Test
  void decodeGraphGivesACycleAsACollectionThatContainsItself() {
    List<?> list = (List<?>) CborDecoder.decodeGraph(hex("d81c 82 01 d81d 00"));
    assertThat(list).hasSize(2);
    assertThat(list.get(0)).isEqualTo(1L);
    assertThat(list.get(1)).isSameAs(list);
    Map<?, ?> map = (Map<?, ?>) CborDecoder.decodeGraph(hex("d81c a1 01 d81c 81 d81d 00"));
    List<?> inner = (List<?>) map.get(1L);
    assertThat(inner.get(0)).isSameAs(map);
    // an inner shareable item that names itself
    List<?> outer = (List<?>) CborDecoder.decodeGraph(hex("d81c 81 d81c 81 d81d 01"));
    List<?> self = (List<?>) outer.get(0);
    assertThat(self.get(0)).isSameAs(self);
  }

  @Test
  void decodeGraphStillRefusesAContainerAsAMapKey() {
    assertThatThrownBy(() -> CborDecoder.decodeGraph(hex("d81c a1 d81d 00 01")))
        .isExactlyInstanceOf(CborException.class)
        .hasMessageContaining("map key");
  }

  @Test
  void bignumTagsAreBigIntegersWithLeadingZerosReadPast() {
    assertThat(decode("c2 40")).isEqualTo(BigInteger.ZERO);
    assertThat(decode("c3 40")).isEqualTo(BigInteger.ONE.negate());
    assertThat(decode("c2 43 000001")).isEqualTo(BigInteger.ONE);
    assertThat(decode("c3 49 010000000000000000"))
        .isEqualTo(BigInteger.ONE.shiftLeft(64).negate().subtract(BigInteger.ONE));
    assertThat(decode("a1 c2 41 05 c3 41 05"))
        .isEqualTo(Map.of(BigInteger.valueOf(5), BigInteger.valueOf(-6)));
  }

  @ParameterizedTest(name = "malformed {0}")
  @ValueSource(
      strings = {
        "", // nothing
        "1b8000000000000000", // integer above Long.MAX_VALUE
        "3b8000000000000000", // integer below Long.MIN_VALUE
        "45 0102", // byte string longer than the input
        "65 6162", // text longer than the input
        "5a ffffffff", // 4 GiB byte string
        "7b 7fffffffffffffff 61", // huge text length
        "9b ffffffffffffffff", // array length that does not fit a long
        "9a 00010000 01", // more elements than bytes
        "bb 7fffffffffffffff", // huge map
        "a2 01 02 03", // map with an odd number of items
        "c0 6161", // tag 0 (date string): unknown
        "c2 01", // tag 2 on an integer
        "c3 6161", // tag 3 on text
        "c2 80", // tag 2 on an array
        "c2", // tag 2 with nothing after it
        "c2 45 0102", // tag 2 on a byte string longer than the input
        "d818 40", // tag 24
        "d81e 00", // tag 30
        "d9ffff 00", // tag 65535
        "da63750002 00", // a tag next to cu's opaque tag
        "da63750001 01", // malformed opaque: not [type, description]
        "da63750001 82 01 02", // malformed opaque: not strings
        "d81c 01", // tag 28 on an integer
        "d81c 6161", // tag 28 on a string
        "d81d 00", // reference with nothing shared
        "82 d81c 80 d81d 01", // reference past the shared items
        "d81d 6161", // reference that is not an unsigned integer
        "1c",
        "1d",
        "1e",
        "3c",
        "5d",
        "7e",
        "9c",
        "bd",
        "dc",
        "fc",
        "fd",
        "fe",
        "1f",
        "5f 41 00 ff",
        "7f 61 61 ff",
        "9f 01 ff",
        "bf 01 01 ff",
        "ff", // indefinite
        "e0",
        "f3",
        "f8 20", // unassigned simple values
        "0001",
        "8001",
        "f6f6", // trailing bytes
        "61 ff",
        "62 c328",
        "62 c080",
        "63 eda080",
        "61 c3",
        "64 f4908080", // bad UTF-8
        "a1 f6 01"
      }) // nil key
  void malformedInputThrowsCborException(String bytes) {
    assertThatThrownBy(() -> decode(bytes)).isExactlyInstanceOf(CborException.class);
  }

  @Test
  void nestingDeeperThanTheLimitIsRefused() {
    byte[] ok = new byte[CborDecoder.MAX_DEPTH + 1];
    Arrays.fill(ok, ARRAY_OF_ONE);
    ok[ok.length - 1] = 0x00;
    assertThat(CborDecoder.decode(ok)).isInstanceOf(List.class);
    byte[] deep = new byte[2001];
    Arrays.fill(deep, ARRAY_OF_ONE);
    deep[deep.length - 1] = 0x00;
    assertThatThrownBy(() -> CborDecoder.decode(deep))
        .isExactlyInstanceOf(CborException.class)
        .hasMessageContaining("deep");
  }

  @Test
  void decoderAcceptsWhatTheVmWritesAtTheLimitAndNoDeeper() {
    // the VM counts tables only: its deepest item lies Cbor.READ_DEPTH levels down
    byte[] ok = new byte[Cbor.READ_DEPTH + 1];
    Arrays.fill(ok, ARRAY_OF_ONE);
    ok[ok.length - 1] = 0x00;
    assertThat(CborDecoder.decode(ok)).isInstanceOf(List.class);
    byte[] deeper = new byte[Cbor.READ_DEPTH + 2];
    Arrays.fill(deeper, ARRAY_OF_ONE);
    deeper[deeper.length - 1] = 0x00;
    assertThatThrownBy(() -> CborDecoder.decode(deeper))
        .isExactlyInstanceOf(CborException.class)
        .hasMessageContaining("deep");
  }

  @Test
  void decodesOnlyTheGivenRange() {
    byte[] b = hex("ff 01 02 ff");
    assertThat(CborDecoder.decode(b, 1, 1)).isEqualTo(1L);
    assertThatThrownBy(() -> CborDecoder.decode(hex("82 01 02"), 0, 2))
        .isExactlyInstanceOf(CborException.class);
    assertThatThrownBy(() -> CborDecoder.decode(hex("62 61 61"), 0, 2))
        .isExactlyInstanceOf(CborException.class);
  }

  @ParameterizedTest(name = "every truncation of {0} is refused")
  @ValueSource(
      strings = {
        RICH,
        "1b7fffffffffffffff",
        "3b7fffffffffffffff",
        "f93c00",
        "fa3fc00000",
        "64f09f9880",
        "84 d81c 8101 d81c a1 01 02 d81d 01 d81d 00"
      })
  void truncatedAtEveryPositionThrowsCborException(String bytes) {
    byte[] full = hex(bytes);
    CborDecoder.decode(full); // the whole value is valid
    for (int n = 0; n < full.length; n++) {
      byte[] prefix = Arrays.copyOf(full, n);
      assertThatThrownBy(() -> CborDecoder.decode(prefix))
          .as("prefix of %d bytes", n)
          .isExactlyInstanceOf(CborException.class);
    }
  }

  @Test
  void richValueDecodes() {
    @SuppressWarnings("unchecked")
    List<Object> l = (List<Object>) decode(RICH);
    assertThat(l).hasSize(14);
    assertThat(l.subList(0, 7)).containsExactly(1L, -1L, 24L, 1000L, 3.14, 1.5, 1.0);
    assertThat(l.get(7)).isEqualTo("é");
    assertThat((byte[]) l.get(8)).containsExactly(0xff, 0xfe);
    Map<Object, Object> expected = new java.util.HashMap<>();
    expected.put(1L, true);
    expected.put("k", null);
    assertThat(l.get(9)).isEqualTo(expected);
    assertThat(l.get(10)).isEqualTo(List.of(1L)).isSameAs(l.get(11));
    assertThat(l.get(12)).isEqualTo(new LuaOpaque("function", "function: 0x1"));
    assertThat(l.get(13)).isEqualTo(false);
  }

  /**
   * A chain of d shared lists, each holding the previous one twice, is 6 bytes per level; as a
   * map key its hashCode visits 2^d lists. Such a ~215-byte input must not hang: containers
   * are refused as map keys, before any hashing.
   */
  @Test
  void sharedStructureAsMapKeyIsRefusedQuickly() {
    int d = 30;
    ByteArrayOutputStream key = new ByteArrayOutputStream();
    for (int i = 0; i < d; i++) {
      key.writeBytes(hex("d81c 82")); // L_(d-i) = [L_(d-i-1), ref]
    }
    key.writeBytes(hex("d81c 80")); // L_0 = [], shareable item number d
    for (int i = d - 1; i >= 0; i--) {
      key.writeBytes(hex("d81d"));
      key.write(0x18);
      key.write(i + 1); // the reference to L_(d-i-1), whose index is i + 1
    }
    byte[] input = new byte[key.size() + 2];
    input[0] = (byte) (Cbor.MAJOR_MAP << 5 | 1); // a map of one entry
    System.arraycopy(key.toByteArray(), 0, input, 1, key.size());
    input[input.length - 1] = 0x01;
    assertThat(input.length).isLessThan(256);
    assertTimeout(
        Duration.ofSeconds(1),
        () ->
            assertThatThrownBy(() -> CborDecoder.decode(input))
                .isExactlyInstanceOf(CborException.class)
                .hasMessageContaining("map key"));
  }
}
