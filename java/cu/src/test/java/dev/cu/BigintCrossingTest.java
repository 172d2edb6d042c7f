package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bigints between Lua and Java (docs/FORMAT.md, "Bigints"): a Lua bigint reaches Java as a
 * {@link BigInteger} whatever its size, a Java BigInteger reaches Lua as an integer when it fits
 * in 64 bits and as a bigint otherwise, through input, results, host functions and exported
 * methods; and a bigint stored in {@code _home} is a bigint again after the store is reopened.
 */
class BigintCrossingTest {
  private static final BigInteger TWO63 = BigInteger.ONE.shiftLeft(63);
  private static final BigInteger TWO64 = BigInteger.ONE.shiftLeft(64);

  private static ComputeUnit unit;

  @TempDir Path dir;

  @BeforeContainer
  static void open() {
    unit = ComputeUnit.create();
  }

  @AfterContainer
  static void close() {
    unit.close();
  }

  @Provide
  Arbitrary<BigInteger> integers() {
    List<BigInteger> edges =
        List.of(
            BigInteger.ZERO,
            BigInteger.ONE,
            BigInteger.ONE.negate(),
            TWO63,
            TWO63.subtract(BigInteger.ONE),
            TWO63.add(BigInteger.ONE),
            TWO63.negate(),
            TWO63.negate().subtract(BigInteger.ONE),
            TWO64,
            TWO64.subtract(BigInteger.ONE),
            TWO64.negate(),
            TWO64.negate().subtract(BigInteger.ONE));
    Arbitrary<BigInteger> near =
        Arbitraries.of(edges)
            .flatMap(
                e -> Arbitraries.integers().between(-3, 3).map(d -> e.add(BigInteger.valueOf(d))));
    Arbitrary<BigInteger> wide =
        Arbitraries.integers()
            .between(0, 4096)
            .flatMap(
                bits ->
                    Arbitraries.randomValue(r -> new BigInteger(bits, r))
                        .flatMap(m -> Arbitraries.of(m, m.negate())));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.of(edges)),
        net.jqwik.api.Tuple.of(2, near),
        net.jqwik.api.Tuple.of(5, wide));
  }

  @Property(tries = 300)
  void aBigIntegerCrossesToLuaAndBackExactly(@ForAll("integers") BigInteger x) {
    unit.setInput(x);
    Object back = unit.compute("return _io.input");
    if (x.bitLength() <= 63) { // fits: a Lua integer, a Long again
      assertThat(back).isEqualTo(x.longValueExact());
      assertThat(unit.compute("return math.type(_io.input)")).isEqualTo("integer");
    } else {
      assertThat(back).isEqualTo(x);
      assertThat(unit.compute("return getmetatable(_io.input)")).isEqualTo("bigint");
    }
    assertThat(unit.compute("return require('bigint').new(_io.input) + 1"))
        .isEqualTo(x.add(BigInteger.ONE));
    assertThat(unit.compute("return tostring(_io.input)")).isEqualTo(x.toString());
  }

  @Test
  void aLuaBigintIsABigIntegerHoweverSmall() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return require('bigint').new(5)")).isEqualTo(BigInteger.valueOf(5));
      assertThat(cu.compute("return require('bigint').new(0)")).isEqualTo(BigInteger.ZERO);
      assertThat(cu.compute("return {n = require('bigint').new(2) ^ 100}"))
          .isEqualTo(Map.of("n", BigInteger.TWO.pow(100)));
      assertThat(cu.execute("local b = require('bigint') return b.new(-1), 7").values())
          .containsExactly(BigInteger.ONE.negate(), 7L);
      try (LuaFunction f = cu.load("local x = ... return x * x")) {
        assertThat(f.call(TWO64)).isEqualTo(TWO64.multiply(TWO64));
      }
    }
  }

  @Test
  void twoBigintKeysOfOneValueAreRefusedNotMerged() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(
              () ->
                  cu.compute(
                      "local B = require('bigint').new return {[B(2) ^ 70] = 'a', [B(2) ^ 70] = 'b'}"))
          .hasMessageContaining("a map has the key 1180591620717411303424 twice");
      assertThat(
              cu.compute(
                  "local B = require('bigint').new return {[B(2) ^ 70] = 'a', [B(3)] = 'b'}"))
          .isEqualTo(Map.of(BigInteger.TWO.pow(70), "a", BigInteger.valueOf(3), "b"));
    }
  }

  record Wallet(String owner, BigInteger wei, long count) {}

  @Test
  void recordsBindBigintsBothWays() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(new Wallet("a", BigInteger.TEN.pow(30), 3));
      assertThat(cu.compute("return getmetatable(_io.input.wei)")).isEqualTo("bigint");
      cu.compute("_io.output = {owner = 'b', wei = _io.input.wei * 2, count = 4}");
      assertThat(cu.getOutput(Wallet.class))
          .isEqualTo(new Wallet("b", BigInteger.TEN.pow(30).multiply(BigInteger.TWO), 4));
      cu.compute("_io.output = {owner = 'c', wei = 1, count = require('bigint').new(2) ^ 64}");
      assertThatThrownBy(() -> cu.getOutput(Wallet.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("out of range");
    }
  }

  @Test
  void aBigintStoredInHomeIsABigintAfterReopening() {
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).build()) {
      cu.compute(
          "local bigint = require('bigint') "
              + "_home.big = bigint.new(2) ^ 200 + 7 "
              + "_home.neg = -bigint.new(2) ^ 64 "
              + "_home.small = bigint.new(3) "
              + "_home.t = {zero = bigint.new(0), list = {bigint.new(-1)}} "
              + "local up = bigint.new(10) ^ 30 _home.f = function() return up + 1 end");
    }
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).build()) {
      assertThat(cu.compute("return _home.big"))
          .isEqualTo(BigInteger.TWO.pow(200).add(BigInteger.valueOf(7)));
      assertThat(cu.compute("return _home.neg")).isEqualTo(TWO64.negate());
      assertThat(cu.compute("return getmetatable(_home.small), _home.small + 1"))
          .isEqualTo(BigInteger.valueOf(4));
      assertThat(cu.compute("return getmetatable(_home.small)")).isEqualTo("bigint");
      assertThat(cu.compute("return _home.t.zero == require('bigint').new(0)")).isEqualTo(true);
      assertThat(cu.compute("return _home.t.list[1]")).isEqualTo(BigInteger.ONE.negate());
      assertThat(cu.compute("return _home.f()"))
          .as("a bigint upvalue of a stored function")
          .isEqualTo(BigInteger.TEN.pow(30).add(BigInteger.ONE));
      assertThat(cu.compute("return tostring(_home.big - 7)"))
          .isEqualTo(BigInteger.TWO.pow(200).toString());
    }
  }

  @Test
  void aBigintAsAHomeKeyIsRefusedAndChangesNothing() {
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).build()) {
      cu.compute("_home.x = 1");
      assertThatThrownBy(() -> cu.compute("_home[require('bigint').new(1)] = 2"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("external tables take string, number and boolean keys, not bigint");
      assertThat(cu.compute("local n = 0 for _ in pairs(_home) do n = n + 1 end return n"))
          .isEqualTo(1L);
    }
  }

  static final class Ledger {
    @LuaExport
    public String exact(BigInteger v) {
      return v.toString();
    }

    @LuaExport
    public long small(long v) {
      return v;
    }
  }

  @Test
  void hostFunctionsAndExportedMethodsTakeAndGiveBigints() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function("echo", args -> args.get(0))
            .function("kind", args -> args.get(0).getClass().getSimpleName())
            .function("twice", BigInteger.class, v -> v.shiftLeft(1))
            .function("asLong", Long.class, v -> v + 1)
            .function("huge", args -> TWO64)
            .expose("ledger", new Ledger())
            .build()) {
      assertThat(cu.compute("return echo(require('bigint').new(2) ^ 70)"))
          .isEqualTo(BigInteger.TWO.pow(70));
      // a small bigint arrives as a BigInteger; given back, it fits, so Lua gets an integer
      assertThat(cu.compute("return kind(require('bigint').new(9))")).isEqualTo("BigInteger");
      assertThat(cu.compute("return math.type(echo(require('bigint').new(9)))"))
          .isEqualTo("integer");
      assertThat(cu.compute("return twice(require('bigint').new(2) ^ 80)"))
          .isEqualTo(BigInteger.TWO.pow(81));
      assertThat(cu.compute("return twice(21)")).isEqualTo(42L);
      assertThat(cu.compute("return getmetatable(huge()), huge() - 1"))
          .isEqualTo(TWO64.subtract(BigInteger.ONE));
      assertThat(cu.compute("return asLong(require('bigint').new(41))")).isEqualTo(42L);
      assertThatThrownBy(() -> cu.compute("return asLong(require('bigint').new(2) ^ 64)"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("host function 'asLong' failed")
          .cause()
          .hasMessageContaining("out of range");
      assertThat(cu.compute("return ledger:exact(require('bigint').new(10) ^ 40)"))
          .isEqualTo(BigInteger.TEN.pow(40).toString());
      assertThat(cu.compute("return ledger:small(require('bigint').new(-3))")).isEqualTo(-3L);
      assertThatThrownBy(() -> cu.compute("return ledger:small(require('bigint').new(2) ^ 63)"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("bigint out of range");
    }
  }

  @Test
  void aBigintBeyondTheMemoryLimitIsAMemoryErrorAndTheUnitGoesOn() {
    try (ComputeUnit cu = ComputeUnit.builder().memoryLimit(4L << 20).build()) {
      BigInteger huge = BigInteger.ONE.shiftLeft(64 << 20); // 8 MiB of magnitude
      assertThatThrownBy(() -> cu.setInput(huge)).isInstanceOf(LuaMemoryException.class);
      cu.setInput(TWO64);
      assertThat(cu.compute("return _io.input + 1")).isEqualTo(TWO64.add(BigInteger.ONE));
    }
  }

  @Test
  void aDecimalWithoutFractionBeyond64BitsIsABigint() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.setInput(new BigDecimal("1E+25"));
      assertThat(cu.compute("return _io.input // 10")).isEqualTo(BigInteger.TEN.pow(24));
    }
  }
}
