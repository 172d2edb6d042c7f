package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.codec.Cbor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one nesting limit, {@link Cbor#MAX_DEPTH}: whatever the VM writes at the limit reaches
 * Java, one level more is refused in the VM.
 */
class NestingLimitTest {
  /** Lua that builds 'levels' nested tables around a function (written as a handle). */
  private static String nested(int levels) {
    return "local t = {print} for i = 2, " + levels + " do t = {t} end ";
  }

  private static int depthOf(Object v) {
    int depth = 0;
    while (v instanceof List<?> l) {
      v = l.get(0);
      depth++;
    }
    assertThat(v).isInstanceOf(LuaFunction.class);
    return depth;
  }

  @Test
  void deepestValueTheVmWritesDecodesInJava() {
    int levels = Cbor.MAX_DEPTH + 1; // tables at depth 0 to MAX_DEPTH
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(depthOf(cu.compute(nested(levels) + "return t"))).isEqualTo(levels);
      // several results travel in one more array
      ComputeResult r = cu.execute(nested(levels) + "return t, 1");
      assertThat(depthOf(r.values().get(0))).isEqualTo(levels);
      assertThatThrownBy(() -> cu.compute(nested(levels + 1) + "return t"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("nested too deeply");
    }
  }

  @Test
  void deepestArgumentTheVmWritesReachesAHostFunction() {
    int levels = Cbor.MAX_DEPTH + 1;
    List<Object> seen = new ArrayList<>();
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "f",
                args -> {
                  seen.add(args.get(0));
                  return null;
                })
            .build()) {
      cu.compute(nested(levels) + "f(t, 2)");
      assertThat(depthOf(seen.get(0))).isEqualTo(levels);
    }
  }
}
