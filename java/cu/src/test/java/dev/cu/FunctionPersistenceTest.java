package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.store.CuStoreException;
import dev.cu.store.Delta;
import dev.cu.store.InMemoryTableStore;
import dev.cu.store.TableStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Lua functions stored in {@code _home} survive a restart: the conformance cases H5, H6,
 * H11 and H18-H21, and what function persistence promises beyond them (identity, recursion, host
 * functions by name, refusals, atomicity, reclaiming). "Restart" here is a new unit on the same
 * {@link InMemoryTableStore}, in the same JVM; the native side of the same cases, with a store
 * written in C, is {@code native/test/test_persist.c}.
 */
class FunctionPersistenceTest {

  private final InMemoryTableStore store = new InMemoryTableStore();

  @AfterEach
  void closeStore() {
    store.close();
  }

  /** A unit on the shared store, with the host function {@code twice}. */
  private ComputeUnit unit() {
    return ComputeUnit.builder()
        .tableStore(store)
        .function("twice", args -> 2 * (Long) args.get(0))
        .build();
  }

  /** Runs each chunk in turn in a new unit on the shared store; returns the last result. */
  private Object inNewUnit(String... chunks) {
    try (ComputeUnit cu = unit()) {
      Object last = null;
      for (String code : chunks) {
        last = cu.compute(code);
      }
      return last;
    }
  }

  private int tableCount() {
    try (ComputeUnit cu = unit()) {
      return cu.getTableInfo().tableCount();
    }
  }

  @Test
  @DisplayName("H5: a function without upvalues survives a restart")
  void h5_functionWithoutUpvalues() {
    inNewUnit("_home.multiply = function(x,y) return x*y end");
    assertThat(inNewUnit("return _home.multiply(6,7)")).isEqualTo(42L);
    assertThat(inNewUnit("return type(_home.multiply)")).isEqualTo("function");
  }

  @Test
  @DisplayName("a function using globals (its _ENV upvalue) finds them after a restart")
  void functionUsingGlobals() {
    inNewUnit("_home.up = function(s) return string.upper(s) .. tostring(#s) end");
    assertThat(inNewUnit("return _home.up('abc')")).isEqualTo("ABC3");
  }

  @Test
  @DisplayName("the sandbox's replacements of library functions load back as themselves")
  void sandboxReplacementsAreThemselvesAfterARestart() {
    String names =
        "{load = load, pairs = pairs, setmetatable = setmetatable, rawget = rawget,"
            + " rawset = rawset, rawlen = rawlen, collectgarbage = collectgarbage,"
            + " close = coroutine.close, random = math.random}";
    inNewUnit(
        "_home.fns = " + names,
        "local close, pairs = coroutine.close, pairs\n"
            + "_home.use = function(t) local n = 0 for _ in pairs(t) do n = n + 1 end\n"
            + "  local co = coroutine.create(function() end) return n, close(co) end");
    assertThat(
            inNewUnit(
                "local now = "
                    + names
                    + "\n"
                    + "for k, f in pairs(now) do if _home.fns[k] ~= f then return k end end\n"
                    + "return 'same'"))
        .isEqualTo("same");
    try (ComputeUnit cu = unit()) {
      assertThat(cu.execute("return _home.use({1, 2, x = 3})").values()).containsExactly(3L, true);
    }
  }

  @Test
  @DisplayName("H6: nested tables survive a restart")
  void h6_nestedTables() {
    inNewUnit("_home.user = {name=\"Alice\", age=30, address={city=\"New York\"}}");
    assertThat(inNewUnit("return _home.user.address.city")).isEqualTo("New York");
    assertThat(inNewUnit("return _home.user"))
        .isEqualTo(Map.of("name", "Alice", "age", 30L, "address", Map.of("city", "New York")));
  }

  @Test
  @DisplayName("H11: a table that contains itself survives a restart")
  void h11_cycles() {
    inNewUnit("local t={name=\"loop\"}; t.self=t; _home.c=t");
    assertThat(inNewUnit("return _home.c.self.self.name")).isEqualTo("loop");
    assertThat(inNewUnit("return rawequal(_home.c, _home.c.self)")).isEqualTo(true);
  }

