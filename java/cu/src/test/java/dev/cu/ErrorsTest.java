package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What errors carry, and that a unit survives them (docs/ERRORS.md). */
class ErrorsTest {

  @Test
  void tenThousandErrorsInARowLeaveTheUnitWorkingAndDoNotLeak() {
    String runtime = "local t = nil return t.field";
    String table = "n = (n or 0) + 1 error({code = n, list = {1, 2, 3}})";
    try (ComputeUnit cu = ComputeUnit.create()) {
      // warm-up: compiles and caches the two failing chunks, grows the buffers once
      catchThrowable(() -> cu.compute(runtime));
      catchThrowable(() -> cu.compute(table));
      catchThrowable(() -> cu.compute("return 1 +"));
      cu.compute("n = 0");
      cu.runGc();
      long before = cu.getMemoryStats().used();
      long tables = 0;
      for (int i = 0; i < 10_000; i++) {
        switch (i % 3) {
          case 0 ->
              assertThatThrownBy(() -> cu.compute(runtime))
                  .isInstanceOf(LuaRuntimeException.class)
                  .hasMessageContaining("attempt to index");
          case 1 -> {
            // distinct text each time: a failed compile is not cached
            String bad = "return " + i + " +";
            assertThatThrownBy(() -> cu.compute(bad)).isInstanceOf(LuaSyntaxException.class);
          }
          default -> {
            tables++;
            Throwable t = catchThrowable(() -> cu.compute(table));
            assertThat(t).isInstanceOf(LuaRuntimeException.class);
            assertThat(((LuaRuntimeException) t).value())
                .isEqualTo(Map.of("code", tables, "list", List.of(1L, 2L, 3L)));
          }
        }
      }
      assertThat(cu.compute("return n")).isEqualTo(tables);
      assertThat(cu.compute("return 6 * 7")).isEqualTo(42L);
      cu.runGc();
      long after = cu.getMemoryStats().used();
      assertThat(after).isLessThanOrEqualTo(before + 256 * 1024);
    }
  }

