package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Host functions returning several values with {@link Varargs}. */
class VarargsTest {

  private static ComputeUnit unit() {
    return ComputeUnit.builder()
        .function("pair", args -> Varargs.of("a", 2L))
        .function("none", args -> Varargs.of())
        .function("one", args -> Varargs.of(5L))
        .function("holes", args -> Varargs.of(1L, null, "x", null))
        .function("spread", args -> Varargs.of(args.toArray()))
        .function("nested", args -> Varargs.of(Map.of("a", List.of(1L, 2L)), List.of(Map.of())))
        .function("nothing", args -> Varargs.of((Object[]) null))
        .build();
  }

  @Test
  void aVarargsResultGivesLuaEachValue() {
    try (ComputeUnit cu = unit()) {
      assertThat(cu.execute("local a, b = pair() return a, b, select('#', pair())").values())
          .containsExactly("a", 2L, 2L);
      assertThat(cu.compute("local t = {pair(), pair()} return #t")).isEqualTo(3L);
    }
  }

  @Test
  void anEmptyVarargsGivesNoValue() {
    try (ComputeUnit cu = unit()) {
      assertThat(cu.compute("return select('#', none())")).isEqualTo(0L);
      assertThat(cu.execute("return none()").values()).isEmpty();
      assertThat(cu.compute("local x = none() return x == nil")).isEqualTo(true);
    }
  }

  @Test
  void aVarargsOfOneValueIsOneValue() {
    try (ComputeUnit cu = unit()) {
      assertThat(cu.execute("return select('#', one()), one()").values()).containsExactly(1L, 5L);
    }
  }

  @Test
  void nilsInsideAVarargsKeepTheirPositions() {
    try (ComputeUnit cu = unit()) {
      assertThat(cu.execute("return select('#', holes()), holes()").values())
          .containsExactly(4L, 1L, null, "x", null);
      assertThat(cu.execute("return select('#', nothing()), nothing() == nil").values())
          .containsExactly(1L, true);
    }
  }

  @Test
  void nestedTablesInsideAVarargsArriveAsTables() {
    try (ComputeUnit cu = unit()) {
      assertThat(cu.execute("local m, l = nested() return m.a[2], #l, type(l[1])").values())
          .containsExactly(2L, 1L, "table");
    }
  }

  @Test
  void manyValuesArriveInOrder() {
    try (ComputeUnit cu = unit()) {
      assertThat(
              cu.compute(
                  "local t = {} for i = 1, 5000 do t[i] = i end "
                      + "local r = table.pack(spread(table.unpack(t))) "
                      + "local ok = r.n == 5000 for i = 1, r.n do ok = ok and r[i] == i end "
                      + "return ok"))
          .isEqualTo(true);
    }
  }

  @Test
  void callAndExecuteSeeEveryValueOfAVarargs() {
    try (ComputeUnit cu = unit()) {
      assertThat(cu.call("pair")).isEqualTo(2L);
      assertThat(cu.execute("return pair()").values()).containsExactly("a", 2L);
      assertThat(cu.call("none")).isNull();
    }
  }

  @Test
  void aTypedFunctionMayReturnAVarargs() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function("halves", Long.class, n -> Varargs.of(n / 2, n % 2))
            .build()) {
      assertThat(cu.execute("return halves(7)").values()).containsExactly(3L, 1L);
    }
  }

  @Test
  void aVarargsValueThatCannotBeConvertedFailsTheCall() {
    try (ComputeUnit cu =
        ComputeUnit.builder().function("bad", args -> Varargs.of(1L, new Object())).build()) {
      assertThat(cu.execute("return pcall(bad)").values())
          .containsExactly(false, "host function 'bad' failed");
      assertThatThrownBy(() -> cu.compute("bad()"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasCauseInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aVarargsIsACopyOfItsArray() {
    Object[] values = {1L, "b"};
    Varargs v = Varargs.of(values);
    values[0] = "changed";
    assertThat(v.size()).isEqualTo(2);
    assertThat(v.get(0)).isEqualTo(1L);
    assertThat(v.toList()).containsExactly(1L, "b");
    assertThatThrownBy(() -> v.toList().set(0, 2L))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> v.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void varargsCompareByTheirValues() {
    assertThat(Varargs.of(1L, null, new byte[] {1}))
        .isEqualTo(Varargs.of(1L, null, new byte[] {1}));
    assertThat(Varargs.of(1L, null).hashCode()).isEqualTo(Varargs.of(1L, null).hashCode());
    assertThat(Varargs.of(1L)).isNotEqualTo(Varargs.of(1L, null));
    assertThat(Varargs.of()).isEqualTo(Varargs.of(new Object[0]));
    assertThat(Varargs.of((Object[]) null).toList()).containsExactly((Object) null);
    assertThat(Varargs.of("a", 2L)).hasToString("Varargs[a, 2]");
  }

  @Test
  void aVarargsCannotHoldAVarargs() {
    assertThatThrownBy(() -> Varargs.of(1L, Varargs.of(2L)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aListResultStaysOneTable() {
    try (ComputeUnit cu =
        ComputeUnit.builder().function("list", args -> Arrays.asList(1L, 2L)).build()) {
      assertThat(cu.execute("return select('#', list()), #list()").values())
          .containsExactly(1L, 2L);
    }
  }
}
