package dev.cu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
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
    u.printTo(line -> { });
    u.connectStore(new NativeUnit.Store() {
      @Override
      public byte[] load(long id) {
        return null;
      }

      @Override
      public byte[] commit(byte[] delta, long nextId) {
        return null;
      }
    }, 1);
    u.connectHost((fn, args) -> null);
    return new WeakReference<>(u);
  }

  @Test
  void upcallsStayCallableAcrossGarbageCollectionsWhileTheUnitLives() {
    List<String> lines = new ArrayList<>();
    try (NativeUnit u = NativeUnit.open(16 << 20, 1, true)) {
      u.printTo(line -> lines.add(new String(line, java.nio.charset.StandardCharsets.UTF_8)));
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      int ref = u.load("print('x')".getBytes(), "=t\0".getBytes());
      assertThat(u.run(ref, CuLib.CU_RESULT_LAST)).isNotNull();
      assertThat(lines).containsExactly("x\n");
    }
  }
}
