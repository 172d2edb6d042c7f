package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The conformance cases C1-C21 ("Compute and results"). "fresh" cases get a new unit each;
 * "same" cases run their steps on one unit.
 */
class ComputeUnitConformanceTest {

  private static Object computeFresh(String code) {
    try (ComputeUnit cu = ComputeUnit.create()) {
      return cu.compute(code);
    }
  }

  @Test
  @DisplayName("C1: return 2 + 2 -> 4L, output \"\"")
  void c1_additionGivesLongAndNoOutput() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      ComputeResult r = cu.execute("return 2 + 2");
      assertThat(r.value()).isEqualTo(4L);
      assertThat(r.values()).containsExactly(4L);
      assertThat(r.output()).isEmpty();
    }
  }

  @Test
  @DisplayName("C2: string concatenation")
  void c2_concatenation() {
    assertThat(computeFresh("return \"Hello\" .. \" \" .. \"World\"")).isEqualTo("Hello World");
  }

  @Test
  @DisplayName("C3: several values: compute gives the last, execute gives all")
  void c3_multipleValues() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return 10, 20, 30")).isEqualTo(30L);
      ComputeResult r = cu.execute("return 10, 20, 30");
      assertThat(r.values()).containsExactly(10L, 20L, 30L);
      assertThat(r.value()).isEqualTo(30L);
    }
  }

  @ParameterizedTest(name = "C4: {0} -> null")
  @ValueSource(strings = {"return", "return nil", "x = 1"})
  void c4_nothingOrNilGivesNull(String code) {
    assertThat(computeFresh(code)).isNull();
  }

  @ParameterizedTest(name = "C5: {0} -> {1}")
  @CsvSource({"return true, true", "return false, false"})
  void c5_booleans(String code, boolean expected) {
    assertThat(computeFresh(code)).isEqualTo(expected);
  }

  static Stream<Arguments> numbers() {
    return Stream.of(
        // C6
        Arguments.of("return 3.14", 3.14),
        Arguments.of("return 0/0", Double.NaN),
        Arguments.of("return 1/0", Double.POSITIVE_INFINITY),
        // C7
        Arguments.of("return 10/2", 5.0),
        Arguments.of("return 3.0", 3.0),
        Arguments.of("return math.maxinteger", 9223372036854775807L));
  }

  @ParameterizedTest(name = "C6/C7: {0} -> {1}")
  @MethodSource("numbers")
  void c6_c7_numbersKeepTheirSubtype(String code, Object expected) {
    Object actual = computeFresh(code);
    assertThat(actual).isExactlyInstanceOf(expected.getClass());
    // Double.equals treats NaN as equal to itself, so this also checks C6's NaN
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  @DisplayName("C8: print output is collected, lines end in \\n")
  void c8_printIsCollected() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      ComputeResult r = cu.execute("print(\"a\") print(\"b\") return 1");
      assertThat(r.value()).isEqualTo(1L);
      assertThat(r.output()).isEqualTo("a\nb\n");
    }
  }

  @Test
  @DisplayName("C9: print separates arguments by tabs and formats like tostring")
  void c9_printFormatsArguments() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      ComputeResult r = cu.execute("print(1, \"x\", true, nil, 2.5)");
      assertThat(r.output()).isEqualTo("1\tx\ttrue\tnil\t2.5\n");
      assertThat(r.values()).isEmpty();
    }
  }

  @Test
  @DisplayName("C10: globals persist between calls")
  void c10_globalsPersist() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("x = 42")).isNull();
      assertThat(cu.compute("return x")).isEqualTo(42L);
    }
  }

  @Test
  @DisplayName("C11: a global function defined in one call is callable in the next")
  void c11_functionsPersist() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("function add(a,b) return a+b end");
      assertThat(cu.compute("return add(10,20)")).isEqualTo(30L);
    }
  }

  @Test
  @DisplayName("C12: number formatting")
  void c12_formatting() {
    assertThat(
            computeFresh(
                "return \"n=\" .. 2.5 .. \" \" .. string.format(\"%5.2f|%x\", 3.14159, 255)"))
        .isEqualTo("n=2.5  3.14|ff");
  }

  @Test
  @DisplayName("C13: a sequence becomes a List, a record table a Map")
  void c13_nestedList() {
    Object r = computeFresh("return {1, 2, {a = \"b\"}}");
    assertThat(r).isInstanceOf(List.class).isEqualTo(List.of(1L, 2L, Map.of("a", "b")));
    assertThat(((List<?>) r).get(2)).isInstanceOf(Map.class);
  }

  @Test
  @DisplayName("C14: mixed keys give a Map with converted keys")
  void c14_mixedKeysMap() {
    Object r = computeFresh("return {x = 1, [2] = true}");
    assertThat(r).isInstanceOf(Map.class).isEqualTo(Map.of("x", 1L, 2L, true));
  }

  @Test
  @DisplayName("C15: error(\"boom\") is a runtime error; the unit keeps working")
  void c15_runtimeErrorThenUsable() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute("error(\"boom\")"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining(":1: boom");
      assertThat(cu.compute("return 42")).isEqualTo(42L);
    }
  }

  @Test
  @DisplayName("C16: a syntax error names line 1; the unit keeps working")
  void c16_syntaxErrorThenUsable() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute("return 1 +"))
          .isInstanceOfSatisfying(
              LuaSyntaxException.class,
              e -> {
                assertThat(e.line()).isEqualTo(1);
                assertThat(e.getMessage()).contains(":1:");
              });
      assertThat(cu.compute("return 1 + 1")).isEqualTo(2L);
    }
  }

  @Test
  @DisplayName("C17: pcall catches an error and returns its value")
  void c17_pcall() {
    assertThat(computeFresh("return pcall(error, \"x\")")).isEqualTo("x");
  }

  @Test
  @DisplayName("C18: the Lua error value comes back converted")
  void c18_errorValue() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute("error({code = 7})"))
          .isInstanceOfSatisfying(
              LuaRuntimeException.class, e -> assertThat(e.value()).isEqualTo(Map.of("code", 7L)));
    }
  }

  @Test
  @DisplayName("C19: a 1 MB chunk runs (no 64 KB limit)")
  void c19_megabyteChunk() {
    StringBuilder code = new StringBuilder("x = 0\n");
    for (int i = 0; i < 100_000; i++) {
      code.append("x = x + 1\n");
    }
    code.append("return x\n");
    assertThat(code.length()).isGreaterThan(1_000_000);
    assertThat(computeFresh(code.toString())).isEqualTo(100_000L);
  }

  @Test
  @DisplayName("C20: a 200000-byte UTF-8 string comes back intact")
  void c20_largeUtf8String() {
    Object r = computeFresh("return string.rep(\"é\", 100000)");
    assertThat(r).isInstanceOf(String.class);
    String s = (String) r;
    assertThat(s.getBytes(StandardCharsets.UTF_8)).hasSize(200_000);
    assertThat(s).isEqualTo("é".repeat(100_000));
  }

  @Test
  @DisplayName("C21: a string that is not UTF-8 becomes byte[]")
  void c21_invalidUtf8IsBytes() {
    Object r = computeFresh("return \"\\xff\\xfe\"");
    assertThat(r).isInstanceOf(byte[].class);
    assertThat(Arrays.equals((byte[]) r, new byte[] {(byte) 0xff, (byte) 0xfe})).isTrue();
  }

  // Beyond C1-C21: nil among several values, seen through execute()

  @Test
  void executeKeepsNilAmongValues() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      ComputeResult r = cu.execute("return 1, nil, 3");
      assertThat(r.values()).containsExactly(1L, null, 3L);
      assertThat(r.value()).isEqualTo(3L);
    }
  }

  @Test
  void executeOfReturnNilGivesOneNullValue() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      ComputeResult r = cu.execute("return nil");
      assertThat(r.values()).containsExactly((Object) null);
      assertThat(r.value()).isNull();
    }
  }

  @Test
  void chunkCacheEvictionKeepsResultsRightAndFreesChunks() {
    try (ComputeUnit cu = ComputeUnit.builder().chunkCacheSize(2).build()) {
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 5; i++) {
          assertThat(cu.compute("return " + i + " * 10")).isEqualTo(i * 10L);
        }
      }
      cu.runGc();
      long before = cu.getMemoryStats().used();
      for (int i = 0; i < 2000; i++) {
        cu.compute("local padding = '" + "x".repeat(200) + "' return " + i);
      }
      cu.runGc();
      // 2000 compiled chunks of ~1 KB each would stay if evicted chunks were not freed
      assertThat(cu.getMemoryStats().used()).isLessThan(before + 256 * 1024);
    }
  }
}
