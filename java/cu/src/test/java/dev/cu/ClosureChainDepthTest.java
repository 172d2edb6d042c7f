package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storing a long chain of closures (each calling the previous one through an upvalue) is
 * bounded like loading it: one assignment stores at most 200 levels (a table is one, a Lua
 * function two: itself and the box of its upvalues), so a chain of at most 101 closures; a
 * longer chain is refused with a Lua error that changes nothing, and the chain at the limit
 * loads back in a new unit. Each step runs in a child JVM ({@link ClosureChainChild}) on a
 * thread with a small stack, so a stack overflow in the native library fails the test instead
 * of killing the test JVM.
 */
class ClosureChainDepthTest {

  private static ChildJvm.Result child(List<String> jvm, String... args) throws Exception {
    ChildJvm.Result r = ChildJvm.runWith(jvm, ClosureChainChild.class, args);
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r;
  }

  @Test
  void storingAVeryLongClosureChainRaisesNestedTooDeeplyInsteadOfCrashing(@TempDir Path dir)
      throws Exception {
    for (String[] c :
        new String[][] {{"-Xss1m", "1024"}, {"-Xss512k", "512"}, {"-Xss512k", "256"}}) {
      for (String store : new String[] {dir.toString(), "-"}) {
        String out = child(List.of(c[0]), "store", store, c[1], "10000").output();
        assertThat(out)
            .contains(
                "error compute:1: value nested too deeply (more than 200 levels)",
                "nil true",
                "works 2");
      }
    }
  }

  @Test
  void aClosureChainAtTheDepthLimitStoresAndLoadsInANewUnitOnASmallStack(@TempDir Path dir)
      throws Exception {
    String d = dir.toString();
    assertThat(child(List.of(), "store", d, "256", "101").output())
        .contains("error compute:1: value nested too deeply", "nil true", "works 2");
    assertThat(child(List.of(), "store", d, "256", "100").output())
        .contains("stored 100", "nil false", "works 2");
    assertThat(child(List.of(), "load", d, "256").output()).contains("loaded 100");
  }
}
