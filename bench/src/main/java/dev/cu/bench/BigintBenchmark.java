package dev.cu.bench;

import dev.cu.ComputeUnit;
import java.math.BigInteger;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code bigint} module inside Lua against {@code java.math.BigInteger} on the same operands,
 * in ns per op: a 1,024-bit by 1,024-bit multiplication and a 2,048-bit {@code powmod} (base,
 * exponent and modulus of 2,048 bits, the modulus odd). The operands come from a fixed seed. cu's
 * multiplications run {@link #MUL_OPS} to a call (a Lua loop), so the Java-to-Lua call is a small
 * part of the figure; a {@code powmod} is long enough to run one per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class BigintBenchmark {
  /** Multiplications per call. */
  public static final int MUL_OPS = 200;

  private ComputeUnit unit;
  private BigInteger a;
  private BigInteger b;
  private BigInteger base;
  private BigInteger exponent;
  private BigInteger modulus;

  @Setup(Level.Trial)
  public void setUp() {
    Random r = new Random(20261203);
    a = new BigInteger(1024, r).setBit(1023);
    b = new BigInteger(1024, r).setBit(1023);
    modulus = new BigInteger(2048, r).setBit(2047).setBit(0);
    base = new BigInteger(2048, r).mod(modulus);
    exponent = new BigInteger(2048, r).setBit(2047);
    unit = ComputeUnit.create();
    unit.compute(
        "bigint = require('bigint')\n"
            + "A, B = bigint.new('"
            + a
            + "'), bigint.new('"
            + b
            + "')\n"
            + "BASE, EXP, MOD = bigint.new('"
            + base
            + "'), bigint.new('"
            + exponent
            + "'), bigint.new('"
            + modulus
            + "')\n"
            + "function mul(n) local c for _ = 1, n do c = A * B end return tostring(c) end\n"
            + "function powmod() return tostring(bigint.powmod(BASE, EXP, MOD)) end");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    unit.close();
  }

  /** The product, as a decimal string. */
  public String product() {
    return a.multiply(b).toString();
  }

  /** The power, as a decimal string. */
  public String power() {
    return base.modPow(exponent, modulus).toString();
  }

  @Benchmark
  @OperationsPerInvocation(MUL_OPS)
  public Object cu_mul1024() {
    return unit.call("mul", MUL_OPS);
  }

  @Benchmark
  public BigInteger java_mul1024() {
    return a.multiply(b);
  }

  @Benchmark
  public Object cu_powmod2048() {
    return unit.call("powmod");
  }

  @Benchmark
  public BigInteger java_powmod2048() {
    return base.modPow(exponent, modulus);
  }
}
