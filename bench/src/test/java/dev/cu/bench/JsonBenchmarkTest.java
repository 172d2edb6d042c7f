package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Smoke test: the json workloads have the sizes their Javadoc names and do the work. */
class JsonBenchmarkTest {
  @Test
  void workloadsEncodeAndDecodeTheData() {
    JsonBenchmark bench = new JsonBenchmark();
    bench.setUp();
    try {
      List<?> sizes = (List<?>) bench.sizes();
      assertThat((Long) sizes.get(0)).isBetween(900L, 1200L);
      assertThat((Long) sizes.get(1)).isBetween(90_000L, 115_000L);
      assertThat(bench.cu_encodeObject1k()).isEqualTo(sizes.get(0));
      assertThat(bench.cu_decodeObject1k()).isEqualTo(3L);
      assertThat(bench.cu_encodeRecords100k()).isEqualTo(sizes.get(1));
      assertThat(bench.cu_decodeRecords100k()).isEqualTo(1500L);
      assertThat((Long) sizes.get(2)).isBetween(9_000L, 11_500L);
      assertThat(bench.cu_encodeDoc10k()).isEqualTo(sizes.get(2));
      assertThat(bench.cu_decodeDoc10k()).isEqualTo(10L);
    } finally {
      bench.tearDown();
    }
  }
}