  @Test
  @DisplayName("H18: a closure keeps its upvalue across restarts")
  void h18_closureCounter() {
    try (ComputeUnit cu = unit()) {
      cu.compute("local count = 0; function _home.counter() count = count + 1; return count end");
      assertThat(cu.compute("return _home.counter()")).isEqualTo(1L);
      assertThat(cu.compute("return _home.counter()")).isEqualTo(2L);
    }
    assertThat(inNewUnit("return _home.counter()")).isEqualTo(3L);
    assertThat(inNewUnit("return _home.counter()")).isEqualTo(4L);
  }

  @Test
  @DisplayName("H19: two closures sharing an upvalue still share it after a restart")
  void h19_sharedUpvalue() {
    inNewUnit(
        "local n = 0; _home.inc = function() n = n + 1 return n end; "
            + "_home.get = function() return n end; _home.inc(); _home.inc()");
    assertThat(inNewUnit("_home.inc(); return _home.get()")).isEqualTo(3L);
    // loaded the other way round: get first, then inc
    assertThat(inNewUnit("local g = _home.get(); _home.inc(); return g * 10 + _home.get()"))
        .isEqualTo(34L);
    assertThat(inNewUnit("_home.inc()", "_home.inc()", "return _home.get()")).isEqualTo(6L);
  }

  @Test
  @DisplayName("H20: a function inside a nested table survives a restart")
  void h20_functionInNestedTable() {
    inNewUnit("_home.obj = {f = function(x) return x*2 end}");
    assertThat(inNewUnit("return _home.obj.f(21)")).isEqualTo(42L);
  }

  @Test
  @DisplayName("H21: standard C functions persist by name")
  void h21_standardFunctionsByName() {
    inNewUnit("_home.p = string.format; _home.m = math.max");
    assertThat(inNewUnit("return _home.p(\"%d\", _home.m(3, 9))")).isEqualTo("9");
    assertThat(inNewUnit("return rawequal(_home.p, string.format)")).isEqualTo(true);
  }

  @Test
  @DisplayName("a host function stored in _home is found by name in the next unit")
  void hostFunctionByName() {
    inNewUnit("_home.h = twice");
    assertThat(inNewUnit("return _home.h(21)")).isEqualTo(42L);
    assertThat(inNewUnit("return rawequal(_home.h, twice)")).isEqualTo(true);
  }

