package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Test;

/**
 * The built-in {@code bigint} module as scripts reach it, {@code require("bigint")}: every
 * operation on random operands of up to 4,096 bits against {@link BigInteger}, with operands
 * passed as decimal strings and results compared as the strings {@code tostring} writes; the
 * errors scripts see; and the unit's time and memory limits inside long operations.
 */
class BigintTest {
  private static final long MIB = 1L << 20;
  private static final long SLACK = 64 * 1024; // CU_HANDLER_SLACK, as LimitsTest

  private static ComputeUnit unit;

  /**
   * ops(a, b, e, s, base) returns the results of every operation on a and b, in the order {@link
   * #expected} lists them: e is a small exponent, s a shift count, base a base for tostring.
   */
  @BeforeContainer
  static void open() {
    unit = ComputeUnit.create();
    unit.compute(
        "local B = require('bigint')\n"
            + "local function s(x) return tostring(x) end\n"
            + "function ops(as, bs, e, sh, base)\n"
            + "  local a, b = B.new(as), B.new(bs)\n"
            + "  local ua, ub = B.abs(a), b:abs()\n"
            + "  local r = {s(a + b), s(a - b), s(a * b), s(a * a), s(-a), s(B.abs(a)),\n"
            + "             s(a < b), s(a <= b), s(a == b), s(a ^ e), s(B.sqrt(ua)), s(B.gcd(a, b)),\n"
            + "             s(ua & ub), s(ua | ub), s(ua ~ ub), s(ua << sh), s(ua >> sh),\n"
            + "             a:tostring(base), s(B.new(a:tostring(base), base) == a)}\n"
            + "  if b ~= B.new(0) then\n"
            + "    local q, m = B.divmod(a, b)\n"
            + "    r[#r + 1] = s(a // b) r[#r + 1] = s(a % b) r[#r + 1] = s(q) r[#r + 1] = s(m)\n"
            + "  end\n"
            + "  local ok, i = pcall(a.tointeger, a)\n"
            + "  r[#r + 1] = ok and math.tointeger(i) or 'out of range'\n"
            + "  r[#r + 1] = a:tonumber()\n"
            + "  return r\n"
            + "end\n"
            + "function powmod(as, es, ms)\n"
            + "  return tostring(B.powmod(B.new(as), B.new(es), B.new(ms)))\n"
            + "end");
  }

  @AfterContainer
  static void close() {
    unit.close();
  }

  /** What ops returns, worked out with BigInteger. */
  private static List<Object> expected(BigInteger a, BigInteger b, int e, int sh, int base) {
    List<Object> r = new ArrayList<>();
    BigInteger ua = a.abs();
    BigInteger ub = b.abs();
    r.add(a.add(b).toString());
    r.add(a.subtract(b).toString());
    r.add(a.multiply(b).toString());
    r.add(a.multiply(a).toString());
    r.add(a.negate().toString());
    r.add(ua.toString());
    r.add(String.valueOf(a.compareTo(b) < 0));
    r.add(String.valueOf(a.compareTo(b) <= 0));
    r.add(String.valueOf(a.equals(b)));
    r.add(a.pow(e).toString());
    r.add(ua.sqrt().toString());
    r.add(a.gcd(b).toString());
    r.add(ua.and(ub).toString());
    r.add(ua.or(ub).toString());
    r.add(ua.xor(ub).toString());
    r.add(ua.shiftLeft(sh).toString());
    r.add(ua.shiftRight(sh).toString());
    r.add(a.toString(base));
    r.add("true");
    if (b.signum() != 0) {
      BigInteger[] qr = floorDivMod(a, b);
      r.add(qr[0].toString());
      r.add(qr[1].toString());
      r.add(qr[0].toString());
      r.add(qr[1].toString());
    }
    r.add(a.bitLength() < 64 ? (Object) a.longValueExact() : "out of range");
    r.add(a.doubleValue());
    return r;
  }

  /** Lua's rules: the quotient rounds toward minus infinity, the remainder has b's sign. */
  private static BigInteger[] floorDivMod(BigInteger a, BigInteger b) {
    BigInteger[] qr = a.divideAndRemainder(b);
    if (qr[1].signum() != 0 && qr[1].signum() != b.signum()) {
      qr[0] = qr[0].subtract(BigInteger.ONE);
      qr[1] = qr[1].add(b);
    }
    return qr;
  }

