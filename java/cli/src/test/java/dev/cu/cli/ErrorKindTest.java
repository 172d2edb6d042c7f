package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.LuaMemoryException;
import dev.cu.LuaRuntimeException;
import dev.cu.LuaSyntaxException;
import dev.cu.LuaTimeoutException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorKindTest {

  @Test
  void luaExceptionsMapToKindsAndExitCodes() {
    assertKind(new LuaSyntaxException("x:1: bad", 1, false), ErrorKind.SYNTAX, 1);
    assertKind(new LuaRuntimeException("x:1: boom", null, "boom", null), ErrorKind.RUNTIME, 1);
    assertKind(new LuaMemoryException("not enough memory"), ErrorKind.MEMORY, 3);
    assertKind(
        new LuaTimeoutException("time limit exceeded", LuaTimeoutException.Reason.TIME_LIMIT),
        ErrorKind.TIMEOUT,
        3);
    assertKind(new CliException(ErrorKind.USAGE, "no"), ErrorKind.USAGE, 2);
    assertKind(new CliException(ErrorKind.STORAGE, "disk"), ErrorKind.STORAGE, 4);
    assertKind(new IllegalStateException("odd"), ErrorKind.RUNTIME, 1);
    assertKind(new CliException(ErrorKind.OUTPUT, "too much"), ErrorKind.OUTPUT, 3);
    assertKind(new CliException(ErrorKind.INPUT, "too large"), ErrorKind.INPUT, 3);
  }

  @Test
  void labelsAreLowerCase() {
    assertThat(ErrorKind.values())
        .extracting(ErrorKind::label)
        .containsExactly(
            "syntax", "runtime", "memory", "timeout", "output", "input", "usage", "storage");
  }

  @Test
  void describeFormatsTheStderrLine() {
    assertThat(
            ErrorKind.describe(
                new LuaTimeoutException(
                    "time limit exceeded", LuaTimeoutException.Reason.TIME_LIMIT)))
        .isEqualTo("cu: timeout: time limit exceeded");
    assertThat(ErrorKind.describe(new CliException(ErrorKind.USAGE, "cu: already prefixed")))
        .isEqualTo("cu: usage: already prefixed");
    assertThat(ErrorKind.describe(new NullPointerException()))
        .isEqualTo("cu: runtime: NullPointerException");
  }

  @Test
  void describeAppendsATableErrorValueAsJson() {
    LuaRuntimeException e =
        new LuaRuntimeException("(error object is a table value)", null, Map.of("code", 7L), null);
    assertThat(ErrorKind.describe(e))
        .isEqualTo("cu: runtime: (error object is a table value) {\"code\":7}");
  }

  private static void assertKind(Throwable t, ErrorKind kind, int exit) {
    assertThat(ErrorKind.of(t)).isEqualTo(kind);
    assertThat(ErrorKind.of(t).exitCode()).isEqualTo(exit);
  }
}
