package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.internal.NativeUnit;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A unit its owner forgot to close is freed by its cleaner, whatever it was connected to: the
 * upcalls' targets (host functions, exported objects, modules, the store, the output) reference
 * the unit, and the cleaner keeps the upcall closures, so the closures must not keep the
 * targets.
 */
class ForgottenUnitTest {
  /** An exported object for the unit below. */
  public static final class Thing {
    @LuaExport
    public long get() {
      return 7;
    }
  }

  @Test
  void aForgottenUnitWithEveryUpcallConnectedBecomesUnreachable() throws Exception {
    WeakReference<NativeUnit> ref = forgotten();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (ref.get() != null && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(ref.get()).as("the forgotten unit's native side").isNull();
  }

  private static WeakReference<NativeUnit> forgotten() throws Exception {
    ComputeUnit cu =
        ComputeUnit.builder()
            .function("f", args -> 1L)
            .expose("o", new Thing())
            .modules(ModuleLoader.of(Map.of("m", "return 2")))
            .output(line -> {})
            .build();
    assertThat(cu.compute("print('x') _home.n = f() + o:get() + require('m') return _home.n"))
        .isEqualTo(10L);
    LuaFunction handle = cu.function("f");
    assertThat(handle.call()).isEqualTo(1L);
    Field unit = ComputeUnit.class.getDeclaredField("unit");
    unit.setAccessible(true);
    return new WeakReference<>((NativeUnit) unit.get(cu));
  }
}
