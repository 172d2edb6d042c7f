package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Host functions registered on a built unit with {@link ComputeUnit#register}. */
@Timeout(60)
class RegisterTest {

  @Test
  void aFunctionRegisteredAfterBuildIsCallable() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return type(twice)")).isEqualTo("nil");
      cu.register("twice", args -> 2 * (Long) args.get(0));
      assertThat(cu.compute("return twice(21)")).isEqualTo(42L);
      assertThat(cu.call("twice", 4)).isEqualTo(8L);
    }
  }

  @Test
  void aDottedNameCreatesMissingTablesAndKeepsExistingOnes() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("lib = {x = 1}");
      cu.register("lib.f", args -> "f");
      cu.register("m.sub.g", args -> "g");
      cu.register("string.shout", args -> ((String) args.get(0)).toUpperCase());
      assertThat(cu.execute("return lib.x, lib.f(), type(m.sub), m.sub.g()").values())
          .containsExactly(1L, "f", "table", "g");
      assertThat(cu.compute("return ('abc'):shout()")).isEqualTo("ABC");
    }
  }

  @Test
  void registerRefusesWhatTheBuilderRefuses() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("n = 5");
      for (String name : new String[] {"", ".a", "a.", null}) {
        assertThatThrownBy(() -> cu.register(name, a -> 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid host function name: " + name);
      }
      assertThatThrownBy(() -> cu.register("n.f", a -> 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("cannot register host function 'n.f': a part of its path is not a table");
      assertThatThrownBy(() -> cu.register("math.pi.f", a -> 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("math.pi.f");
      assertThatThrownBy(() -> cu.register("f", null)).isInstanceOf(NullPointerException.class);
      assertThat(cu.execute("return n, math.pi == math.pi").values()).containsExactly(5L, true);
    }
  }

  @Test
  void registerReplacesAnExistingGlobal() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.compute("f = 5 function g() return 'lua' end");
      cu.register("f", args -> "host f");
      cu.register("g", args -> "host g");
      assertThat(cu.execute("return f(), g()").values()).containsExactly("host f", "host g");
    }
  }

  @Test
  void reRegisteringANameReplacesItsFunctionEverywhere() {
    try (ComputeUnit cu = ComputeUnit.builder().function("v", args -> 1L).build()) {
      cu.compute("old = v");
      cu.register("v", args -> 2L);
      assertThat(cu.execute("return v(), old(), rawequal(old, v)").values())
          .containsExactly(2L, 2L, true);
      cu.compute("v = nil");
      cu.register("v", args -> 3L);
      assertThat(cu.execute("return v(), old()").values()).containsExactly(3L, 3L);
    }
  }

  @Test
  void aFailedRegistrationKeepsTheEarlierFunction() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.register("m.f", args -> "first");
      cu.compute("keep = m.f m = 5");
      assertThatThrownBy(() -> cu.register("m.f", args -> "second"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(cu.compute("return keep()")).isEqualTo("first");
    }
  }

  @Test
  void reRegisteringANameDoesNotGrowTheHeap() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.register("f", args -> 0L);
      cu.runGc();
      long before = cu.getMemoryStats().used();
      for (long i = 1; i <= 5000; i++) {
        long n = i;
        cu.register("f", args -> n);
      }
      cu.runGc();
      assertThat(cu.getMemoryStats().used() - before).isLessThan(16 * 1024);
      assertThat(cu.compute("return f()")).isEqualTo(5000L);
    }
  }

  @Test
  void aRegisteredFunctionIsStoredInHomeByName() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.register("greet", args -> "hi " + args.get(0));
      cu.compute("_home.g = greet _home.t = {f = greet}");
      cu.runGc();
      assertThat(cu.execute("return _home.g('a'), _home.t.f('b')").values())
          .containsExactly("hi a", "hi b");
    }
  }

  @Test
  void registerFromInsideTheUnitsOwnCallIsRefused() {
    AtomicReference<ComputeUnit> self = new AtomicReference<>();
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "sneak",
                args -> {
                  self.get().register("other", a -> 1L);
                  return null;
                })
            .build()) {
      self.set(cu);
      assertThatThrownBy(() -> cu.compute("sneak()"))
          .isInstanceOf(LuaRuntimeException.class)
          .cause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("inside its own call");
      assertThat(cu.compute("return other")).isNull();
    }
  }

  @Test
  void registerWhileAnotherThreadRunsTheUnitIsRefused() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "block",
                args -> {
                  inside.countDown();
                  return release.await(30, TimeUnit.SECONDS);
                })
            .build()) {
      Future<Object> running = pool.submit(() -> cu.compute("return block()"));
      assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> cu.register("f", a -> 1L))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use by thread");
      release.countDown();
      assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo(true);
      cu.register("f", a -> 1L);
      assertThat(cu.compute("return f()")).isEqualTo(1L);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void registerOnAClosedUnitIsRefused() {
    ComputeUnit cu = ComputeUnit.create();
    cu.close();
    assertThatThrownBy(() -> cu.register("f", a -> 1L))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