  /**
   * Operands of up to 4,096 bits: random lengths, both signs, zero and small values, powers of
   * two and their neighbours (all ones: long carries and borrows), and limb boundaries.
   */
  @Provide
  Arbitrary<BigInteger> operands() {
    Arbitrary<BigInteger> random =
        Arbitraries.integers()
            .between(0, 4096)
            .flatMap(
                bits ->
                    Arbitraries.randomValue((Random rnd) -> new BigInteger(bits, rnd))
                        .flatMap(x -> Arbitraries.of(x, x.negate())));
    Arbitrary<BigInteger> powers =
        Arbitraries.integers()
            .between(0, 4096)
            .flatMap(
                k ->
                    Arbitraries.of(
                        BigInteger.ONE.shiftLeft(k),
                        BigInteger.ONE.shiftLeft(k).subtract(BigInteger.ONE),
                        BigInteger.ONE.shiftLeft(k).add(BigInteger.ONE),
                        BigInteger.ONE.shiftLeft(k).negate(),
                        BigInteger.ONE.shiftLeft(k).subtract(BigInteger.ONE).negate()));
    Arbitrary<BigInteger> limbs =
        Arbitraries.integers()
            .between(1, 128)
            .flatMap(
                n ->
                    Arbitraries.of(
                        BigInteger.ONE.shiftLeft(32 * n).subtract(BigInteger.ONE),
                        BigInteger.ONE.shiftLeft(32 * n - 1),
                        BigInteger.ONE.shiftLeft(32 * n).subtract(BigInteger.ONE.shiftLeft(32))));
    Arbitrary<BigInteger> small = Arbitraries.longs().between(-3, 3).map(BigInteger::valueOf);
    Arbitrary<BigInteger> longs = Arbitraries.longs().map(BigInteger::valueOf);
    return Arbitraries.frequencyOf(
        Tuple.of(6, random),
        Tuple.of(3, powers),
        Tuple.of(1, limbs),
        Tuple.of(1, small),
        Tuple.of(1, longs));
  }

  @Property(tries = 1000)
  void everyOperationAgreesWithBigInteger(
      @ForAll("operands") BigInteger a,
      @ForAll("operands") BigInteger b,
      @ForAll @IntRange(min = 0, max = 9) int e,
      @ForAll @IntRange(min = 0, max = 300) int sh,
      @ForAll @IntRange(min = 2, max = 36) int base) {
    Object got = unit.call("ops", a.toString(), b.toString(), (long) e, (long) sh, (long) base);
    assertThat(got).isEqualTo(expected(a, b, e, sh, base));
  }

  /** Dividends just around multiples of the divisor: the corrections of Knuth's estimates. */
  @Property(tries = 200)
  void divisionAgreesWithBigIntegerNearMultiples(
      @ForAll("operands") BigInteger q,
      @ForAll("operands") BigInteger d,
      @ForAll @IntRange(min = -2, max = 2) int off) {
    if (d.signum() == 0) {
      d = BigInteger.TWO;
    }
    BigInteger a = q.multiply(d).add(BigInteger.valueOf(off));
    Object got =
        unit.compute(
            "local B = require('bigint') local q, r = B.divmod(B.new('"
                + a
                + "'), B.new('"
                + d
                + "')) return {tostring(q), tostring(r)}");
    BigInteger[] qr = floorDivMod(a, d);
    assertThat(got).isEqualTo(List.of(qr[0].toString(), qr[1].toString()));
  }

  /** powmod with a 4,096-bit modulus and an exponent of up to 512 bits, both signs of m. */
  @Property(tries = 200)
  void powmodAgreesWithBigInteger(
      @ForAll("operands") BigInteger b, @ForAll("operands") BigInteger m, @ForAll Random rnd) {
    if (m.signum() == 0) {
      m = BigInteger.valueOf(7);
    }
    BigInteger e = new BigInteger(rnd.nextInt(513), rnd);
    BigInteger r = b.modPow(e, m.abs());
    if (m.signum() < 0 && r.signum() != 0) {
      r = r.add(m);
    }
    assertThat(unit.call("powmod", b.toString(), e.toString(), m.toString()))
        .isEqualTo(r.toString());
  }

