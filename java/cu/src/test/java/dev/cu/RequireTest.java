package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code require} in the sandbox, through {@link ComputeUnit.Builder#modules(ModuleLoader)}. */
class RequireTest {
  @TempDir Path dir;

  private static ComputeUnit unit(Map<String, String> modules) {
    return ComputeUnit.builder().modules(ModuleLoader.of(modules)).build();
  }

  @Test
  void requireRunsTheModuleWithItsNameAndReturnsItsValue() {
    try (ComputeUnit cu = unit(Map.of("m.n", "local name = ... return {name = name, x = 1}"))) {
      assertThat(cu.compute("local m = require('m.n') return m.name .. m.x")).isEqualTo("m.n1");
    }
  }

  @Test
  void theChunkGetsTheModuleNameAndItsChunkName() throws IOException {
    Files.writeString(dir.resolve("m.lua"), "return table.concat({...}, '|')");
    try (ComputeUnit cu = ComputeUnit.builder().modules(ModuleLoader.directory(dir)).build()) {
      assertThat(cu.compute("return require('m')")).isEqualTo("m|" + dir.resolve("m.lua"));
    }
  }

  @Test
  void requireTwiceReturnsTheSameValueAndRunsTheModuleOnce() {
    try (ComputeUnit cu = unit(Map.of("m", "count = (count or 0) + 1 return {}"))) {
      assertThat(cu.compute("return require('m') == require('m')")).isEqualTo(true);
      cu.compute("require('m')"); // a later run of the same unit
      assertThat(cu.compute("return count")).isEqualTo(1L);
    }
  }

  @Test
  void theCacheBelongsToTheUnit() {
    ModuleLoader l = ModuleLoader.of(Map.of("m", "n = (n or 0) + 1"));
    try (ComputeUnit a = ComputeUnit.builder().modules(l).build();
        ComputeUnit b = ComputeUnit.builder().modules(l).build()) {
      a.compute("require('m')");
      b.compute("require('m')");
      assertThat(a.compute("return n")).isEqualTo(1L);
      assertThat(b.compute("return n")).isEqualTo(1L);
    }
  }

  @Test
  void aModuleReturningNothingIsCachedAsTrue() {
    try (ComputeUnit cu = unit(Map.of("quiet", "x = 1"))) {
      assertThat(cu.compute("return require('quiet')")).isEqualTo(true);
    }
  }

  @Test
  void modulesShareTheUnitsGlobalsAndSandbox() {
    try (ComputeUnit cu = unit(Map.of("m", "shared = 5 return io == nil and os.exit == nil"))) {
      assertThat(cu.compute("return require('m')")).isEqualTo(true);
      assertThat(cu.compute("return shared")).isEqualTo(5L);
    }
  }

  @Test
  void aFailingModuleIsNotCachedAndItsErrorNamesItsChunk() throws IOException {
    Files.writeString(dir.resolve("bad.lua"), "tries = (tries or 0) + 1\nerror('boom')");
    try (ComputeUnit cu = ComputeUnit.builder().modules(ModuleLoader.directory(dir)).build()) {
      assertThatThrownBy(() -> cu.compute("require('bad')"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining(dir.resolve("bad.lua") + ":2: boom");
      assertThatThrownBy(() -> cu.compute("require('bad')"))
          .isInstanceOf(LuaRuntimeException.class);
      assertThat(cu.compute("return tries")).isEqualTo(2L);
    }
  }

  @Test
  void aSyntaxErrorInAModuleNamesTheModuleAndItsChunk() {
    try (ComputeUnit cu = unit(Map.of("broken", "return +"))) {
      assertThatThrownBy(() -> cu.compute("require('broken')"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("error loading module 'broken' from 'broken'");
    }
  }

  @Test
  void recursiveRequireIsAClearErrorNotAStackOverflow() {
    try (ComputeUnit cu = unit(Map.of("a", "return require('b')", "b", "return require('a')"))) {
      assertThatThrownBy(() -> cu.compute("require('a')"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("module 'a' is required while it is being loaded");
      // nothing stays marked: the same cycle is reported again
      assertThatThrownBy(() -> cu.compute("require('b')"))
          .hasMessageContaining("module 'b' is required while it is being loaded");
    }
  }

  @Test
  void aMissingModuleNamesEveryPlaceTried() {
    ModuleLoader l =
        ModuleLoader.of(Map.of())
            .orElse(ModuleLoader.directory(dir))
            .orElse(ModuleLoader.classpath("testmods"));
    try (ComputeUnit cu = ComputeUnit.builder().modules(l).build()) {
      assertThatThrownBy(() -> cu.compute("require('x.y')"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("module 'x.y' not found:")
          .hasMessageContaining("no built-in module 'x.y'")
          .hasMessageContaining("no module 'x.y' in the given sources")
          .hasMessageContaining("no file '" + dir.resolve("x/y.lua") + "'")
          .hasMessageContaining("no resource 'testmods/x/y.lua' on the class path");
    }
  }

  @Test
  void withoutALoaderRequireFindsOnlyBuiltInModules() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute("require('x')"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("module 'x' not found")
          .hasMessageContaining("no module loader is set");
    }
  }

  @Test
  void invalidNamesNeverReachTheLoader() {
    AtomicInteger asked = new AtomicInteger();
    ModuleLoader counting =
        new ModuleLoader() {
          @Override
          public Optional<Module> find(String name) {
            asked.incrementAndGet();
            return Optional.empty();
          }

          @Override
          public List<String> places(String name) {
            return List.of();
          }
        };
    try (ComputeUnit cu = ComputeUnit.builder().modules(counting).build()) {
      for (String name : List.of("../x", "/etc/passwd", "a..b", "a\\\\b", "", "a\\0b")) {
        assertThatThrownBy(() -> cu.compute("require('" + name + "')"))
            .isInstanceOf(LuaRuntimeException.class)
            .hasMessageContaining("invalid module name");
      }
      assertThatThrownBy(() -> cu.compute("require({})")).isInstanceOf(LuaRuntimeException.class);
      assertThat(asked).hasValue(0);
    }
  }

  @Test
  void aBinaryModuleIsRefused() {
    try (ComputeUnit cu = unit(Map.of("bin", "\u001bLua\u0054\u0000return 1"))) {
      assertThatThrownBy(() -> cu.compute("require('bin')"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("attempt to load a binary chunk");
    }
  }

  @Test
  void theTimeLimitStopsAnEndlessModule() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .timeLimit(Duration.ofMillis(100))
            .modules(ModuleLoader.of(Map.of("loop", "while true do end")))
            .build()) {
      assertThatThrownBy(() -> cu.compute("require('loop')"))
          .isInstanceOf(LuaTimeoutException.class);
      assertThat(cu.compute("return 1")).isEqualTo(1L);
    }
  }

  @Test
  void theMemoryLimitHoldsInsideAModule() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .memoryLimit(4 << 20)
            .modules(ModuleLoader.of(Map.of("big", "return string.rep('x', 1 << 24)")))
            .build()) {
      assertThatThrownBy(() -> cu.compute("require('big')")).isInstanceOf(LuaMemoryException.class);
    }
  }

  @Test
  void aThrowingLoaderFailsTheRunWithItsExceptionAsCauseButNotItsMessage() {
    IOException boom = new IOException("secret /etc path");
    ModuleLoader failing =
        new ModuleLoader() {
          @Override
          public Optional<Module> find(String name) throws IOException {
            throw boom;
          }

          @Override
          public List<String> places(String name) {
            return List.of();
          }
        };
    try (ComputeUnit cu = ComputeUnit.builder().modules(failing).build()) {
      LuaException e = catchThrowableOfType(() -> cu.compute("require('m')"), LuaException.class);
      assertThat(e).hasMessageContaining("error loading module 'm': the module loader failed");
      assertThat(e).hasCauseReference(boom);
      assertThat(cu.compute("local ok, m = pcall(require, 'm') return m"))
          .asString()
          .doesNotContain("secret")
          .contains("the module loader failed");
    }
  }

  @Test
  void aModuleErrorCanBeCaughtByTheScript() {
    try (ComputeUnit cu = unit(Map.of("bad", "error('boom')"))) {
      assertThat(cu.compute("local ok, e = pcall(require, 'bad') return ok")).isEqualTo(false);
    }
  }

  @Test
  void aModuleLargerThanTheReplyBufferLoadsWhole() {
    StringBuilder src = new StringBuilder("local t = {}\n");
    for (int i = 0; i < 5000; i++) {
      src.append("t[#t + 1] = ").append(i).append("\n");
    }
    src.append("return #t");
    try (ComputeUnit cu = unit(Map.of("big", src.toString()))) {
      assertThat(cu.compute("return require('big')")).isEqualTo(5000L);
    }
  }

  @Test
  void requireWorksInsideACoroutineButAModuleCannotYield() {
    try (ComputeUnit cu = unit(Map.of("m", "return 7", "y", "coroutine.yield(1) return 2"))) {
      assertThat(cu.compute("return coroutine.wrap(function() return require('m') end)()"))
          .isEqualTo(7L);
      assertThat(
              cu.compute(
                  "local ok, e = coroutine.resume(coroutine.create(function()"
                      + " return require('y') end)) return e"))
          .asString()
          .contains("attempt to yield across a C-call boundary");
      // the failed module is not cached and its mark is gone
      assertThat(cu.compute("return (pcall(require, 'y'))")).isEqualTo(false);
    }
  }

  @Test
  void requireCanBeStoredInHomeLikeOtherLibraryFunctions() {
    try (ComputeUnit cu = unit(Map.of("m", "return 'm'"))) {
      cu.compute("_home.r = require");
      assertThat(cu.compute("return _home.r('m')")).isEqualTo("m");
    }
  }

  @Test
  void aModuleThatFailedInsideACoroutineIsNotLeftMarkedAsLoading() {
    try (ComputeUnit cu = unit(Map.of("bad", "tries = (tries or 0) + 1 error('boom')"))) {
      assertThat(
              cu.compute(
                  "local co = coroutine.create(function() return require('bad') end)"
                      + " local ok, e = coroutine.resume(co) return e"))
          .asString()
          .contains("boom");
      assertThatThrownBy(() -> cu.compute("require('bad')"))
          .hasMessageContaining("boom")
          .hasMessageNotContaining("cycle");
      assertThat(cu.compute("return tries")).isEqualTo(2L);
    }
  }

  @Test
  void aCycleThroughACoroutineIsStillACycle() {
    try (ComputeUnit cu =
        unit(
            Map.of(
                "a",
                "return coroutine.wrap(function() return require('b') end)()",
                "b",
                "return require('a')"))) {
      assertThatThrownBy(() -> cu.compute("require('a')"))
          .hasMessageContaining("module 'a' is required while it is being loaded");
    }
  }
}