  @Test
  void runtimeErrorCarriesATraceback() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      Throwable t =
          catchThrowable(
              () ->
                  cu.compute(
                      "local function inner() error('deep') end\n"
                          + "local function outer() inner() end\n"
                          + "outer()"));
      assertThat(t)
          .isInstanceOfSatisfying(
              LuaRuntimeException.class,
              e -> {
                assertThat(e.getMessage()).isEqualTo("compute:1: deep");
                assertThat(e.value()).isEqualTo("compute:1: deep");
                assertThat(e.traceback()).contains("stack traceback").contains("inner");
              });
    }
  }

  @Test
  void namedChunkAppearsInTheMessage() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.execute("job", "\n\nerror('boom')"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessage("job:3: boom");
      assertThatThrownBy(() -> cu.execute("job", "return +"))
          .isInstanceOfSatisfying(
              LuaSyntaxException.class,
              e -> {
                assertThat(e.getMessage()).startsWith("job:1:");
                assertThat(e.isIncomplete()).isFalse();
              });
      assertThatThrownBy(() -> cu.compute("x = 1\ny = = 2"))
          .isInstanceOfSatisfying(LuaSyntaxException.class, e -> assertThat(e.line()).isEqualTo(2));
      assertThatThrownBy(() -> cu.compute("if true then"))
          .isInstanceOfSatisfying(
              LuaSyntaxException.class, e -> assertThat(e.isIncomplete()).isTrue());
    }
  }

  @Test
  void errorObjectWithTostringGivesThatMessage() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(
              () ->
                  cu.compute(
                      "error(setmetatable({}, {__tostring = function() return 'custom message' end}))"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessage("custom message");
    }
  }

  @Test
  void errorObjectsWithoutAStringMessage() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute("error({})"))
          .hasMessage("(error object is a table value)");
      assertThatThrownBy(() -> cu.compute("error()"))
          .isInstanceOfSatisfying(
              LuaRuntimeException.class,
              e -> {
                assertThat(e.getMessage()).isEqualTo("(error object is a nil value)");
                assertThat(e.value()).isNull();
              });
      assertThatThrownBy(() -> cu.compute("error(12)"))
          .isInstanceOfSatisfying(
              LuaRuntimeException.class, e -> assertThat(e.value()).isEqualTo(12L));
      assertThatThrownBy(() -> cu.compute("error('plain', 0)")).hasMessage("plain");
      // an error value that cannot be converted: message kept, value null
      assertThatThrownBy(() -> cu.compute("local t = {} t.t = t error(t)"))
          .isInstanceOfSatisfying(
              LuaRuntimeException.class,
              e -> {
                assertThat(e.getMessage()).isEqualTo("(error object is a table value)");
                assertThat(e.value()).isNull();
              });
    }
  }

  @Test
  void cyclicResultIsRefusedAndTheUnitKeepsWorking() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute("local t = {} t.self = t return t"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("cycle");
      assertThatThrownBy(() -> cu.compute("local a, b = {}, {} a[1] = b b[1] = a return a"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("cycle");
      assertThat(cu.compute("return 1")).isEqualTo(1L);
    }
  }

  @Test
  void tooDeeplyNestedResultIsRefused() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute("local t = {} for i = 1, 300 do t = {t} end return t"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("nested too deeply");
      Object ok = cu.compute("local t = {} for i = 1, 100 do t = {t} end return t");
      int depth = 0;
      while (ok instanceof List<?> l) {
        ok = l.get(0);
        depth++;
      }
      assertThat(depth).isEqualTo(100);
      assertThat(ok).isEqualTo(Map.of());
    }
  }

  @Test
  void sharedTableBecomesTheSameJavaObject() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      Object r = cu.compute("local s = {k = 1} return {s, s, {inner = s}}");
      assertThat(r).isInstanceOf(List.class);
      List<?> list = (List<?>) r;
      assertThat(list.get(0)).isEqualTo(Map.of("k", 1L)).isSameAs(list.get(1));
      assertThat(((Map<?, ?>) list.get(2)).get("inner")).isSameAs(list.get(0));
      // across several returned values too
      ComputeResult all = cu.execute("local s = {1} return s, s");
      assertThat(all.values().get(0)).isSameAs(all.values().get(1));
    }
  }

  /**
   * Twenty-nine tables, each holding the previous one twice, encode in linear size thanks to value
   * sharing; used as a table key the structure must still convert promptly.
   */
  @Test
  void sharedTablesUsedAsAKeyConvertQuickly() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      Object r =
          assertTimeout(
              Duration.ofSeconds(1),
              () -> cu.compute("local t = {} for i = 1, 29 do t = {t, t} end return {[t] = true}"));
      // a table key converts to an opaque identity, never hashed by value
      assertThat(r)
          .isInstanceOfSatisfying(
              Map.class,
              m -> {
                assertThat(m).hasSize(1);
                assertThat(m.keySet().iterator().next())
                    .isInstanceOfSatisfying(
                        LuaOpaque.class, k -> assertThat(k.type()).isEqualTo("table"));
              });
      assertThat(cu.compute("return 1")).isEqualTo(1L);
    }
  }

  @Test
  void functionsComeBackAsHandlesThreadsOpaque() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return function() end"))
          .isInstanceOfSatisfying(
              LuaFunction.class, f -> assertThat(f.toString()).startsWith("function: "));
      assertThat(cu.compute("return print")).isInstanceOf(LuaFunction.class);
      assertThat(cu.compute("return coroutine.create(print)"))
          .isInstanceOfSatisfying(LuaOpaque.class, o -> assertThat(o.type()).isEqualTo("thread"));
      assertThat(cu.compute("return {f = math.max}"))
          .isInstanceOfSatisfying(
              Map.class, m -> assertThat(m.get("f")).isInstanceOf(LuaFunction.class));
      // an error value hands nothing over: its functions stay opaque
      assertThatThrownBy(() -> cu.compute("error({f = print})"))
          .isInstanceOfSatisfying(
              LuaRuntimeException.class,
              e -> assertThat(((Map<?, ?>) e.value()).get("f")).isInstanceOf(LuaOpaque.class));
    }
  }

  @Test
  void throwingOutputConsumerSurfacesAsTheCause() {
    RuntimeException boom = new IllegalArgumentException("consumer failed");
    List<String> lines = new ArrayList<>();
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .output(
                line -> {
                  if (line.equals("fail")) {
                    throw boom;
                  }
                  lines.add(line);
                })
            .build()) {
      assertThatThrownBy(() -> cu.compute("print('before') print('fail') print('after')"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasCauseReference(boom);
      assertThat(lines).containsExactly("before");
      assertThat(cu.compute("print('again') return 5")).isEqualTo(5L);
      assertThat(lines).containsExactly("before", "again");
      // a script may catch the failure like any error
      assertThat(cu.compute("local ok = pcall(print, 'fail') return ok")).isEqualTo(false);
    }
  }

  @Test
  void outputConsumerGetsLinesWithoutNewlineInOrder() {
    List<String> lines = new CopyOnWriteArrayList<>();
    try (ComputeUnit cu = ComputeUnit.builder().output(lines::add).build()) {
      ComputeResult r =
          cu.execute(
              "print('a') print('b', 1, nil) print() print('é') for i = 1, 3 do print(i) end");
      assertThat(lines).containsExactly("a", "b\t1\tnil", "", "é", "1", "2", "3");
      assertThat(r.output()).isEmpty();
    }
  }

  @Test
  void outputIsEmptyWhenStreamedEvenAfterAPrintThatFailedHalfway() {
    List<String> lines = new ArrayList<>();
    try (ComputeUnit cu = ComputeUnit.builder().output(lines::add).build()) {
      ComputeResult r =
          cu.execute(
              "pcall(print, 'a', setmetatable({}, {__tostring = function() error('x') end})) "
                  + "print('b')");
      // Lua's own print would have written "a" before failing, then "b\n"
      assertThat(r.output()).isEmpty();
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0)).endsWith("b");
    }
  }

  @Test
  void failingHandlersAndTostringDoNotBreakTheUnit() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      // an error inside an xpcall handler: xpcall returns false plus one value
      assertThat(cu.compute("return select('#', xpcall(error, function() error('again') end))"))
          .isEqualTo(2L);
      assertThatThrownBy(
              () ->
                  cu.compute("error(setmetatable({}, {__tostring = function() error('no') end}))"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessage("(error object is a table value)");
      assertThat(cu.compute("return 'fine'")).isEqualTo("fine");
    }
  }
}