  @Test
  void requireFindsTheBuiltInModuleWithoutAModuleLoader() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("local B = require('bigint') return tostring(B.new(2) ^ 100)"))
          .isEqualTo("1267650600228229401496703205376");
      assertThat(cu.compute("return require('bigint') == require('bigint')")).isEqualTo(true);
      assertThat(cu.compute("return require('bigint').new('0xff'):tointeger()")).isEqualTo(255L);
    }
  }

  @Test
  void badInputIsALuaErrorWithAClearMessage() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThat(cu.compute("return select(2, pcall(require('bigint').new, '12x4'))"))
          .isEqualTo("bigint.new: invalid digit at position 3 for base 10");
      assertThatThrownBy(() -> cu.compute("return require('bigint').new(1) // 0"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("bigint: division by zero");
      assertThatThrownBy(() -> cu.compute("return require('bigint').sqrt(-4)"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("bigint.sqrt: negative argument");
      assertThatThrownBy(() -> cu.compute("return (require('bigint').new(2) ^ 64):tointeger()"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("bigint.tointeger: value out of integer range");
    }
  }

  /** 3^10,000,000 squares numbers of a quarter of a million limbs: only a stop ends it soon. */
  private static final String HUGE_POWER =
      "local B = require('bigint') print('go') local x = B.new(3) ^ 10000000";

  @Test
  void theTimeLimitStopsAHugePower() throws Exception {
    Stops.assertStops(Stops.Kind.TIME_LIMIT, HUGE_POWER);
  }

  @Test
  void theInstructionLimitStopsAHugePower() throws Exception {
    Stops.assertStops(Stops.Kind.INSTRUCTION_LIMIT, HUGE_POWER);
  }

  @Test
  void interruptStopsAHugePower() throws Exception {
    Stops.assertStops(Stops.Kind.INTERRUPT, HUGE_POWER);
  }

  /**
   * A powmod with an odd modulus of 317,000 bits (Montgomery multiplication) and an exponent as
   * long: hours of products, which only a stop ends soon.
   */
  private static final String HUGE_POWMOD =
      "local B = require('bigint') local m = B.new(3) ^ 200000 print('go') "
          + "return B.powmod(m - 2, m - 1, m)";

  @Test
  void theTimeLimitStopsAHugePowmod() throws Exception {
    Stops.assertStops(Stops.Kind.TIME_LIMIT, HUGE_POWMOD);
  }

  @Test
  void interruptStopsAHugePowmod() throws Exception {
    Stops.assertStops(Stops.Kind.INTERRUPT, HUGE_POWMOD);
  }

  @Test
  void theTimeLimitStopsALongConversionToText() throws Exception {
    Stops.assertStops(
        Stops.Kind.TIME_LIMIT,
        "local B = require('bigint') local x = B.new(7) << 4000000 print('go') "
            + "return #tostring(x)");
  }

  @Test
  void aResultBeyondTheMemoryLimitIsAMemoryErrorAndTheUnitGoesOn() {
    long limit = 16 * MIB;
    try (ComputeUnit cu = ComputeUnit.builder().memoryLimit(limit).build()) {
      assertThatThrownBy(() -> cu.compute("return require('bigint').new(2) ^ (1 << 29)"))
          .isInstanceOf(LuaMemoryException.class);
      assertThat(cu.getMemoryStats().peak()).isLessThanOrEqualTo(limit + SLACK);
      assertThat(
              cu.compute(
                  "local B = require('bigint') "
                      + "local ok, err = pcall(function() return B.new(1) << (1 << 30) end) "
                      + "return err"))
          .isEqualTo("not enough memory");
      assertThat(cu.getMemoryStats().peak()).isLessThanOrEqualTo(limit + SLACK);
      assertThat(cu.compute("return tostring(require('bigint').new(10) ^ 20)"))
          .isEqualTo("100000000000000000000");
    }
  }

  @Test
  void aWithinLimitComputationSucceedsUnderTheTimeLimit() {
    try (ComputeUnit cu = ComputeUnit.builder().timeLimit(Duration.ofSeconds(10)).build()) {
      BigInteger f = BigInteger.ONE;
      for (int i = 2; i <= 1000; i++) {
        f = f.multiply(BigInteger.valueOf(i));
      }
      assertThat(
              cu.compute(
                  "local B = require('bigint') local f = B.new(1) "
                      + "for i = 2, 1000 do f = f * i end return tostring(f)"))
          .isEqualTo(f.toString());
    }
  }
}
