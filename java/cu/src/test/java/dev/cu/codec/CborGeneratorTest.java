package dev.cu.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Records, POJOs and Jackson trees are serialized by databind straight into cu's format
 * ({@link CborGenerator}). The reference is what the same mapper makes of the value as plain
 * maps and lists ({@code convertValue}), encoded by the encoder's own path.
 */
class CborGeneratorTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  record Item(long id, String name, double score) {}

  record Renamed(@JsonProperty("ident") long id, @JsonIgnore String secret, float ratio) {}

  record Wide(
      List<Item> items,
      Map<String, Object> extra,
      byte[] blob,
      BigDecimal price,
      BigInteger big,
      Integer missing) {}

  record Deep(Deep next) {}

  record WithOptional(Optional<String> o) {}

  /** A POJO with getters only. */
  public static final class Bean {
    public List<Integer> getValues() {
      return IntStream.range(0, 300).boxed().toList();
    }

    public Map<Integer, String> getByNumber() {
      Map<Integer, String> m = new LinkedHashMap<>();
      for (int i = 0; i < 30; i++) {
        m.put(i, "v" + i);
      }
      return m;
    }
  }

  private static byte[] reference(Object v) {
    return CborEncoder.encode(MAPPER.convertValue(v, Object.class), MAPPER);
  }

  static Stream<Object> values() {
    List<Item> many = new ArrayList<>();
    for (int i = 0; i < 70_000; i++) {
      many.add(new Item(i, "item" + i, i * 0.5));
    }
    ObjectNode tree = MAPPER.createObjectNode();
    ArrayNode arr = tree.putArray("a");
    for (int i = 0; i < 25; i++) {
      arr.add(i).add("s" + i).add(i + 0.25);
    }
    tree.put("t", true).putNull("n").putObject("o").put("x", -7);
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("nested", List.of(Map.of("k", 1L)));
    return Stream.of(
        new Item(1, "one", 1.5),
        new Renamed(5, "hidden", 0.5f),
        new Wide(
            List.of(new Item(2, "two", 2.0)),
            extra,
            new byte[] {1, 2, 3},
            new BigDecimal("12.25"),
            BigInteger.valueOf(Long.MIN_VALUE),
            null),
        new Bean(),
        tree,
        many,
        List.of(new Item(3, "x", 0.0), Map.of("item", new Item(4, "y", -1.0))),
        // one generator serves a list's records, across classes and around a nested record
        List.of(
            new Item(5, "a", 0.5),
            new Renamed(6, "s", 1.5f),
            new Item(7, "b", 2.5),
            Map.of("item", new Item(8, "c", 3.5)),
            new Item(9, "d", 4.5)));
  }

  private static boolean fits(Object v) {
    try {
      CborEncoder.encode(v, MAPPER);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Test
  void theDepthLimitHoldsForEveryRecordOfAList() {
    Deep ok = null;
    for (int i = 0; i < CborEncoder.MAX_DEPTH - 1; i++) {
      ok = new Deep(ok);
    }
    Deep deep = new Deep(new Deep(ok));
    assertThat(CborEncoder.encode(List.of(ok, ok, ok), MAPPER)).isNotEmpty();
    List<Deep> mixed = List.of(ok, ok, deep);
    assertThatThrownBy(() -> CborEncoder.encode(mixed, MAPPER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested too deeply");
    // the deepest record a list takes, then the same one level further down: its depth counts
    Deep deepest = ok;
    while (fits(List.of(new Deep(deepest)))) {
      deepest = new Deep(deepest);
    }
    assertThat(fits(List.of(deepest, deepest))).isTrue();
    List<Object> lower = List.of(deepest, List.of(deepest));
    assertThatThrownBy(() -> CborEncoder.encode(lower, MAPPER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested too deeply");
  }

  @ParameterizedTest
  @MethodSource("values")
  void sameBytesAsThroughPlainMapsAndLists(Object v) {
    assertThat(HexFormat.of().formatHex(CborEncoder.encode(v, MAPPER)))
        .isEqualTo(HexFormat.of().formatHex(reference(v)));
  }

  @Test
  void containerHeadsOfEverySizeArePatched() {
    for (int size : new int[] {0, 23, 24, 255, 256, 65_535, 65_536}) {
      List<Item> items = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        items.add(new Item(i, "", 0));
      }
      Object decoded =
          CborDecoder.decode(
              CborEncoder.encode(
                  new Wide(items, Map.of(), new byte[0], BigDecimal.ONE, BigInteger.ONE, 1),
                  MAPPER));
      assertThat(((List<?>) ((Map<?, ?>) decoded).get("items"))).hasSize(size);
    }
  }

  @Test
  void refusalsAreIllegalArgumentExceptions() {
    Deep d = null;
    for (int i = 0; i < CborEncoder.MAX_DEPTH + 5; i++) {
      d = new Deep(d);
    }
    Deep deep = d;
    assertThatThrownBy(() -> CborEncoder.encode(deep, MAPPER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested too deeply");
    assertThatThrownBy(() -> CborEncoder.encode(new WithOptional(Optional.of("x")), MAPPER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Optional");
    assertThatThrownBy(
            () ->
                CborEncoder.encode(
                    new Wide(List.of(), Map.of(), null, new BigDecimal("1E+999999999"), null, null),
                    MAPPER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too large for a Lua bigint");
    // the buffer holds only what was encoded before the refused element
    assertThat(CborDecoder.decode(CborEncoder.encode(List.of(1L), MAPPER))).isEqualTo(List.of(1L));
  }
}
