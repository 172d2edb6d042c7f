package dev.cu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cu.ComputeUnit;
import dev.cu.LuaExport;
import dev.cu.LuaFunction;
import dev.cu.LuaRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two ways of the host-function and object upcalls, JNI and JNR closures: the JNI way is
 * taken where the build has it, and both keep one contract.
 */
class UpcallsTest {
  /** An exported object for the method path. */
  public static final class Counter {
    long total;

    @LuaExport
    public long add(long n) {
      total += n;
      return total;
    }

    @LuaExport
    public Object keys(Map<String, Object> m) {
      return m.keySet().stream().sorted().toList();
    }

    @LuaExport
    public void boom(String why) {
      throw new IllegalStateException(why);
    }
  }

  private static final IllegalArgumentException THROWN = new IllegalArgumentException("no");

  /** Opens a unit with the system property {@code cu.jni} set to {@code jni} while it opens. */
  private static <T> T withJni(boolean jni, Supplier<T> open) {
    String before = System.getProperty("cu.jni");
    System.setProperty("cu.jni", Boolean.toString(jni));
    try {
      return open.get();
    } finally {
      if (before == null) {
        System.clearProperty("cu.jni");
      } else {
        System.setProperty("cu.jni", before);
      }
    }
  }

  private static NativeUnit nativeUnit(boolean jni) {
    return withJni(
        jni,
        () -> {
          NativeUnit u = NativeUnit.open(16 << 20, 1, true);
          u.connectHost((fn, args, slots) -> null);
          return u;
        });
  }

  @Test
  void hostFunctionsAreCalledThroughJniOnLinux() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "JNI upcalls: Linux builds");
    try (NativeUnit u = nativeUnit(true)) {
      assertThat(u.jniUpcalls()).isTrue();
    }
  }

  @Test
  void theSystemPropertyKeepsTheClosures() {
    try (NativeUnit u = nativeUnit(false)) {
      assertThat(u.jniUpcalls()).isFalse();
    }
  }

  @Test
  void aTokenNobodyRegisteredBindsNothingAndAStateBindsOnce() {
    try (NativeUnit u = nativeUnit(false)) {
      assertThat(u.lib.cu_jni_bind(u.state(), Long.MIN_VALUE)).isEqualTo(CuLib.CU_ERRARG);
      assertThat(u.jniUpcalls()).isFalse();
    }
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "JNI upcalls: Linux builds");
    try (NativeUnit u = nativeUnit(true)) {
      assertThat(u.jniUpcalls()).isTrue();
      assertThat(u.lib.cu_jni_bind(u.state(), Long.MIN_VALUE)).isEqualTo(CuLib.CU_ERRARG);
      // still bound to the first object: its host function answers
      u.register("f", 0);
      int ref =
          u.load(
              "f() return 1".getBytes(StandardCharsets.UTF_8),
              "=t\0".getBytes(StandardCharsets.UTF_8));
      assertThat(u.run(ref, NativeUnit.RESULT_LAST)).isNotNull();
    }
  }

  @Test
  void aBindingToTheObjectOfAnotherStateIsRefused() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "JNI upcalls: Linux builds");
    try (NativeUnit mine = nativeUnit(false);
        NativeUnit other = nativeUnit(false)) {
      // what another copy of the classes could hand out under a token: another state's object
      long token = other.upcalls.register();
      assertThat(mine.lib.cu_jni_bind(mine.state(), token)).isEqualTo(CuLib.CU_ERRARG);
      // its own object under a token binds
      long own = mine.upcalls.register();
      assertThat(mine.lib.cu_jni_bind(mine.state(), own)).isEqualTo(CuLib.CU_OK);
    }
  }

  private static ComputeUnit unit(boolean jni, Counter counter) {
    return withJni(
        jni,
        () ->
            ComputeUnit.builder()
                .function("add", args -> (Long) args.get(0) + (Long) args.get(1))
                .function("size", args -> ((Map<?, ?>) args.get(0)).size())
                .function(
                    "fail",
                    args -> {
                      throw THROWN;
                    })
                .function(
                    "way",
                    args ->
                        java.util.Arrays.stream(new Throwable().getStackTrace())
                            .anyMatch(f -> f.getMethodName().equals("jniHost")))
                .function(
                    "twice",
                    args -> {
                      LuaFunction fn = (LuaFunction) args.get(0);
                      return (Long) fn.call(fn.call(args.get(1)));
                    })
                .expose("counter", counter)
                .build());
  }

  @ParameterizedTest(name = "jni={0}")
  @ValueSource(booleans = {true, false})
  void bothWaysKeepTheContract(boolean jni) {
    Counter counter = new Counter();
    try (ComputeUnit cu = unit(jni, counter)) {
      // the way the calls take: through JNI where the build has it, else the closures
      boolean linux = System.getProperty("os.name").startsWith("Linux");
      assertThat(cu.compute("return way()")).isEqualTo(jni && linux);
      // scalars in the slots, a loop of calls
      assertThat(cu.compute("local s = 0 for i = 1, 1000 do s = add(s, i) end return s"))
          .isEqualTo(500_500L);
      // a table argument crosses as CBOR
      assertThat(cu.compute("return size({a = 1, b = 2, c = {}})")).isEqualTo(3L);
      // a host function that calls back into Lua
      assertThat(cu.compute("return twice(function(x) return x * 3 end, 2)")).isEqualTo(18L);
      // exported objects: slots, CBOR arguments, results as values
      assertThat(cu.compute("counter:add(5) return counter:add(7)")).isEqualTo(12L);
      assertThat(cu.compute("return counter:keys({z = 1, a = 2})")).isEqualTo(List.of("a", "z"));
      assertThat(counter.total).isEqualTo(12L);
      // a failure is a Lua error that pcall can catch, and the cause the caller sees
      assertThat(cu.compute("local ok, e = pcall(fail) return ok")).isEqualTo(false);
      assertThatThrownBy(() -> cu.compute("fail()"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("host function 'fail' failed")
          .hasCause(THROWN);
      assertThatThrownBy(() -> cu.compute("counter:boom('why')"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasRootCauseInstanceOf(IllegalStateException.class)
          .hasRootCauseMessage("why");
      // and the unit goes on
      assertThat(cu.compute("return add(1, 2)")).isEqualTo(3L);
    }
  }
}
