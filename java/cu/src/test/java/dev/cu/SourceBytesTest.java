package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Lua strings are bytes: {@link ComputeUnit#execute(String, byte[])} passes source through
 * unchanged, and {@link ComputeUnit.Builder#outputBytes} passes printed lines through unchanged.
 */
class SourceBytesTest {
  private static byte[] bytes(String ascii, int... raw) {
    byte[] a = ascii.getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[a.length + raw.length + 1];
    System.arraycopy(a, 0, out, 0, a.length);
    for (int i = 0; i < raw.length; i++) {
      out[a.length + i] = (byte) raw[i];
    }
    out[out.length - 1] = '"';
    return out;
  }

  @Test
  void rawBytesInAStringLiteralReachLuaUnchanged() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      byte[] code = bytes("return \"", 0xff, 0xfe, 0x80, 0xc3);
      ComputeResult r = cu.execute("raw", code);
      assertThat((byte[]) r.value()).containsExactly(0xff, 0xfe, 0x80, 0xc3);
      // the String overload cannot carry them: each invalid byte became U+FFFD (3 bytes)
      String lossy = new String(code, StandardCharsets.UTF_8);
      assertThat(cu.execute("raw", lossy).value()).isEqualTo("\uFFFD\uFFFD\uFFFD\uFFFD");
    }
  }

  @Test
  void bytesSourceIsCachedByContentAndCopied() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      byte[] code = "n = (n or 0) + 1 return n".getBytes(StandardCharsets.US_ASCII);
      assertThat(cu.execute("c", code).value()).isEqualTo(1L);
      assertThat(cu.execute("c", code.clone()).value()).isEqualTo(2L);
      code[code.length - 1] = '0';  // "return 0": a changed array is a new chunk
      code[code.length - 2] = ' ';
      assertThat(cu.execute("c", code).value()).isEqualTo(0L);
    }
  }

  @Test
  void bytesSourceErrorsNameTheChunk() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.execute("@job.lua", "error('x')".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessage("job.lua:1: x");
      assertThatThrownBy(() -> cu.execute("job", "return +".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(LuaSyntaxException.class);
      assertThatThrownBy(() -> cu.execute("job", (byte[]) null))
          .isInstanceOf(NullPointerException.class);
    }
  }

  @Test
  void outputBytesGetsPrintedLinesAsLuaBytes() {
    java.util.List<byte[]> lines = new java.util.ArrayList<>();
    try (ComputeUnit cu = ComputeUnit.builder().outputBytes(lines::add).build()) {
      cu.execute("print('\\xff\\xfe', 1) print('')");
    }
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).containsExactly(0xff, 0xfe, '\t', '1');
    assertThat(lines.get(1)).isEmpty();
  }

  @Test
  void outputAndOutputBytesReplaceEachOther() {
    java.util.List<Object> got = new java.util.ArrayList<>();
    try (ComputeUnit cu = ComputeUnit.builder().outputBytes(got::add).output(got::add).build()) {
      cu.execute("print('\\xff')");
    }
    assertThat(got).containsExactly("\uFFFD");
    got.clear();
    try (ComputeUnit cu = ComputeUnit.builder().output(got::add).outputBytes(got::add).build()) {
      cu.execute("print('x')");
    }
    assertThat(got).hasSize(1).first().isInstanceOf(byte[].class);
  }
}
