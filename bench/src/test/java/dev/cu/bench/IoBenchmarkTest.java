package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Smoke test: the filter keeps exactly the records with score above 50. */
class IoBenchmarkTest {
  @Test
  void filterKeepsScoresAboveFifty() {
    IoBenchmark bench = new IoBenchmark();
    bench.setUp();
    try {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> out = (List<Map<String, Object>>) bench.cu_records100k();
      assertThat(out).hasSize(49_500);
      assertThat(out).allSatisfy(r -> assertThat((Long) r.get("score")).isGreaterThan(50L));
      assertThat(out.get(0)).isEqualTo(Map.of("id", 51L, "name", "name51", "score", 51L));
      assertThat(out.get(out.size() - 1).get("id")).isEqualTo(99_989L);
    } finally {
      bench.tearDown();
    }
  }
}
