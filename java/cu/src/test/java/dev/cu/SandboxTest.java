package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a script can and cannot reach (docs/SANDBOX.md, native/src/cu_sandbox.c). */
class SandboxTest {

  @ParameterizedTest(name = "{0} is absent")
  @ValueSource(
      strings = {
        "io",
        "package",
        "debug",
        "dofile",
        "loadfile",
        "string.dump",
        "os.exit",
        "os.getenv",
        "os.execute",
        "os.remove",
        "os.rename",
        "os.tmpname",
        "os.setlocale",
        // the same tables reached by other paths
        "getmetatable('').__index.dump",
        "_G.io",
        "_ENV.debug"
      })
  void removedFunctionsAreAbsent(String expression) {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return type(" + expression + ")")).isEqualTo("nil");
    }
  }

  @ParameterizedTest(name = "{0} is a function")
  @ValueSource(
      strings = {
        "os.time",
        "os.clock",
        "os.date",
        "os.difftime",
        "print",
        "load",
        "pcall",
        "xpcall",
        "error",
        "setmetatable",
        "getmetatable",
        "collectgarbage",
        "tostring",
        "tonumber",
        "pairs",
        "ipairs",
        "select",
        "next",
        "rawget",
        "rawset",
        "assert",
        "string.format",
        "string.rep",
        "table.insert",
        "table.concat",
        "math.floor",
        "utf8.char",
        "coroutine.wrap"
      })
  void keptFunctionsArePresent(String expression) {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return type(" + expression + ")")).isEqualTo("function");
    }
  }

  @ParameterizedTest(name = "library {0} is a table")
  @ValueSource(strings = {"string", "table", "math", "utf8", "coroutine", "os"})
  void keptLibrariesArePresent(String library) {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return type(" + library + ")")).isEqualTo("table");
    }
  }

  @Test
  void keptOsFunctionsWork() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return os.time()")).isInstanceOf(Long.class);
      assertThat(cu.compute("return os.time({year = 2020, month = 1, day = 1, hour = 12})"))
          .isInstanceOf(Long.class);
      assertThat(cu.compute("return os.clock()")).isInstanceOf(Double.class);
      assertThat(cu.compute("return os.date('!%Y-%m-%d', 0)")).isEqualTo("1970-01-01");
      assertThat(cu.compute("return os.difftime(10, 4)")).isEqualTo(6.0);
    }
  }

  @Test
  void osHasOnlyTheKeptFunctions() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      Object keys =
          cu.compute("local t = {} for k in pairs(os) do t[#t + 1] = k end table.sort(t) return t");
      assertThat(keys).isEqualTo(List.of("clock", "date", "difftime", "time"));
    }
  }

  @Test
  void loadRefusesABinaryChunk() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      Object msg =
          cu.compute("local f, msg = load(string.char(27) .. 'Lua') assert(f == nil) return msg");
      assertThat(msg).asString().contains("binary");
    }
  }

  @Test
  void loadRefusesABinaryChunkEvenWhenModeBIsAsked() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      Object msg =
          cu.compute(
              "local f, msg = load(string.char(27) .. 'Lua', 'x', 'b') assert(f == nil) return msg");
      assertThat(msg).asString().contains("binary");
      Object viaReader =
          cu.compute(
              "local parts = {string.char(27), 'Lua'} local i = 0 "
                  + "local f, msg = load(function() i = i + 1 return parts[i] end, 'x', 'bt') "
                  + "assert(f == nil) return msg");
      assertThat(viaReader).asString().contains("binary");
    }
  }

  @Test
  void aTopLevelBinaryChunkIsASyntaxError() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute("\u001bLua"))
          .isInstanceOf(LuaSyntaxException.class)
          .hasMessageContaining("binary");
      assertThat(cu.compute("return 1")).isEqualTo(1L);
    }
  }

  @Test
  void loadOfTextWorks() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return load('return 1 + 1')()")).isEqualTo(2L);
      assertThat(cu.compute("return load('return ...', 'chunk', 't')(5, 6)")).isEqualTo(6L);
      assertThat(cu.compute("local f, msg = load('return +') return msg"))
          .asString()
          .contains("unexpected symbol");
    }
  }

  @Test
  void loadWithAnEnvTableUsesThatTable() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("local env = {y = 5} return load('return y', 'c', 't', env)()"))
          .isEqualTo(5L);
      ComputeResult r =
          cu.execute(
              "local env = {} load('z = 1', 'c', 't', env)() return rawequal(z, nil), env.z");
      assertThat(r.values()).containsExactly(true, 1L);
      // an env table without print: the global print is not reachable from the loaded chunk
      assertThat(cu.compute("return pcall(load('print(1)', 'c', 't', {}))"))
          .asString()
          .contains("print");
    }
  }

  @ParameterizedTest(name = "collectgarbage({0}) is allowed")
  @ValueSource(strings = {"'count'", "'collect'", "'step'", ""})
  void allowedCollectGarbageOptionsWork(String option) {
    try (ComputeUnit cu = ComputeUnit.create()) {
      ComputeResult r = cu.execute("return collectgarbage(" + option + ")");
      assertThat(r.values()).hasSize(1);
    }
  }

  @Test
  void collectGarbageResults() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      Object kb = cu.compute("return collectgarbage('count')");
      assertThat(kb).isInstanceOf(Double.class);
      assertThat((Double) kb).isPositive();
      assertThat(cu.compute("return collectgarbage('collect')")).isEqualTo(0L);
      assertThat(cu.compute("return collectgarbage('step')")).isInstanceOf(Boolean.class);
    }
  }

  @ParameterizedTest(name = "collectgarbage(\"{0}\") raises")
  @ValueSource(
      strings = {
        "stop",
        "restart",
        "generational",
        "incremental",
        "setpause",
        "setstepmul",
        "isrunning"
      })
  void otherCollectGarbageOptionsRaise(String option) {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute("collectgarbage('" + option + "')"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("not allowed");
      // the collector still runs normally afterwards
      assertThat(cu.compute("return collectgarbage('collect')")).isEqualTo(0L);
    }
  }

  @Test
  void setmetatableOnAStringRaisesLuasMessageAtTheCallersLine() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute("local x = 1\nsetmetatable('', {})"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessage("compute:2: bad argument #1 to 'setmetatable' (table expected, got string)");
    }
  }

  @Test
  void setmetatableOnHomeRaisesAtTheCallersLine() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute("local x = 1\nsetmetatable(_home, {})"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessage("compute:2: cannot change a protected metatable");
    }
  }

  @Test
  void anXpcallHandlerRunsDirectlyAboveTheFunctionThatFailed() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      // level 3 from error inside the handler: the failing function, as in Lua
      assertThat(
              cu.compute(
                  "return select(2, xpcall(function()\nlocal x = nil return x.y end, "
                      + "function(m) return select(2, pcall(error, 'where', 3)) end))"))
          .isEqualTo("compute:2: where");
    }
  }

  @Test
  void setmetatableRefusesGc() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute("setmetatable({}, {__gc = function() end})"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("__gc");
      assertThatThrownBy(() -> cu.compute("setmetatable({}, {__gc = true})"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("__gc");
      // a script can catch the refusal; nothing was set
      assertThat(
              cu.compute(
                  "local t = {} local ok = pcall(setmetatable, t, {__gc = print}) "
                      + "return (not ok) and getmetatable(t) == nil"))
          .isEqualTo(true);
    }
  }

  @Test
  void setmetatableWithoutGcWorks() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(
              cu.compute(
                  "return setmetatable({}, {__index = function(t, k) return k .. '!' end}).hi"))
          .isEqualTo("hi!");
      // __gc added to the metatable later does not make the object finalizable in Lua 5.4
      assertThat(
              cu.compute(
                  "local mt = {} local t = setmetatable({}, mt) mt.__gc = function() end "
                      + "t = nil collectgarbage() return 1"))
          .isEqualTo(1L);
    }
  }

  @Test
  void replacedFunctionsStayYieldable() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      ComputeResult r =
          cu.execute(
              "local co = coroutine.wrap(function() "
                  + "  return xpcall(function() local v = coroutine.yield(1) return v * 2 end, print) "
                  + "end) "
                  + "local a = co() local ok, b = co(21) return a, ok, b");
      assertThat(r.values()).containsExactly(1L, true, 42L);
    }
  }

  @Test
  void xpcallStillCallsTheHandlerForOrdinaryErrors() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      ComputeResult r =
          cu.execute(
              "return xpcall(function() error('bad', 0) end, function(m) return 'handled ' .. m end)");
      assertThat(r.values()).containsExactly(false, "handled bad");
    }
  }

  private static final String TEN_RANDOMS =
      "local t = {} for i = 1, 10 do t[i] = math.random(1, 1000000000) end return t";

  @Test
  void randomSeedGivesTheSameSequence() {
    try (ComputeUnit a = ComputeUnit.builder().randomSeed(7).build();
        ComputeUnit b = ComputeUnit.builder().randomSeed(7).build();
        ComputeUnit c = ComputeUnit.builder().randomSeed(8).build()) {
      Object seqA = a.compute(TEN_RANDOMS);
      assertThat(seqA).asInstanceOf(InstanceOfAssertFactories.LIST).hasSize(10);
      assertThat(b.compute(TEN_RANDOMS)).isEqualTo(seqA);
      assertThat(c.compute(TEN_RANDOMS)).isNotEqualTo(seqA);
    }
  }

  @Test
  void defaultUnitsGetDifferentSeeds() {
    try (ComputeUnit a = ComputeUnit.create();
        ComputeUnit b = ComputeUnit.create()) {
      // ten draws out of 1e9 each: equal sequences would mean equal seeds
      assertThat(a.compute(TEN_RANDOMS)).isNotEqualTo(b.compute(TEN_RANDOMS));
    }
  }

  @Test
  void unitsDoNotShareGlobals() {
    try (ComputeUnit a = ComputeUnit.create();
        ComputeUnit b = ComputeUnit.create()) {
      a.compute("shared = 1 string.custom = 2");
      assertThat(b.compute("return shared")).isNull();
      assertThat(b.compute("return string.custom")).isNull();
      assertThat(a.compute("return string.custom")).isEqualTo(2L);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "setmetatable(1, {})|bad argument #1 to 'setmetatable' (table expected, got number)",
        "rawget('x', 1)|bad argument #1 to 'rawget' (table expected, got string)",
        "rawlen(nil)|bad argument #1 to 'rawlen' (table or string expected, got nil)",
        "rawset({}, nil, 1)|table index is nil", // raised by the table, as in Lua: no position
        "next({}, 1)|invalid key to 'next'",
        "load(nil)|bad argument #1 to 'load' (function expected, got nil)",
        "collectgarbage('nope')|bad argument #1 to 'collectgarbage' (invalid option 'nope')",
        "xpcall(print)|bad argument #2 to 'xpcall' (function expected, got no value)",
        "coroutine.wrap(1)|bad argument #1 to 'wrap' (function expected, got number)",
        "coroutine.resume(1)|bad argument #1 to 'resume' (thread expected, got number)"
      })
  void argumentErrorOfAReplacedFunctionNamesItAndTheCallersLine(String callAndMessage) {
    String[] parts = callAndMessage.split("\\|");
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.execute("s", "local x = 1\n" + parts[0]))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessage(parts[1].contains("bad argument") ? "s:2: " + parts[1] : parts[1]);
    }
  }

  @Test
  void pairsHandsOutTheGlobalNext() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return pairs({}) == next")).isEqualTo(true);
      assertThat(cu.compute("local s = 0 for k, v in pairs({4, 5}) do s = s + v end return s"))
          .isEqualTo(9L);
    }
  }

  @Test
  void deepButLegalXpcallAndLoadNestingDoesNotOverflow() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(
              cu.compute(
                  "local function nest(n) if n == 0 then return 'bottom' end "
                      + "local ok, v = xpcall(nest, print, n - 1) return v end return nest(150)"))
          .isEqualTo("bottom");
      assertThat(
              cu.compute(
                  "local function nest(n) if n == 0 then return 'bottom' end "
                      + "return load('return ...')(nest(n - 1)) end return nest(150)"))
          .isEqualTo("bottom");
    }
  }

  @Test
  void loadWithAModeWithoutTRefusesTextInLuasWordsAndBinaryAsAlways() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return select(2, load('return 1', 'c', 'b'))"))
          .isEqualTo("attempt to load a text chunk (mode is 'b')");
      assertThat(
              cu.compute(
                  "local n = 0 return select(2, load(function() n = n + 1 "
                      + "if n == 1 then return 'return 1' end end, 'c', 'b'))"))
          .isEqualTo("attempt to load a text chunk (mode is 'b')");
      assertThat(
              cu.compute(
                  "local n = 0 return select(2, load(function() n = n + 1 "
                      + "if n == 1 then return '\\27Lua' end end, 'c', 'b'))"))
          .isEqualTo("attempt to load a binary chunk (mode is 't')");
    }
  }

  @Test
  void setmetatableChecksItsArgumentsBeforeTheGcRefusal() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return select(2, pcall(setmetatable, 1, {__gc = print}))"))
          .isEqualTo("bad argument #1 to 'setmetatable' (table expected, got number)");
      assertThat(
              cu.compute(
                  "local t = setmetatable({}, {__metatable = 1}) "
                      + "return select(2, pcall(setmetatable, t, {__gc = print}))"))
          .isEqualTo("cannot change a protected metatable");
    }
  }

  @Test
  void printWritesTheBytesLuaGivesIt() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (ComputeUnit cu = ComputeUnit.builder().outputStream(out).build()) {
      cu.execute("print('a\\255b', '\\195\\40', 'é\\0') print()");
    }
    assertThat(out.toByteArray())
        .containsExactly('a', 0xff, 'b', '\t', 0xc3, '(', '\t', 0xc3, 0xa9, 0, '\n', '\n');
  }

  @Test
  void aFailingOutputStreamEndsTheCallWithItsCause() {
    java.io.OutputStream broken =
        new java.io.OutputStream() {
          @Override
          public void write(int b) throws java.io.IOException {
            throw new java.io.IOException("disk full");
          }
        };
    try (ComputeUnit cu = ComputeUnit.builder().outputStream(broken).build()) {
      assertThatThrownBy(() -> cu.execute("print('x')"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasRootCauseMessage("disk full");
      assertThat(cu.compute("return 1")).isEqualTo(1L);
    }
  }
}
