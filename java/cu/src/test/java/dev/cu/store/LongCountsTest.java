package dev.cu.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongCountsTest {
  @Test
  void absentCountsZero() {
    LongCounts c = new LongCounts();
    assertThat(c.get(7)).isZero();
    assertThat(c.contains(7)).isFalse();
    assertThat(c.add(7, -1)).isEqualTo(-1);
    assertThat(c.contains(7)).isTrue();
    c.remove(7);
    assertThat(c.get(7)).isZero();
    assertThat(c.contains(7)).isFalse();
  }

  /** Random adds, puts and removes over a small key range agree with a HashMap. */
  @Test
  void agreesWithAHashMap() {
    for (long seed = 0; seed < 20; seed++) {
      Random r = new Random(seed);
      LongCounts c = new LongCounts();
      Map<Long, Long> m = new HashMap<>();
      int range = 1 + r.nextInt(2000);
      for (int i = 0; i < 20_000; i++) {
        long k = r.nextInt(range) * (r.nextBoolean() ? 1L : 1L << 40) - (r.nextInt(8) == 0 ? 3 : 0);
        switch (r.nextInt(4)) {
          case 0 -> assertThat(c.add(k, 1)).isEqualTo(m.merge(k, 1L, Long::sum));
          case 1 -> {
            c.put(k, i);
            m.put(k, (long) i);
          }
          case 2 -> {
            c.remove(k);
            m.remove(k);
          }
          default -> {
            assertThat(c.get(k)).isEqualTo(m.getOrDefault(k, 0L));
            assertThat(c.contains(k)).isEqualTo(m.containsKey(k));
          }
        }
        if (r.nextInt(5000) == 0) {
          c.clear();
          m.clear();
        }
      }
      assertThat(c.size()).isEqualTo(m.size());
      for (Map.Entry<Long, Long> e : m.entrySet()) {
        assertThat(c.get(e.getKey())).isEqualTo(e.getValue());
      }
    }
  }
}
