package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Handles that are dropped without close() are released through the Cleaner backstop: a
 * million of them keep the unit's table of references and its Lua heap bounded. The loop runs
 * in a child JVM with a small young generation, so that the collector (which the backstop
 * waits for) runs at a rate that does not depend on the machine's memory.
 */
class HandleSoakTest {
  private static final int HANDLES = 1_000_000;

  /** At most this many references may wait for the collector at any time. */
  private static final long MAX_LIVE = 100_000;

  /** The Lua heap may grow by at most this much over the run (the table of references). */
  private static final long MAX_GROWTH = 8L << 20;

  @Test
  void droppedHandlesKeepTheReferenceCountAndMemoryFlat() throws Exception {
    ChildJvm.Result r = ChildJvm.runWith(List.of("-Xmx128m", "-Xmn8m"), Child.class);
    assertThat(r.exitCode()).as(r.output()).isZero();
    String line = r.output().lines().filter(l -> l.startsWith("soak ")).findFirst().orElseThrow();
    String[] f = line.split(" ");
    long maxCount = Long.parseLong(f[1]);
    long maxGrowth = Long.parseLong(f[2]);
    long left = Long.parseLong(f[3]);
    long finalGrowth = Long.parseLong(f[4]);
    System.out.println("HandleSoakTest: " + HANDLES + " handles; " + line);
    assertThat(maxCount).isLessThan(MAX_LIVE);
    assertThat(maxGrowth).isLessThan(MAX_GROWTH);
    assertThat(left).isZero();
    assertThat(finalGrowth).isLessThan(MAX_GROWTH);
  }

  /**
   * Creates and drops the handles; prints {@code soak <most live references> <most heap
   * growth> <references left after collection> <heap growth at the end>}.
   */
  public static final class Child {
    public static void main(String[] args) {
      try (ComputeUnit cu = ComputeUnit.create()) {
        cu.compute("function f(x) return x end t = {}");
        cu.runGc();
        long base = cu.getMemoryStats().used();
        long maxCount = 0;
        long maxUsed = base;
        for (int i = 1; i <= HANDLES; i++) {
          switch (i % 3) {
            case 0 -> cu.function("f");
            case 1 -> cu.table("t");
            default -> cu.compute("return f");
          }
          if (i % 10_000 == 0) {
            maxCount = Math.max(maxCount, cu.handleCount());
            maxUsed = Math.max(maxUsed, cu.getMemoryStats().used());
          }
        }
        long left = Long.MAX_VALUE;
        for (int i = 0; i < 200 && left > 0; i++) {
          System.gc();
          Thread.sleep(10);
          left = cu.handleCount(); // an operation: it releases what the Cleaner queued
        }
        cu.runGc();
        long end = cu.getMemoryStats().used();
        System.out.println(
            "soak " + maxCount + " " + (maxUsed - base) + " " + left + " " + (end - base));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