  @Test
  @DisplayName("a unit without a stored host function still reads the rest of _home")
  void missingHostFunctionSparesTheRestOfHome() {
    inNewUnit("_home.h = twice; _home.x = 7");
    try (ComputeUnit cu = ComputeUnit.builder().tableStore(store).build()) {
      // the missing function is a placeholder: the table stays readable and repairable
      assertThatThrownBy(() -> cu.compute("return _home.h(21)"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("twice")
          .hasMessageContaining("not available");
      assertThat(cu.compute("return _home.x")).isEqualTo(7L);
      cu.compute("_home.h = nil");
      assertThat(cu.compute("return _home.h")).isNull();
    }
  }

  @Test
  @DisplayName("identity: one function stored under two keys is one function after a restart")
  void identity() {
    try (ComputeUnit cu = unit()) {
      cu.compute("local f = function() return 1 end; _home.a = f; _home.b = f");
      assertThat(cu.compute("return _home.a == _home.a and rawequal(_home.a, _home.b)"))
          .isEqualTo(true);
    }
    assertThat(inNewUnit("return _home.a == _home.a")).isEqualTo(true);
    assertThat(inNewUnit("return rawequal(_home.a, _home.b)")).isEqualTo(true);
    assertThat(inNewUnit("return _home.b()")).isEqualTo(1L);
  }

  @Test
  @DisplayName("a recursive local function calls itself after a restart")
  void recursiveLocalFunction() {
    inNewUnit(
        "local function fact(n) if n <= 1 then return 1 end return n * fact(n-1) end "
            + "_home.fact = fact");
    assertThat(inNewUnit("return _home.fact(10)")).isEqualTo(3628800L);
    assertThat(inNewUnit("return _home.fact(20)")).isEqualTo(2432902008176640000L);
  }

  @Test
  @DisplayName("a plain-table upvalue becomes an external table: its changes persist")
  void tableUpvalue() {
    inNewUnit("local st = {n = 0}; _home.bump = function() st.n = st.n + 1; return st.n end");
    assertThat(inNewUnit("return _home.bump()")).isEqualTo(1L);
    assertThat(inNewUnit("return _home.bump()")).isEqualTo(2L);
  }

  @Test
  @DisplayName("a table stored directly and as an upvalue in one assignment stays one table")
  void tableSharedWithUpvalueStaysOneTable() {
    assertThat(
            inNewUnit(
                "local o = {v = 1}; function o.me() return o end; _home.o = o; "
                    + "return rawequal(_home.o.me(), _home.o)"))
        .isEqualTo(true);
    assertThat(inNewUnit("_home.o.v = 2; return _home.o.me().v")).isEqualTo(2L);
  }

  @Test
  @DisplayName("a C function that is not a standard or host function is refused")
  void nonPermanentCFunctionIsRefused() {
    try (ComputeUnit cu = unit()) {
      cu.compute("_home.x = 1");
      assertThatThrownBy(() -> cu.compute("_home.w = coroutine.wrap(function() end)"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("C function");
      assertThatThrownBy(
              () ->
                  cu.compute(
                      "local w = coroutine.wrap(function() end); _home.g = function() return w end"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("C function");
      assertThat(cu.compute("return _home.x")).isEqualTo(1L);
      assertThat(cu.compute("return _home.w == nil and _home.g == nil")).isEqualTo(true);
    }
    assertThat(inNewUnit("return _home.w == nil and _home.g == nil and _home.x")).isEqualTo(1L);
  }

  @Test
  @DisplayName("a failed compute that stored a function stores nothing")
  void failedComputeStoresNoFunction() {
    int before = tableCount();
    try (ComputeUnit cu = unit()) {
      assertThatThrownBy(
              () ->
                  cu.compute(
                      "local c = 0; _home.z = function() c = c + 1 end; "
                          + "_home.obj = {f = function() end}; error('no')"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("no");
      assertThat(cu.compute("return _home.z == nil and _home.obj == nil")).isEqualTo(true);
    }
    assertThat(tableCount()).isEqualTo(before);
    assertThat(inNewUnit("return _home.z == nil and next(_home) == nil")).isEqualTo(true);
  }

  @Test
  @DisplayName("a failed compute does not change a stored closure's upvalue (H25)")
  void failedComputeKeepsUpvalue() {
    inNewUnit("local c = 0; _home.k = function() c = c + 1 return c end");
    try (ComputeUnit cu = unit()) {
      assertThatThrownBy(() -> cu.compute("_home.k(); _home.k(); error('x')"))
          .isInstanceOf(LuaRuntimeException.class);
      assertThat(cu.compute("return _home.k()")).isEqualTo(1L);
    }
    assertThat(inNewUnit("return _home.k()")).isEqualTo(2L);
  }

  @Test
  @DisplayName("calling a closure many times rewrites its box: the table count stays")
  void closureCallsDoNotGrowTheStore() {
    try (ComputeUnit cu = unit()) {
      cu.compute("local count = 0; function _home.counter() count = count + 1; return count end");
      cu.compute("_home.counter()");
      int count = cu.getTableInfo().tableCount();
      for (int i = 0; i < 50; i++) {
        cu.compute("_home.counter()");
      }
      assertThat(cu.getTableInfo().tableCount()).isEqualTo(count);
      assertThat(cu.compute("return _home.counter()")).isEqualTo(52L);
    }
    assertThat(inNewUnit("return _home.counter()")).isEqualTo(53L);
    assertThat(inNewUnit("for i = 1, 20 do _home.counter() end return _home.counter()"))
        .isEqualTo(74L);
  }

  @Test
  @DisplayName("functions removed from _home are reclaimed with their boxes")
  void removedFunctionsAreReclaimed() {
    int before = tableCount();
    inNewUnit(
        "local n = 0; _home.inc = function() n = n + 1 return n end; "
            + "_home.get = function() return n end",
        "local st = {n = 0}; _home.obj = {f = function() st.n = st.n + 1 end}");
    // inc, get, the box of n; obj, f, the box of st, st
    assertThat(tableCount()).isEqualTo(before + 7);
    inNewUnit("_home.inc()", "_home.obj.f()");
    assertThat(tableCount()).isEqualTo(before + 7);
    inNewUnit("_home.inc = nil");
    assertThat(tableCount()).isEqualTo(before + 6);
    inNewUnit("_home.get = nil; _home.obj = nil");
    assertThat(tableCount()).isEqualTo(before);
    try (ComputeUnit cu = unit()) {
      assertThat(cu.getTableInfo().tableIds())
          .containsExactlyInAnyOrder(cu.getTableInfo().homeTableId(), cu.getIoTableId());
      assertThat(cu.compute("return next(_home)")).isNull();
    }
  }

  @Test
  @DisplayName("a function returned as a result is a handle, also after a restart")
  void storedFunctionAsResult() {
    inNewUnit("_home.f = function() end");
    assertThat(inNewUnit("return _home.f")).isInstanceOf(LuaFunction.class);
    assertThat(inNewUnit("return {_home.f ~= nil}")).isEqualTo(List.of(true));
  }

  /** Delegates to the shared store; the {@code failAt}-th load from now throws. */
  private final class FailingLoads implements TableStore {
    int failAt;

    @Override
    public long root(String name) {
      return store.root(name);
    }

    @Override
    public long nextId() {
      return store.nextId();
    }

    @Override
    public byte[] load(long id) {
      if (failAt > 0 && --failAt == 0) {
        throw new CuStoreException("disk on fire");
      }
      return store.load(id);
    }

    @Override
    public long[] commit(Delta delta, long nextId) {
      return store.commit(delta, nextId);
    }

    @Override
    public Set<Long> tableIds() {
      return store.tableIds();
    }

    @Override
    public void close() {}
  }

  @Test
  @DisplayName("a stored function that fails to load partway leaves the unit working")
  void aFailedFunctionLoadLeavesTheUnitWorking() {
    inNewUnit(
        "local n = 0 local function count() n = n + 1 return n end "
            + "local f = count for i = 1, 5 do local g = f f = function() return g() end end "
            + "_home.counter = f");
    long n = 0;
    int failures = 0;
    for (int k = 2; k <= 16; k++) { // fail each load of the chain in turn
      FailingLoads flaky = new FailingLoads();
      try (ComputeUnit cu = ComputeUnit.builder().tableStore(flaky).build()) {
        flaky.failAt = k;
        try {
          cu.compute("return _home.counter()");
          n++; // the chain needs fewer loads than k
        } catch (LuaRuntimeException e) {
          assertThat(e).hasMessageContaining("disk on fire");
          failures++;
        }
        flaky.failAt = 0;
        assertThat(cu.compute("_home.x = 1 return 2")).isEqualTo(2L);
        assertThat(cu.compute("return _home.counter()")).isEqualTo(++n);
        assertThat(cu.compute("return 1")).isEqualTo(1L);
      }
      assertThat(inNewUnit("return _home.counter()")).isEqualTo(++n);
    }
    assertThat(failures).isGreaterThan(5);
  }

  @Test
  @DisplayName("a stored function that runs out of memory while loading leaves the unit working")
  void aFunctionLoadThatRunsOutOfMemoryLeavesTheUnitWorking() {
    inNewUnit(
        "local s = ('x'):rep(3000000) local f = function() return #s end "
            + "for i = 1, 5 do local g = f f = function() return g() end end _home.t = {f = f}");
    try (ComputeUnit cu = ComputeUnit.builder().tableStore(store).memoryLimit(2_000_000).build()) {
      assertThatThrownBy(() -> cu.compute("return _home.t.f()"))
          .isInstanceOf(LuaMemoryException.class);
      assertThat(cu.compute("_home.x = 3 return 3")).isEqualTo(3L);
      assertThat(cu.compute("return 4")).isEqualTo(4L);
    }
    assertThat(inNewUnit("return _home.t.f()")).isEqualTo(3000000L);
  }
}
