package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Java objects in Lua: {@link LuaExport} methods, {@link ComputeUnit.Builder#expose}. */
class ExposedObjectTest {
  static final class Counter {
    private long n;

    @LuaExport
    public long inc() {
      return ++n;
    }

    @LuaExport
    public long add(long k) {
      n += k;
      return n;
    }

    @LuaExport
    public long add(long a, long b) {
      n += a + b;
      return n;
    }

    @LuaExport
    public long get() {
      return n;
    }

    public void reset() {
      n = 0;
    }
  }

  record Point(int x, int y) {}

  record Holder(String name, Counter counter, java.util.Optional<Counter> maybe) {}

  /** A POJO bound by Jackson. */
  public static final class Box {
    public String label;
    public double weight;
  }

  static final class Kinds {
    final Counter shared = new Counter();

    @LuaExport
    public String scalars(int i, double d, boolean b, String s) {
      return i + "|" + d + "|" + b + "|" + s;
    }

    @LuaExport
    public String boxed(Long l, Integer i, Short s, Byte b, Float f, Double d, Boolean z) {
      return l + "|" + i + "|" + s + "|" + b + "|" + f + "|" + d + "|" + z;
    }

    @LuaExport
    public byte tiny(byte b) {
      return b;
    }

    @LuaExport
    public long sum(List<Long> xs) {
      return xs.stream().mapToLong(Long::longValue).sum();
    }

    @LuaExport
    public int intsSum(List<Integer> xs) {
      int s = 0;
      for (int x : xs) {
        s += x;
      }
      return s;
    }

    @LuaExport
    public int size(Map<String, Object> m) {
      return m.size();
    }

    @LuaExport
    public String point(Point p) {
      return p.x() + "," + p.y();
    }

    @LuaExport
    public String box(Box b) {
      return b.label + ":" + b.weight;
    }

    @LuaExport
    public byte[] bytes(byte[] b) {
      return b;
    }

    @LuaExport
    public Object echo(Object o) {
      return o;
    }

    @LuaExport
    public Varargs pair(long a) {
      return Varargs.of(a, a * 2, null);
    }

    @LuaExport
    public void nothing() {}

    @LuaExport
    public Counter newCounter() {
      return new Counter();
    }

    @LuaExport
    public Counter same() {
      return shared;
    }

    @LuaExport
    public long total(Counter c) {
      return c.get();
    }

    @LuaExport
    public long holderCount(Holder h) {
      return h.counter().get();
    }

    @LuaExport
    public Map<String, Object> wrap(Counter c) {
      return Map.of("c", c, "list", List.of(c, c));
    }

    @LuaExport
    public void fail() {
      throw new IllegalStateException("s3cr3t");
    }

    @LuaExport
    public void refuse() {
      throw new LuaRuntimeException("refused on purpose", null, null, null);
    }
  }

  static final class Clash {
    @LuaExport
    public long f(long a) {
      return a;
    }

    @LuaExport
    public long f(String a) {
      return 0;
    }
  }

  interface Named {
    @LuaExport
    String name();
  }

  /** Inherits Counter's exported methods and an interface's. */
  static final class NamedCounter extends Counter2 implements Named {
    @Override
    public String name() {
      return "nc";
    }
  }

  static class Counter2 {
    @LuaExport
    public long two() {
      return 2;
    }

    @LuaExport
    private long hidden() {
      return 3;
    }
  }

  /** Used by {@link #methodsAreResolvedOncePerClass} only. */
  static final class Fresh {
    @LuaExport
    public long one() {
      return 1;
    }
  }

  private static ComputeUnit unit(Kinds k) {
    return ComputeUnit.builder().expose("k", k).build();
  }

  @Test
  void scalarsBindToTheirParameterTypes() {
    try (ComputeUnit cu = unit(new Kinds())) {
      assertThat(cu.compute("return k:scalars(1, 2.5, true, 'x')")).isEqualTo("1|2.5|true|x");
      assertThat(cu.compute("return k:scalars(3.0, 2, false, 'é')")).isEqualTo("3|2.0|false|é");
      assertThat(cu.compute("return k:boxed(1, 2, 3, 4, 5, 6.5, true)"))
          .isEqualTo("1|2|3|4|5.0|6.5|true");
      assertThat(cu.compute("return k:boxed(nil, nil, nil, nil, nil, nil, nil)"))
          .isEqualTo("null|null|null|null|null|null|null");
      assertThat(cu.compute("return k:tiny(-128) + k:tiny(127)")).isEqualTo(-1L);
      assertThat(cu.compute("return k:bytes('\\255a')")).isEqualTo(new byte[] {(byte) 255, 'a'});
    }
  }

  @Test
  void tablesBindToListsMapsRecordsAndPojos() {
    try (ComputeUnit cu = unit(new Kinds())) {
      assertThat(cu.compute("return k:sum({1, 2, 3})")).isEqualTo(6L);
      assertThat(cu.compute("return k:sum({})")).isEqualTo(0L);
      assertThat(cu.compute("return k:intsSum({4, 5})")).isEqualTo(9L);
      assertThat(cu.compute("return k:size({a = 1, b = {2}})")).isEqualTo(2L);
      assertThat(cu.compute("return k:point({x = 3, y = -4})")).isEqualTo("3,-4");
      assertThat(cu.compute("return k:box({label = 'l', weight = 1.5})")).isEqualTo("l:1.5");
      assertThat(cu.compute("return k:echo({1, {a = 'b'}})"))
          .isEqualTo(List.of(1L, Map.of("a", "b")));
    }
  }

  @Test
  void overloadsAreChosenByArity() {
    try (ComputeUnit cu = ComputeUnit.builder().expose("c", new Counter()).build()) {
      assertThat(cu.compute("return c:add(2)")).isEqualTo(2L);
      assertThat(cu.compute("return c:add(3, 4)")).isEqualTo(9L);
      assertThat(cu.compute("return c:inc(), c:get()")).isEqualTo(10L);
    }
  }

  @Test
  void twoExportedOverloadsOfOneArityAreRefused() {
    assertThatThrownBy(() -> ComputeUnit.builder().expose("x", new Clash()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exports two methods 'f' with 1 parameters");
    try (ComputeUnit cu = ComputeUnit.builder().function("clash", a -> new Clash()).build()) {
      LuaRuntimeException e =
          catchThrowableOfType(() -> cu.compute("return clash()"), LuaRuntimeException.class);
      assertThat(e).hasMessageContaining("host function 'clash' failed");
      assertThat(e.getCause()).hasMessageContaining("overloads must differ");
    }
  }

  @Test
  void superclassAndInterfaceMethodsAreExported() {
    try (ComputeUnit cu = ComputeUnit.builder().expose("n", new NamedCounter()).build()) {
      assertThat(cu.execute("return n:two(), n:name(), n:hidden(), tostring(n)").values())
          .containsExactly(2L, "nc", 3L, "NamedCounter");
    }
  }

  @Test
  void anObjectWithoutExportedMethodsCannotBeExposed() {
    assertThatThrownBy(() -> ComputeUnit.builder().expose("x", new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no @LuaExport method");
    assertThatThrownBy(() -> ComputeUnit.builder().expose("not a name", new Counter()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMethodMayReturnAnExportedObject() {
    try (ComputeUnit cu = unit(new Kinds())) {
      assertThat(
              cu.compute(
                  "local c = k:newCounter() c:inc() c:inc() "
                      + "return tostring(c) .. ' ' .. c:get() .. ' ' .. k:total(c)"))
          .isEqualTo("Counter 2 2");
    }
  }

  @Test
  void oneJavaObjectIsOneLuaValue() {
    Kinds k = new Kinds();
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .expose("k", k)
            .expose("c", k.shared)
            .function("sharedCounter", a -> k.shared)
            .build()) {
      assertThat(cu.compute("return k:same() == k:same()")).isEqualTo(true);
      assertThat(cu.compute("return k:same() == c and sharedCounter() == c")).isEqualTo(true);
      assertThat(cu.compute("return k:newCounter() == k:newCounter()")).isEqualTo(false);
      assertThat(cu.compute("local t = {} t[c] = 1 return t[k:same()]")).isEqualTo(1L);
      assertThat(cu.compute("local w = k:wrap(c) return w.c == c and w.list[2] == c"))
          .isEqualTo(true);
      assertThat(cu.compute("return c")).isSameAs(k.shared);
      assertThat(cu.compute("return k:echo(c)")).isSameAs(k.shared);
    }
  }

  @Test
  void objectsCrossInInputAndHostFunctions() {
    Counter counter = new Counter();
    List<Object> received = new ArrayList<>();
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function("give", a -> counter)
            .function(
                "take",
                a -> {
                  received.addAll(a);
                  return null;
                })
            .build()) {
      cu.setInput(Map.of("c", counter, "list", List.of(counter)));
      assertThat(cu.compute("return _io.input.c:inc() + _io.input.list[1]:inc()")).isEqualTo(3L);
      assertThat(cu.compute("return _io.input.c == give()")).isEqualTo(true);
      cu.setInputField("d", counter);
      assertThat(cu.compute("return _io.input.d == _io.input.c")).isEqualTo(true);
      cu.compute("take(give(), {give()}) _io.output = {c = give()}");
      assertThat(received.get(0)).isSameAs(counter);
      assertThat(received.get(1)).isEqualTo(List.of(counter));
      assertThat(cu.getOutputField("c")).isSameAs(counter);
      assertThat(cu.call("give")).isSameAs(counter);
      assertThat(counter.get()).isEqualTo(2);
    }
  }

  @Test
  void objectsInsideRecordsCrossByReference() {
    Counter counter = new Counter();
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function("holder", a -> new Holder("h", counter, java.util.Optional.of(counter)))
            .build()) {
      cu.setInput(new Holder("in", counter, java.util.Optional.empty()));
      assertThat(cu.compute("return _io.input.name, _io.input.counter:inc(), _io.input.maybe"))
          .isNull();
      assertThat(cu.compute("local h = holder() return h.counter == h.maybe and h.maybe:inc()"))
          .isEqualTo(2L);
      assertThat(cu.compute("return holder().counter == _io.input.counter")).isEqualTo(true);
      assertThat(cu.execute("return _io.input.name, _io.input.counter").values())
          .containsExactly("in", counter);
    }
  }

  @Test
  void recordsHoldingObjectsBindBackToThem() {
    Counter counter = new Counter();
    Kinds k = new Kinds();
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .expose("c", counter)
            .expose("k", k)
            .function("typed", Holder.class, in -> in.counter() == counter)
            .build()) {
      cu.compute("_io.output = {name = 'out', counter = c, maybe = c}");
      Holder h = cu.getOutput(Holder.class);
      assertThat(h.name()).isEqualTo("out");
      assertThat(h.counter()).isSameAs(counter);
      assertThat(h.maybe()).containsSame(counter);
      assertThat(cu.compute("return k:holderCount({name = 'x', counter = c})")).isEqualTo(0L);
      cu.compute("function tot(kinds, counter) return kinds:total(counter) end");
      assertThat(cu.compute("return typed({name = 'x', counter = c})")).isEqualTo(true);
      assertThat(cu.call("tot", k, counter)).isEqualTo(0L);
    }
  }

  @Test
  void methodsRunInsideCoroutinesAndUnderLimits() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .expose("c", new Counter())
            .memoryLimit(4L << 20)
            .instructionLimit(1_000_000)
            .build()) {
      assertThat(
              cu.execute(
                      "local co = coroutine.wrap(function() "
                          + "c:inc() coroutine.yield(c:get()) return c:inc() end) "
                          + "return co(), co()")
                  .values())
          .containsExactly(1L, 2L);
      assertThatThrownBy(() -> cu.compute("while true do c:inc() end"))
          .isInstanceOf(LuaTimeoutException.class);
      assertThat(cu.compute("return c:add(0) > 2")).isEqualTo(true);
    }
  }

  @Test
  void anObjectFromAFailedRunIsReleasedLater() throws InterruptedException {
    List<WeakReference<Counter>> made = new ArrayList<>();
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "make",
                a -> {
                  Counter c = new Counter();
                  made.add(new WeakReference<>(c));
                  return c;
                })
            .build()) {
      assertThatThrownBy(() -> cu.compute("local c = make() c:inc() error('boom')"))
          .isInstanceOf(LuaRuntimeException.class);
      cu.runGc();
      assertThat(collected(made.get(0))).isTrue();
    }
  }

  @Test
  void varargsGiveSeveralValuesAndVoidNone() {
    try (ComputeUnit cu = unit(new Kinds())) {
      assertThat(cu.execute("return k:pair(3)").values()).containsExactly(3L, 6L, null);
      assertThat(cu.compute("return select('#', k:pair(1)), select('#', k:nothing())"))
          .isEqualTo(0L);
      assertThat(cu.compute("return select('#', k:pair(1))")).isEqualTo(3L);
    }
  }

  private static Object error(ComputeUnit cu, String call) {
    return cu.compute("local ok, e = pcall(function() return " + call + " end) return e");
  }

  @Test
  void argumentsThatDoNotFitAreClearLuaErrors() {
    try (ComputeUnit cu = unit(new Kinds())) {
      assertThat(error(cu, "k:scalars('x', 1, true, 's')"))
          .isEqualTo("compute:1: bad argument #1 to 'scalars' (number expected, got string)");
      assertThat(error(cu, "k:scalars(1.5, 1, true, 's')"))
          .isEqualTo(
              "compute:1: bad argument #1 to 'scalars' (number has no integer representation)");
      assertThat(error(cu, "k:scalars(nil, 1, true, 's')"))
          .isEqualTo("compute:1: bad argument #1 to 'scalars' (number expected, got nil)");
      assertThat(error(cu, "k:scalars(1, 1, 1, 's')"))
          .isEqualTo("compute:1: bad argument #3 to 'scalars' (boolean expected, got number)");
      assertThat(error(cu, "k:scalars(1, 1, true, {})"))
          .isEqualTo("compute:1: bad argument #4 to 'scalars' (string expected, got table)");
      assertThat(error(cu, "k:tiny(128)"))
          .isEqualTo("compute:1: bad argument #1 to 'tiny' (number out of range [-128, 127])");
      assertThat(error(cu, "k:sum('x')"))
          .isEqualTo("compute:1: bad argument #1 to 'sum' (cannot convert the string)");
      assertThat(error(cu, "k:point(1)"))
          .isEqualTo("compute:1: bad argument #1 to 'point' (cannot convert the number)");
      assertThat(error(cu, "k:total({})"))
          .isEqualTo("compute:1: bad argument #1 to 'total' (Counter expected, got table)");
      assertThat(error(cu, "k:total(k)"))
          .isEqualTo("compute:1: bad argument #1 to 'total' (Counter expected, got Kinds)");
    }
  }

  @Test
  void aWrongNumberOfArgumentsIsAClearLuaError() {
    try (ComputeUnit cu = ComputeUnit.builder().expose("c", new Counter()).build()) {
      assertThat(error(cu, "c:add(1, 2, 3)"))
          .isEqualTo("compute:1: method 'add' takes 1 or 2 arguments, got 3");
      assertThat(error(cu, "c:inc(1)"))
          .isEqualTo("compute:1: method 'inc' takes 0 arguments, got 1");
    }
  }

  @Test
  void aThrowingMethodShowsOnlyItsNameAndKeepsTheCause() {
    try (ComputeUnit cu = unit(new Kinds())) {
      assertThat(error(cu, "k:fail()")).isEqualTo("compute:1: method 'fail' failed");
      LuaRuntimeException e =
          catchThrowableOfType(() -> cu.compute("k:fail()"), LuaRuntimeException.class);
      assertThat(e.getMessage()).contains("method 'fail' failed").doesNotContain("s3cr3t");
      assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("s3cr3t");
    }
  }

  @Test
  void aLuaRuntimeExceptionShowsItsMessage() {
    try (ComputeUnit cu = unit(new Kinds())) {
      assertThat(error(cu, "k:refuse()")).isEqualTo("compute:1: refused on purpose");
    }
  }

  @Test
  void methodsAreResolvedOncePerClass() {
    for (int u = 0; u < 2; u++) {
      try (ComputeUnit cu = ComputeUnit.builder().expose("f", new Fresh()).build()) {
        assertThat(cu.compute("local s = 0 for i = 1, 50 do s = s + f:one() end return s"))
            .isEqualTo(50L);
      }
    }
    assertThat(ExportedClass.resolutions(Fresh.class)).isEqualTo(1);
  }

  @Test
  void anObjectLuaDroppedIsReleased() throws InterruptedException {
    List<WeakReference<Counter>> made = new ArrayList<>();
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "make",
                a -> {
                  Counter c = new Counter();
                  made.add(new WeakReference<>(c));
                  return c;
                })
            .build()) {
      cu.compute("local c = make() c:inc() keep = make()");
      cu.runGc();
      assertThat(collected(made.get(0))).isTrue();
      assertThat(made.get(1).get()).isNotNull(); // still in a global
      assertThat(cu.compute("return keep:inc()")).isEqualTo(1L);
      cu.compute("keep = nil");
      cu.runGc();
      assertThat(collected(made.get(1))).isTrue();
    }
  }

  @Test
  void anExposedObjectLivesAsLongAsTheUnit() throws InterruptedException {
    WeakReference<Counter> ref;
    try (ComputeUnit cu = exposeFresh(ref = new WeakReference<>(new Counter()))) {
      cu.compute("c = nil collectgarbage()");
      cu.runGc();
      System.gc();
      assertThat(ref.get()).isNotNull();
    }
  }

  private static ComputeUnit exposeFresh(WeakReference<Counter> ref) {
    return ComputeUnit.builder().expose("c", ref.get()).build();
  }

  /** Whether the referent goes once Java collects, asking a few times. */
  private static boolean collected(WeakReference<?> ref) throws InterruptedException {
    for (int i = 0; i < 50 && ref.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    return ref.get() == null;
  }
}
