package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Collections over weak-keyed (ephemeron) tables: a collection cannot be stopped, so its cost
 * must stay bounded (docs/LIMITS.md, docs/SANDBOX.md).
 */
class WeakTableTest {
  /** A chain of links through one weak-keyed table, in random order, anchored at its head. */
  private static String chain(int n, boolean anchored) {
    return "local n = "
        + n
        + " local w = setmetatable({}, {__mode = 'k'}) local k = {}\n"
        + "for i = 1, n do k[i] = {} end\n"
        + "for i = n, 2, -1 do local j = math.random(i) k[i], k[j] = k[j], k[i] end\n"
        + "for i = 1, n - 1 do w[k[i]] = k[i + 1] end\n"
        + (anchored ? "R = k[1] " : "")
        + "k = nil collectgarbage()\n"
        + "local c = 0 for _ in pairs(w) do c = c + 1 end return c";
  }

  @Test
  void aLongChainThroughAWeakKeyedTableIsCollectedWithinTheTimeLimit() {
    // Lua's own convergence needs one pass per link here: about 20 s for 60,000 links
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .memoryLimit(64L << 20)
            .timeLimit(Duration.ofSeconds(2))
            .randomSeed(7)
            .build()) {
      long start = System.nanoTime();
      assertThat(cu.compute(chain(60_000, true))).isEqualTo(59_999L);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void shortChainsThroughAWeakKeyedTableAreCollectedAsLuaDoes() {
    try (ComputeUnit cu = ComputeUnit.builder().randomSeed(7).build()) {
      assertThat(cu.compute(chain(40, true))).isEqualTo(39L);
      assertThat(cu.compute(chain(40, false))).isEqualTo(0L); // garbage: all cleared at once
    }
  }

  @Test
  void aLongGarbageChainIsReleasedByLaterCollections() {
    try (ComputeUnit cu = ComputeUnit.builder().randomSeed(7).build()) {
      cu.compute("W = nil " + chain(2_000, false).replace("return c", "W = w return c"));
      // past the pass limit, values are kept for a cycle: each later cycle releases more
      assertThat(
              cu.compute(
                  "for i = 1, 3000 do collectgarbage() if next(W) == nil then"
                      + " return i end end return -1"))
          .isNotEqualTo(-1L);
    }
  }
}
