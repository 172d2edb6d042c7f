package dev.cu.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cu.codec.Cbor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Delta}: the VM's change list, parsed from hand-built bytes. */
class DeltaTest {

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  /** Three changes as the VM writes them (8-byte count): a set, a delete, a table reference. */
  static final String THREE =
      "9b 0000000000000003"
          + " 83 01 6161 01" // [1, "a", 1]
          + " 83 01 6162 f6" // [1, "b", nil]: delete
          + " 83 05 6163 da63750002 07"; // [5, "c", ref 7]

  @Test
  void parsesOneSet() {
    Delta d = Delta.parse(hex("81 83 01 6161 1903e8"));
    assertThat(d.changes()).hasSize(1);
    Delta.Change c = d.changes().get(0);
    assertThat(c.table()).isEqualTo(1L);
    assertThat(c.key()).containsExactly(hex("6161"));
    assertThat(c.value()).containsExactly(hex("1903e8"));
  }

  @Test
  void parsesOneDelete() {
    Delta.Change c = Delta.parse(hex("81 83 18ff 02 f6")).changes().get(0);
    assertThat(c.table()).isEqualTo(255L);
    assertThat(c.key()).containsExactly(hex("02"));
    assertThat(c.value()).isNull();
  }

  @Test
  void parsesAnExternalReferenceValue() {
    Delta.Change c = Delta.parse(hex("81 83 03 f5 da63750002 1a00010000")).changes().get(0);
    assertThat(c.key()).containsExactly(hex("f5"));
    assertThat(c.value()).containsExactly(hex("da63750002 1a00010000"));
    assertThat(Delta.refOf(c.value())).isEqualTo(65536L);
  }

