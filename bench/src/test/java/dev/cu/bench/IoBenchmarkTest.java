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

  @Test
  void everyRecordGoesInAndComesOutWithItsFiveFields() {
    IoBenchmark bench = new IoBenchmark();
    bench.setUp();
    try {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> out = (List<Map<String, Object>>) bench.cu_records100kInOut();
      assertThat(out).hasSize(IoBenchmark.RECORDS);
      assertThat(out.get(3))
          .isEqualTo(
              Map.of("id", 3L, "name", "name3", "score", 3L, "active", true, "ratio", 0.875));
      assertThat(out.get(out.size() - 1))
          .containsEntry("id", 99_999L)
          .containsEntry("active", true)
          .containsEntry("ratio", 24_999.875);
    } finally {
      bench.tearDown();
    }
  }
}
