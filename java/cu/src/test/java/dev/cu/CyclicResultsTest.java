package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ComputeUnit.Builder#allowCycles}: results that contain themselves. */
class CyclicResultsTest {
  @TempDir Path dir;

  @Test
  void cyclesAreRefusedByDefault() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(() -> cu.compute("local t = {} t.self = t return t"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("cycle");
    }
  }

  @Test
  void withAllowCyclesATableThatContainsItselfComesBackAsItself() {
    try (ComputeUnit cu = ComputeUnit.builder().allowCycles(true).build()) {
      Map<?, ?> t = (Map<?, ?>) cu.compute("local t = {n = 1} t.self = t return t");
      assertThat(t.get("n")).isEqualTo(1L);
      assertThat(t.get("self")).isSameAs(t);
      List<?> all = cu.execute("local a = {} local b = {a} a[1] = b return a, b").values();
      List<?> a = (List<?>) all.get(0);
      List<?> b = (List<?>) all.get(1);
      assertThat(a.get(0)).isSameAs(b);
      assertThat(b.get(0)).isSameAs(a);
      cu.compute("function loop() local t = {} t[1] = t return t end");
      List<?> viaCall = (List<?>) cu.call("loop");
      assertThat(viaCall.get(0)).isSameAs(viaCall);
      // shared, acyclic values are as without the option
      List<?> dag = (List<?>) cu.compute("local s = {} return {s, s}");
      assertThat(dag.get(0)).isSameAs(dag.get(1));
    }
  }

  @Test
  void withAllowCyclesErrorValuesStayAcyclic() {
    try (ComputeUnit cu = ComputeUnit.builder().allowCycles(true).build()) {
      assertThatThrownBy(() -> cu.compute("local t = {} t.self = t error(t)"))
          .isInstanceOfSatisfying(LuaRuntimeException.class, e -> assertThat(e.value()).isNull());
    }
  }

  @Test
  void withAllowCyclesAStoredCycleInHomeCanBeReturned() {
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).autoCommit(true).build()) {
      cu.compute("local a = {} a.self = a _home.a = a");
    }
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).allowCycles(true).build()) {
      Map<?, ?> home = (Map<?, ?>) cu.compute("return _home");
      Map<?, ?> a = (Map<?, ?>) home.get("a");
      assertThat(a.get("self")).isSameAs(a);
    }
  }
}
