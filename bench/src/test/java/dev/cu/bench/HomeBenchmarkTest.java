package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Smoke test: each {@code _home} workload runs once and leaves or returns what it should. */
class HomeBenchmarkTest {
  private final HomeBenchmark bench = new HomeBenchmark();

  @Test
  void writesStoreTheRecordsAndReadsSumThem() {
    HomeBenchmark.Memory s = new HomeBenchmark.Memory();
    s.setUp();
    try {
      bench.cu_write1k(s);
      bench.cu_write1k(s);
      assertThat(s.unit.compute("local r = _home.w1k[1000] return r.id .. r.name .. r.value"))
          .isEqualTo("1000r10001500.0");
      assertThat(s.unit.compute("return #_home.w1k")).isEqualTo(1000L);
      bench.plain_write1k(s);
      bench.plain_write1k(s);
      assertThat(s.unit.compute("local r = p1k[1000] return #p1k .. r.id .. r.name .. r.value"))
          .isEqualTo("10001000r10001500.0");
      assertThat(s.unit.compute("return rawequal(getmetatable(p1k), nil)")).isEqualTo(true);
      bench.cu_write100k(s);
      assertThat(s.unit.compute("return #_home.w100k")).isEqualTo(100_000L);
      assertThat(s.unit.compute("return _home.w100k[99999].name")).isEqualTo("r99999");
      assertThat(bench.cu_read1m(s)).isEqualTo(500_500_000L);
      assertThat(bench.plain_read1m(s)).isEqualTo(500_500_000L);
    } finally {
      s.tearDown();
    }
  }

  @Test
  void itemScriptsStoreAndQueryOnLmdb() {
    HomeBenchmark.Lmdb s = new HomeBenchmark.Lmdb();
    s.setUp();
    try {
      bench.items_store1000(s);
      assertThat(bench.items_query1000(s)).isEqualTo(667L);
      assertThat(s.unit.compute("return _home.items[334].name")).isEqualTo("item334");
      s.unit.compute("_home.items[1000].value = 0");
      assertThat(bench.items_query1000(s)).isEqualTo(666L);
      bench.items_store1000(s);
      assertThat(bench.items_query1000(s)).isEqualTo(667L);
    } finally {
      s.tearDown();
    }
    assertThat(s.stored.dir).doesNotExist();
  }
}
