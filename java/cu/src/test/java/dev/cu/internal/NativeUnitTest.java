package dev.cu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.LuaRuntimeException;
import dev.cu.LuaSyntaxException;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeUnitTest {
  @Test
  void aForgottenUnitWithUpcallsBecomesUnreachableSoItsCleanerFreesIt() throws Exception {
    WeakReference<NativeUnit> ref = forgottenUnit();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (ref.get() != null && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    // the cleaner keeps the upcall closures; were they to reach the unit, it would never be
    // unreachable and its native state would never be freed
    assertThat(ref.get()).as("the forgotten unit").isNull();
  }

  private static WeakReference<NativeUnit> forgottenUnit() {
    NativeUnit u = NativeUnit.open(16 << 20, 1, true);
    u.printTo(line -> {});
    u.connectStore(
        new NativeUnit.Store() {
          @Override
          public byte[] load(long id) {
            return null;
          }

          @Override
          public byte[] commit(byte[] delta, long nextId) {
            return null;
          }
        },
        1);
    u.connectHost((fn, args, slots) -> null);
    return new WeakReference<>(u);
  }

  @Test
  void upcallsStayCallableAcrossGarbageCollectionsWhileTheUnitLives() {
    List<String> lines = new ArrayList<>();
    try (NativeUnit u = NativeUnit.open(16 << 20, 1, true)) {
      u.printTo(line -> lines.add(new String(line, StandardCharsets.UTF_8)));
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      int ref =
          u.load(
              "print('x')".getBytes(StandardCharsets.UTF_8),
              "=t\0".getBytes(StandardCharsets.UTF_8));
      assertThat(u.run(ref, NativeUnit.RESULT_LAST)).isNotNull();
      assertThat(lines).containsExactly("x\n");
    }
  }

  @Test
  void failedExportsThrowTypedExceptionsAndTheUnitKeepsWorking() {
    try (NativeUnit u = NativeUnit.open(16 << 20, 1, true)) {
      byte[] name = "=t\0".getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> u.load("x =".getBytes(StandardCharsets.UTF_8), name))
          .isInstanceOf(LuaSyntaxException.class)
          .hasMessageContaining("t:1:");
      int ref = u.load("error('boom')".getBytes(StandardCharsets.UTF_8), name);
      assertThat(ref).isPositive();
      assertThatThrownBy(() -> u.run(ref, NativeUnit.RESULT_LAST))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("boom");
      assertThatThrownBy(() -> u.register("string.len.f", 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("string.len.f");
      int ok = u.load("return 1".getBytes(StandardCharsets.UTF_8), name);
      assertThat(u.run(ok, NativeUnit.RESULT_LAST)).isNotEmpty();
    }
  }
}
