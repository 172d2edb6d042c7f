package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.codec.CborEncoder;
import dev.cu.codec.TestValues;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@link ComputeUnit#setInputCbor} with hostile bytes: every input either sets {@code _io.input}
 * or is refused with an {@link IllegalArgumentException} that has a message; nothing else is
 * thrown, nothing crashes, and the unit keeps working. One unit takes all inputs of a property,
 * so damage left by one input shows in the next.
 */
class IoFuzzTest {

  private static ComputeUnit unit;

  @BeforeContainer
  static void open() {
    unit = ComputeUnit.create();
  }

  @AfterContainer
  static void close() {
    unit.close();
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  /** Sets the input or sees it refused; true when it was accepted. */
  private static boolean setOrRefuse(byte[] data) {
    boolean accepted;
    try {
      unit.setInputCbor(data);
      accepted = true;
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).as("message of the refusal").isNotBlank();
      accepted = false;
    }
    if (accepted) {
      // the accepted value can be used and converted back (a cycle is refused, cleanly)
      unit.compute(
          "local t = _io.input if type(t) == 'table' then for k, v in pairs(t) do end end");
      unit.compute("_io.output = _io.input");
      try {
        unit.getOutput();
      } catch (LuaRuntimeException e) {
        assertThat(e.getMessage()).contains("cycle");
      }
    }
    assertThat(unit.compute("return 1")).isEqualTo(1L);
    return accepted;
  }

  @Property(tries = 2000)
  void randomBytesAreSetOrRefused(@ForAll @Size(max = 64) byte[] data) {
    setOrRefuse(data);
  }

  @Provide
  Arbitrary<byte[]> cborLikeBytes() {
    // heads that open containers, strings, tags and long arguments, and float heads; the
    // value-sharing tags (d8 1c, d8 1d) are fuzzed in a child JVM: see
    // structuredInputsWithSharingNeverCrashTheJvm
    Arbitrary<Byte> interesting =
        Arbitraries.of(
            (byte) 0x00,
            (byte) 0x01,
            (byte) 0x17,
            (byte) 0x18,
            (byte) 0x1b,
            (byte) 0x1c,
            (byte) 0x20,
            (byte) 0x3b,
            (byte) 0x41,
            (byte) 0x5b,
            (byte) 0x61,
            (byte) 0x62,
            (byte) 0x7b,
            (byte) 0x80,
            (byte) 0x81,
            (byte) 0x82,
            (byte) 0x9b,
            (byte) 0x9f,
            (byte) 0xa0,
            (byte) 0xa1,
            (byte) 0xa2,
            (byte) 0xbb,
            (byte) 0xc0,
            (byte) 0xd9,
            (byte) 0xda,
            (byte) 0xf4,
            (byte) 0xf6,
            (byte) 0xf7,
            (byte) 0xf9,
            (byte) 0xfa,
            (byte) 0xfb,
            (byte) 0xff,
            (byte) 0x7f,
            (byte) 0xc3);
    return Arbitraries.oneOf(interesting, Arbitraries.bytes()).array(byte[].class).ofMaxSize(48);
  }

  @Property(tries = 2000)
  void cborLikeBytesAreSetOrRefused(@ForAll("cborLikeBytes") byte[] data) {
    setOrRefuse(data);
  }

  @Provide
  Arbitrary<byte[]> encodedValues() {
    ObjectMapper mapper = new ObjectMapper();
    return TestValues.values(4).map(v -> CborEncoder.encode(v, mapper));
  }

  @Property(tries = 200)
  void everyTruncationOfAnEncodedValueIsSetOrRefused(@ForAll("encodedValues") byte[] full) {
    assertThat(setOrRefuse(full)).as("the whole encoding").isTrue();
    for (int len = 0; len < full.length; len++) {
      setOrRefuse(Arrays.copyOf(full, len));
    }
  }

  /** Valid encodings using what the Java encoder never writes: short floats, sharing, deep. */
  static final List<String> VALID =
      List.of(
          "8e 01 20 1818 1903e8 fb40091eb851eb851f fa3fc00000 f93c00 62c3a9 42fffe a2 01f5 616b f6"
              + " d81c 81 01 d81d 00 f4 f7",
          "a3 6161 83 01 02 03 6162 a1 6163 a1 6164 f5 fb3ff8000000000000 f97e00",
          "84 d81c a0 d81c 8101 d81d 01 d81d 00",
          "d81c 82 01 d81d 00",
          "a1 d81c 80 01",
          "1b7fffffffffffffff",
          "3b7fffffffffffffff",
          "7818 " + "61".repeat(24),
          "81".repeat(200) + "80");

  @Example
  void everyTruncationOfHandWrittenEncodingsIsSetOrRefused() {
    for (String h : VALID) {
      byte[] full = hex(h);
      assertThat(setOrRefuse(full)).as("whole %s", h).isTrue();
      for (int len = 1; len < full.length; len++) {
        assertThat(setOrRefuse(Arrays.copyOf(full, len))).as("%s cut at %d", h, len).isFalse();
      }
    }
  }

  @Example
  void everySingleByteChangeOfAnEncodingIsSetOrRefused() {
    byte[] full = hex(VALID.get(1));
    for (int i = 0; i < full.length; i++) {
      for (int b = 0; b < 256; b += 3) {
        byte[] changed = full.clone();
        changed[i] = (byte) b;
        setOrRefuse(changed);
      }
    }
  }

  @Example
  void malformedInputsAreRefusedWithAMessage() {
    for (String h :
        List.of(
            "ff",
            "1c",
            "9f 01 ff",
            "5f",
            "a1 f6 01",
            "a1 f97e00 01",
            "1b8000000000000000",
            "3b8000000000000000",
            "9b ffffffffffffffff",
            "d81d 00",
            "d81c 01",
            "c0 00",
            "da63750003 01",
            "82 01",
            "00 00",
            "81".repeat(201) + "80")) {
      assertThat(setOrRefuse(hex(h))).as(h).isFalse();
    }
  }

  @Example
  void structuredInputsWithSharingNeverCrashTheJvm() throws Exception {
    long seed = 20_240_601L;
    ChildJvm.Result r = ChildJvm.run(CborFuzzChild.class, Long.toString(seed), "20000");
    List<String> lines = r.output().lines().toList();
    String lastInput =
        lines.stream().filter(l -> l.startsWith("try ")).reduce((a, b) -> b).orElse("none");
    String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    assertThat(r.exitCode())
        .as("child JVM (seed %d) failed; last input: %s%n%s", seed, lastInput, tail)
        .isZero();
    assertThat(lines).contains("done");
  }
}
