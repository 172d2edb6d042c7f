package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-script suite: each script of {@code src/test/resources/hostile/} abuses memory,
 * time, recursion, output, coroutines, metatables or the libraries, on a unit limited to 16 MiB
 * and 500 ms ({@link HostileScript#unit}), and must end exactly as its header says (see {@link HostileScript}); afterwards
 * the unit must still compute. New scripts run in a child JVM first ({@link HostileScriptChild}).
 */
class HostileScriptTest {

  static List<HostileScript> scripts() {
    return HostileScript.all();
  }

  @Test
  void theSuiteCoversEveryKindOfAbuse() {
    List<String> names = scripts().stream().map(HostileScript::name).toList();
    assertThat(names).hasSizeGreaterThanOrEqualTo(100);
    for (String kind :
        List.of("memory-", "time-", "recursion-", "output-", "coroutine-", "meta-", "lib-")) {
      assertThat(names).filteredOn(n -> n.startsWith(kind)).hasSizeGreaterThanOrEqualTo(10);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void endsAsItsHeaderSaysAndLeavesTheUnitUsable(HostileScript script) {
    try (ComputeUnit cu = script.unit()) {
      String outcome = HostileScript.outcome(cu, script.code());
      assertThat(script.isMetBy(outcome))
          .as(
              "%s: expected '%s', got '%s'",
              script.name(),
              script.expectation(),
              outcome.length() > 300 ? outcome.substring(0, 300) + "..." : outcome)
          .isTrue();
      assertThat(cu.compute("return 1 + 1")).isEqualTo(2L);
      assertThat(cu.getMemoryStats().used()).isLessThan(HostileScript.MEMORY_LIMIT);
    }
  }
}
