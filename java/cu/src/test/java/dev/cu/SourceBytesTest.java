package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Lua strings are bytes: {@link ComputeUnit#execute(String, byte[])} passes source through
 * unchanged, and {@link ComputeUnit.Builder#outputStream} passes printed lines through unchanged.
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
      code[code.length - 1] = '0'; // "return 0": a changed array is a new chunk
      code[code.length - 2] = ' ';
      assertThat(cu.execute("c", code).value()).isEqualTo(0L);
    }
  }

  @Test
  void bytesSourceErrorsNameTheChunk() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(
              () -> cu.execute("@job.lua", "error('x')".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessage("job.lua:1: x");
      assertThatThrownBy(() -> cu.execute("job", "return +".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(LuaSyntaxException.class);
      assertThatThrownBy(() -> cu.execute("job", (byte[]) null))
          .isInstanceOf(NullPointerException.class);
    }
  }

  @Test
  void outputAndOutputStreamReplaceEachOther() {
    java.util.List<String> lines = new java.util.ArrayList<>();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (ComputeUnit cu = ComputeUnit.builder().outputStream(bytes).output(lines::add).build()) {
      cu.execute("print('\\xff')");
    }
    assertThat(lines).containsExactly("\uFFFD");
    assertThat(bytes.size()).isZero();
    lines.clear();
    try (ComputeUnit cu = ComputeUnit.builder().output(lines::add).outputStream(bytes).build()) {
      cu.execute("print('\\xff')");
    }
    assertThat(lines).isEmpty();
    assertThat(bytes.toByteArray()).containsExactly(0xff, '\n');
  }
}
