package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HandleLifecycleTest {
  @Test
  void handlesFailClearlyAfterTheirUnitClosed() {
    ComputeUnit cu = ComputeUnit.create();
    cu.compute("t = {}");
    LuaFunction f = cu.load("return 1");
    LuaTable t = cu.table("t");
    LuaCoroutine co = f.coroutine();
    cu.close();
    assertThatThrownBy(f::call)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("compute unit is closed");
    assertThatThrownBy(() -> t.get("x")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(co::resume).isInstanceOf(IllegalStateException.class);
    f.close(); // closing after the unit closed is fine
    t.close();
    co.close();
  }

  @Test
  void aClosedHandleFailsClearlyAndClosingTwiceIsFine() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      LuaFunction f = cu.load("return 1");
      f.close();
      f.close();
      assertThatThrownBy(f::call)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("LuaFunction is closed");
      assertThatThrownBy(() -> cu.call("type", f))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("LuaFunction is closed");
      LuaTable g = cu.table("_G");
      g.close();
      assertThatThrownBy(g::length).hasMessage("LuaTable is closed");
    }
  }

  @Test
  void closingReleasesTheReference() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      long before = cu.handleCount();
      LuaFunction f = cu.load("return 1");
      LuaTable g = cu.table("_G");
      assertThat(cu.handleCount()).isEqualTo(before + 2);
      f.close();
      g.close();
      assertThat(cu.handleCount()).isEqualTo(before);
    }
  }

  @Test
  void aHandleOfAnotherUnitIsRefused() {
    try (ComputeUnit a = ComputeUnit.create();
        ComputeUnit b = ComputeUnit.create()) {
      LuaFunction fa = a.function("print");
      LuaTable ta = a.table("_G");
      b.compute("function id(x) return x end");
      assertThatThrownBy(() -> b.call("id", fa))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("another compute unit");
      assertThatThrownBy(() -> b.table("_G").set("x", ta))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> b.setInput(fa)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> b.function("id").call(java.util.List.of(ta)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aHandleFollowsTheThreadRuleOfItsUnit() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "block",
                args -> {
                  inside.countDown();
                  release.await(10, TimeUnit.SECONDS);
                  return null;
                })
            .build()) {
      LuaFunction f = cu.load("return 1");
      Thread t = new Thread(() -> cu.compute("block()"), "busy");
      t.start();
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
      try {
        assertThatThrownBy(f::call)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("in use by thread 'busy'");
      } finally {
        release.countDown();
        t.join();
      }
      assertThat(f.call()).isEqualTo(1L);
    }
  }

  @Test
  void aHandleCannotBeUsedFromAnOutputConsumerOfItsOwnUnit() {
    LuaFunction[] f = new LuaFunction[1];
    Throwable[] seen = new Throwable[1];
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .output(
                line -> {
                  try {
                    f[0].call();
                  } catch (IllegalStateException e) {
                    seen[0] = e;
                  }
                })
            .build()) {
      f[0] = cu.load("return 1");
      cu.compute("print('x')");
      assertThat(seen[0]).hasMessageContaining("from inside its own call");
    }
  }
}
