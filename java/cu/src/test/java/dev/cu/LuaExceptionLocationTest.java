package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Errors point at the script: chunk, line and Lua frames (docs/ERRORS.md). */
class LuaExceptionLocationTest {
  private static final long MIB = 1024 * 1024;

  private static LuaRuntimeException runtime(ComputeUnit cu, String chunk, String code) {
    return catchThrowableOfType(() -> cu.execute(chunk, code), LuaRuntimeException.class);
  }

  /** The Lua frames at the top of the stack trace. */
  private static StackTraceElement[] luaFrames(Throwable t) {
    return Arrays.stream(t.getStackTrace())
        .takeWhile(e -> e.getClassName().equals("lua"))
        .toArray(StackTraceElement[]::new);
  }

  @Test
  void runtimeErrorInANamedChunkGivesItsChunkAndLine() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaRuntimeException e = runtime(cu, "job", "local x = 1\n\nlocal t = nil\nreturn t.field\n");
      assertThat(e.chunk()).isEqualTo("job");
      assertThat(e.line()).isEqualTo(4);
      assertThat(e).hasMessageStartingWith("job:4: ");
    }
  }

  @Test
  void computeNamesTheChunkCompute() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaRuntimeException e =
          catchThrowableOfType(() -> cu.compute("\nerror('boom')"), LuaRuntimeException.class);
      assertThat(e.chunk()).isEqualTo("compute");
      assertThat(e.line()).isEqualTo(2);
    }
  }

  @Test
  void errorInANestedFunctionReportsTheInnermostLuaLine() {
    String code =
        """
        local function inner(x)
          return x + nil
        end
        local function outer()
          local v = inner(1)
          return v
        end
        return outer()
        """;
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaRuntimeException e = runtime(cu, "nest", code);
      assertThat(e.chunk()).isEqualTo("nest");
      assertThat(e.line()).isEqualTo(2);
    }
  }

  @Test
  void stackTraceStartsWithTheLuaFramesInnermostFirstThenJava() {
    String code =
        """
        function inner()
          error("deep")
        end
        local function outer()
          inner()
          return 1
        end
        outer()
        """;
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaRuntimeException e = runtime(cu, "frames", code);
      StackTraceElement[] lua = luaFrames(e);
      assertThat(lua).hasSize(3);
      assertThat(lua[0].getMethodName()).isEqualTo("inner");
      assertThat(lua[0].getFileName()).isEqualTo("frames");
      assertThat(lua[0].getLineNumber()).isEqualTo(2);
      assertThat(lua[1].getMethodName()).isEqualTo("outer");
      assertThat(lua[1].getLineNumber()).isEqualTo(5);
      assertThat(lua[2].getMethodName()).isEqualTo("main chunk");
      assertThat(lua[2].getLineNumber()).isEqualTo(8);
      StackTraceElement[] all = e.getStackTrace();
      assertThat(all.length).isGreaterThan(3);
      assertThat(all[3].getClassName()).startsWith("dev.cu");
    }
  }

  @Test
  void deepRecursionKeepsABoundedNumberOfLuaFrames() {
    String code = "local function f(n) if n == 0 then error('bottom') end f(n - 1) end\nf(500)";
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaRuntimeException e = runtime(cu, "deep", code);
      assertThat(luaFrames(e)).hasSize(32);
      assertThat(e.line()).isEqualTo(1);
    }
  }

  @Test
  void errorWithATableValueStillGivesTheLocation() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaRuntimeException e = runtime(cu, "obj", "local a = 1\nerror({code = 7})");
      assertThat(e.value()).isEqualTo(Map.of("code", 7L));
      assertThat(e).hasMessage("(error object is a table value)");
      assertThat(e.chunk()).isEqualTo("obj");
      assertThat(e.line()).isEqualTo(2);
      assertThat(luaFrames(e)).hasSize(1);
    }
  }

  @Test
  void errorLevelTwoStillLocatesTheRaisingFunction() {
    // the message names the caller (level 2), chunk()/line() the function that raised
    String code = "local function check(x)\n  error('bad x', 2)\nend\ncheck(1)";
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaRuntimeException e = runtime(cu, "lvl", code);
      assertThat(e).hasMessage("lvl:4: bad x");
      assertThat(e.line()).isEqualTo(2);
      assertThat(luaFrames(e)[1].getLineNumber()).isEqualTo(4);
    }
  }

  @Test
  void failingHostFunctionIsLocatedAtTheLineThatCalledIt() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "explode",
                args -> {
                  throw new IllegalStateException("java side");
                })
            .build()) {
      LuaRuntimeException e = runtime(cu, "host", "local a = 1\nlocal b = explode()\nreturn b");
      assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
      assertThat(e.chunk()).isEqualTo("host");
      assertThat(e.line()).isEqualTo(2);
      assertThat(luaFrames(e)).hasSize(1);
    }
  }

  @Test
  void errorInACoroutineIsLocatedWhereTheCallerReceivedIt() {
    String code =
        """
        local co = coroutine.wrap(function()
          error("in co")
        end)
        co()
        """;
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaRuntimeException e = runtime(cu, "co", code);
      assertThat(e.getMessage()).contains("co:2: in co");
      assertThat(e.chunk()).isEqualTo("co");
      assertThat(e.line()).isEqualTo(4);
    }
  }

  @Test
  void errorOfACalledGlobalFunctionIsLocatedInItsChunk() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.execute("lib", "function fail(x)\n  return x.y\nend");
      LuaRuntimeException e =
          catchThrowableOfType(() -> cu.call("fail", 1L), LuaRuntimeException.class);
      assertThat(e.chunk()).isEqualTo("lib");
      assertThat(e.line()).isEqualTo(2);
      // called from Java, not by a Lua call instruction: Lua knows no name for it
      assertThat(luaFrames(e)).hasSize(1);
      assertThat(luaFrames(e)[0].getMethodName()).isEqualTo("?");
    }
  }

  @Test
  void errorsWithoutAScriptPositionHaveNoLocation() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaRuntimeException missing =
          catchThrowableOfType(() -> cu.call("nosuch"), LuaRuntimeException.class);
      assertThat(missing.chunk()).isNull();
      assertThat(missing.line()).isEqualTo(-1);
      assertThat(luaFrames(missing)).isEmpty();
      // an earlier error's frames do not leak into a later one
      runtime(cu, "first", "error('x')");
      LuaRuntimeException cycle =
          catchThrowableOfType(
              () -> cu.compute("local t = {} t.t = t return t"), LuaRuntimeException.class);
      assertThat(cycle.chunk()).isNull();
      assertThat(cycle.line()).isEqualTo(-1);
    }
  }

  @Test
  void longChunkNameCutInsideACharacterStillLocatesTheError() {
    String name = "é".repeat(40); // 80 bytes: Lua keeps 59, half a character at the end
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaRuntimeException e = runtime(cu, name, "\nerror('boom')");
      assertThat(e.chunk()).startsWith("é".repeat(29)).hasSizeLessThanOrEqualTo(31);
      assertThat(e.line()).isEqualTo(2);
      assertThat(luaFrames(e)[0].getFileName()).isEqualTo(e.chunk());
      assertThat(e).hasMessageStartingWith("é".repeat(29)).hasMessageEndingWith(":2: boom");
    }
  }

  @Test
  void errorMessageThatIsNotUtf8KeepsItsTextWithReplacements() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaRuntimeException e = runtime(cu, "bytes", "error('bad \\255 byte', 0)");
      assertThat(e).hasMessage("bad \uFFFD byte");
    }
  }

  @Test
  void syntaxErrorGivesChunkAndLine() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaSyntaxException e =
          catchThrowableOfType(
              () -> cu.execute("broken", "local a = 1\nlocal b = = 2"), LuaSyntaxException.class);
      assertThat(e.chunk()).isEqualTo("broken");
      assertThat(e.line()).isEqualTo(2);
      LuaSyntaxException c =
          catchThrowableOfType(() -> cu.compute("return 1 +"), LuaSyntaxException.class);
      assertThat(c.chunk()).isEqualTo("compute");
      assertThat(c.line()).isEqualTo(1);
    }
  }

  @Test
  void syntaxErrorInAChunkWhoseNameHoldsAColonAndDigitsNamesTheWholeChunk() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaSyntaxException e =
          catchThrowableOfType(() -> cu.execute("a:1: b", "x ="), LuaSyntaxException.class);
      assertThat(e.chunk()).isEqualTo("a:1: b");
      assertThat(e.line()).isEqualTo(1);
    }
  }

  @Test
  void memoryErrorSaysTheLimitAndTheSizeOfTheFailedRequest() {
    long limit = 16 * MIB;
    try (ComputeUnit cu = ComputeUnit.builder().memoryLimit(limit).build()) {
      LuaMemoryException e =
          catchThrowableOfType(
              () -> cu.compute("return string.rep('x', 64 * 1024 * 1024)"),
              LuaMemoryException.class);
      assertThat(e.limit()).isEqualTo(limit);
      assertThat(e.requested()).isGreaterThanOrEqualTo(64 * MIB);
      assertThat(e)
          .hasMessageStartingWith("not enough memory: a request of " + e.requested() + " bytes")
          .hasMessageContaining("exceeds the memory limit of " + limit + " bytes (")
          .hasMessageEndingWith(" in use)");
      // the next error without the limit's refusal does not reuse the old figures
      assertThat(cu.compute("return 1")).isEqualTo(1L);
    }
  }

  @Test
  void memoryErrorOfManySmallBlocksSaysTheRequestThatCrossedTheLimit() {
    long limit = 8 * MIB;
    try (ComputeUnit cu = ComputeUnit.builder().memoryLimit(limit).build()) {
      LuaMemoryException e =
          catchThrowableOfType(
              () -> cu.compute("local t = {} while true do t[#t + 1] = {} end"),
              LuaMemoryException.class);
      assertThat(e.limit()).isEqualTo(limit);
      assertThat(e.requested()).isPositive();
      assertThat(e).hasMessageContaining("MiB in use)");
    }
  }

  @Test
  void aScriptThatCatchesTheMemoryErrorStillSeesLuasMessage() {
    try (ComputeUnit cu = ComputeUnit.builder().memoryLimit(8 * MIB).build()) {
      assertThat(cu.compute("local ok, e = pcall(string.rep, 'x', 1e9) return e"))
          .isEqualTo("not enough memory");
    }
  }
}