  @Test
  void parsesTheVmFormWithSeveralChanges() {
    List<Delta.Change> cs = Delta.parse(hex(THREE)).changes();
    assertThat(cs).extracting(Delta.Change::table).containsExactly(1L, 1L, 5L);
    assertThat(cs.get(1).value()).isNull();
    assertThat(Delta.refOf(cs.get(2).value())).isEqualTo(7L);
    assertThat(Delta.refOf(cs.get(0).value())).isEqualTo(-1L);
    assertThatThrownBy(() -> cs.add(cs.get(0))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void parsesComplexKeysAndValuesWhole() {
    // a float key, a nested-looking value (an array) and a long text: copied byte for byte
    Delta.Change c =
        Delta.parse(hex("81 83 01 fb3ff8000000000000 82 01 a1 6178 f4")).changes().get(0);
    assertThat(c.key()).containsExactly(hex("fb3ff8000000000000"));
    assertThat(c.value()).containsExactly(hex("82 01 a1 6178 f4"));
    Delta.Change t = Delta.parse(hex("81 83 01 01 78 20" + "61".repeat(32))).changes().get(0);
    assertThat(t.value()).hasSize(34);
  }

  @Test
  void emptyDelta() {
    assertThat(Delta.parse(hex("80")).changes()).isEmpty();
    assertThat(Delta.parse(hex("9b 0000000000000000")).changes()).isEmpty();
  }

  @ParameterizedTest(name = "malformed {0}")
  @ValueSource(
      strings = {
        "", // nothing
        "a0", // a map, not an array
        "81 82 01 02", // a pair, not a triple
        "81 83 61 61 01 02", // table id is text
        "81 83 20 01 02", // negative table id
        "81 83 01 01 02 00", // trailing bytes
        "82 83 01 01 02", // fewer entries than counted
        "81 83 01 65 6162 02", // key longer than the delta
        "81 83 01 01 7b 7fffffffffffffff", // huge text length
        "81 83 01 01 5b ffffffffffffffff", // text length above Long.MAX_VALUE
        "81 83 01 01 1c", // reserved additional info
        "81 83 01 01 9f", // indefinite length
        "81 83 01 01 9b 00000000ffffffff", // array longer than the delta
        "81 83 01 01 d8", // truncated tag
        "9b ffffffffffffffff", // count above Long.MAX_VALUE
        "9b 8000000000000000 83 01 01 01"
      }) // count above Long.MAX_VALUE, with an entry
  void malformedDeltasAreCuStoreExceptions(String bytes) {
    assertThatThrownBy(() -> Delta.parse(hex(bytes))).isInstanceOf(CuStoreException.class);
  }

  @Test
  void deeplyNestedValueIsRefused() {
    String deep = "81 83 01 01" + "81".repeat(600) + "01";
    assertThatThrownBy(() -> Delta.parse(hex(deep))).isInstanceOf(CuStoreException.class);
  }

  @Test
  void everyTruncationIsACuStoreException() {
    for (String valid :
        List.of(
            THREE,
            "81 83 01 6161 1903e8",
            "81 83 01 fb3ff8000000000000 82 01 a1 6178 f4",
            "81 83 03 f5 da63750002 1a00010000")) {
      byte[] full = hex(valid);
      Delta.parse(full);
      for (int len = 0; len < full.length; len++) {
        byte[] prefix = Arrays.copyOf(full, len);
        Throwable t = catchThrowable(() -> Delta.parse(prefix));
        assertThat(t).as("%s cut at %d", valid, len).isInstanceOf(CuStoreException.class);
      }
      byte[] longer = Arrays.copyOf(full, full.length + 1);
      assertThatThrownBy(() -> Delta.parse(longer)).isInstanceOf(CuStoreException.class);
    }
  }

  @Test
  void everySingleByteChangeParsesOrIsACuStoreException() {
    byte[] full = hex(THREE);
    for (int i = 0; i < full.length; i++) {
      for (int b = 0; b < 256; b++) {
        byte[] changed = full.clone();
        changed[i] = (byte) b;
        Throwable t = catchThrowable(() -> Delta.parse(changed));
        if (t != null) {
          assertThat(t).as("byte %d set to %02x", i, b).isInstanceOf(CuStoreException.class);
        }
      }
    }
  }

  @Test
  void refOfReadsOnlyTableReferences() {
    assertThat(Delta.refOf(hex("da63750002 00"))).isEqualTo(0L);
    assertThat(Delta.refOf(hex("da63750002 17"))).isEqualTo(23L);
    assertThat(Delta.refOf(hex("da63750002 1818"))).isEqualTo(24L);
    assertThat(Delta.refOf(hex("da63750002 1b 0000000100000000"))).isEqualTo(1L << 32);
    assertThat(Delta.refOf(null)).isEqualTo(-1L);
    assertThat(Delta.refOf(hex("01"))).isEqualTo(-1L);
    assertThat(Delta.refOf(hex("da63750002"))).isEqualTo(-1L);
    assertThat(Delta.refOf(hex("da63750003 05"))).isEqualTo(-1L); // function reference
    assertThat(Delta.refOf(hex("da63750001 05"))).isEqualTo(-1L); // opaque
    assertThat(Delta.refOf(hex("6a 61626364656667686970"))).isEqualTo(-1L);
  }

  @ParameterizedTest(name = "malformed reference {0}")
  @ValueSource(strings = {"da63750002 18", "da63750002 1b 0000", "da63750002 f6"})
  void refOfMalformedReferenceIsNotAJavaIndexError(String bytes) {
    Throwable t = catchThrowable(() -> Delta.refOf(hex(bytes)));
    if (t != null) {
      assertThat(t).isInstanceOf(CuStoreException.class);
    }
  }

  @Test
  void tagConstantsAreTheCborTags() {
    assertThat(Delta.TAG_EXTREF).isEqualTo(Cbor.TAG_EXTREF);
    assertThat(Delta.TAG_FUNCREF).isEqualTo(Cbor.TAG_FUNCREF);
    assertThat(Delta.TAG_FUNCTION).isEqualTo(Cbor.TAG_FUNCTION);
    assertThat(Delta.TAG_BOX).isEqualTo(Cbor.TAG_BOX);
  }

  @ParameterizedTest(name = "round trip {0}")
  @ValueSource(
      strings = {
        "80",
        "81 83 01 6161 1903e8",
        "81 83 18ff 02 f6",
        "81 83 03 f5 da63750002 1a00010000",
        "81 83 01 fb3ff8000000000000 82 01 a1 6178 f4",
        "82 83 1b 8000000000000000 01 01 83 1a 00010000 f4 d81c 80"
      })
  void encodeGivesBackTheBytesOfAShortestHeadDelta(String bytes) {
    byte[] b = hex(bytes);
    assertThat(Delta.parse(b).encode()).isEqualTo(b);
  }

  @Test
  void encodeOfTheVmFormWritesTheShortestCount() {
    Delta d = Delta.parse(hex(THREE));
    byte[] again = d.encode();
    assertThat(again).isEqualTo(hex(THREE.replace("9b 0000000000000003", "83")));
    assertSameChanges(Delta.parse(again), d);
  }

  private static void assertSameChanges(Delta actual, Delta expected) {
    assertThat(actual.changes()).hasSameSizeAs(expected.changes());
    for (int i = 0; i < expected.changes().size(); i++) {
      Delta.Change a = actual.changes().get(i);
      Delta.Change e = expected.changes().get(i);
      assertThat(a.table()).isEqualTo(e.table());
      assertThat(a.key()).isEqualTo(e.key());
      assertThat(a.value()).isEqualTo(e.value());
    }
  }

  @Test
  void ofBuildsWhatParseReads() {
    List<Delta.Change> in = new ArrayList<>();
    in.add(new Delta.Change(1, hex("6161"), hex("01")));
    in.add(new Delta.Change(1, hex("6162"), null));
    in.add(new Delta.Change(5, hex("6163"), hex("da63750002 07")));
    in.add(new Delta.Change(-1, hex("f5"), hex("1b 7fffffffffffffff"))); // id above Long.MAX_VALUE
    in.add(new Delta.Change(70_000, hex("78 20" + "61".repeat(32)), hex("82 01 a1 6178 f4")));
    Delta d = Delta.of(in);
    in.clear(); // the delta holds its own list
    assertThat(d.changes()).hasSize(5);
    assertThatThrownBy(() -> d.changes().add(d.changes().get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertSameChanges(Delta.parse(d.encode()), d);
    assertThat(d.encode())
        .isEqualTo(
            hex(
                "85 83 01 6161 01 83 01 6162 f6"
                    + " 83 05 6163 da63750002 07 83 1b ffffffffffffffff f5 1b 7fffffffffffffff"
                    + " 83 1a 00011170 78 20"
                    + "61".repeat(32)
                    + " 82 01 a1 6178 f4"));
  }

  @Test
  void ofTreatsANilValueAsADeletionLikeParse() {
    Delta d = Delta.of(List.of(new Delta.Change(2, hex("01"), hex("f6"))));
    assertThat(d.changes().get(0).value()).isNull();
    assertThat(d.encode()).isEqualTo(hex("81 83 02 01 f6"));
  }

  @Test
  void emptyDeltaEncodesAsAnEmptyArray() {
    assertThat(Delta.EMPTY.changes()).isEmpty();
    assertThat(Delta.EMPTY.encode()).isEqualTo(hex("80"));
    assertThat(Delta.parse(Delta.EMPTY.encode()).changes()).isEmpty();
    assertThat(Delta.of(List.of())).isSameAs(Delta.EMPTY);
  }

  @ParameterizedTest(name = "malformed change {0}")
  @ValueSource(strings = {"", "01 02", "82 01", "9f 01 ff", "61", "1c"})
  void ofRefusesAKeyOrValueThatIsNotOneItem(String bytes) {
    byte[] b = hex(bytes);
    assertThatThrownBy(() -> Delta.of(List.of(new Delta.Change(1, b, hex("01")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key");
    assertThatThrownBy(() -> Delta.of(List.of(new Delta.Change(1, hex("01"), b))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("value");
    assertThatThrownBy(() -> Delta.of(List.of(new Delta.Change(1, null, hex("01")))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void valueWithACountAboveLongMaxIsRefused() {
    // read as a negative count, it used to pass for an empty array
    for (String v :
        List.of("9b ffffffffffffffff", "bb 8000000000000000", "9b 8000000000000000 01")) {
      assertThatThrownBy(() -> Delta.parse(hex("81 83 01 01 " + v)))
          .as(v)
          .isInstanceOf(CuStoreException.class);
    }
  }

  @Test
  void referenceInAnyHeadWidthIsAReference() {
    // the VM reads a tag in any head width; the reference counts must see what it will load
    assertThat(Delta.refOf(hex("db 0000000063750002 07"))).isEqualTo(7L);
    assertThat(Delta.refsOf(hex("db 0000000063750003 08"))).containsExactly(8L);
    assertThat(Delta.refsOf(hex("d9 0102 08"))).isEmpty();
    assertThat(
            Delta.refsOf(
                hex("da63750004 82 41 00 83 da63750006 03 da63750005 f6" + " da63750006 1904d2")))
        .containsExactly(3L, 1234L);
  }
}
