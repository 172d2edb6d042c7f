package dev.cu.bench;

import dev.cu.ComputeUnit;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * The built-in {@code json} module inside Lua, in µs per op. The data is the resource {@code
 * dev/cu/bench/json/data.lua}, which {@code bench/json-cjson} runs under lua-cjson too: a typical
 * customer object (nested maps, short arrays, about 1 KB of JSON) and an array of 1,500 flat
 * records (about 100 KB), and a document of ten such customer objects under a small envelope
 * (about 10 KB). One op is one {@code json.encode} or {@code json.decode} of the whole value in
 * Lua; the object's ops run 100 to a call ({@code ComputeUnit.call} of a Lua loop), the
 * document's 10, the records' one, so the Java-to-Lua call (see {@code CallBenchmark}) is a small
 * part of the 1 KB figures and none of what is compared. Default unit (256 MiB, interruptible).
 *
 * <p>The document's anchors {@code lua_encodeDoc10k} and {@code lua_decodeDoc10k} are lua-cjson
 * on Debian's standalone {@code lua5.4}, timed outside JMH by {@link CjsonAnchor} on the same
 * data and operations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class JsonBenchmark {
  /** Ops per call for the 1 KB object. */
  public static final int OBJECT_OPS = 100;

  /** Ops per call for the 10 KB document. */
  public static final int DOC_OPS = 10;

  /** Defines the data, its texts and the loops; {@code DATA} is the resource's value. */
  static final String SETUP =
      "json = require('json')\n"
          + "OBJECT, RECORDS = DATA.object, DATA.records\n"
          + "OBJECT_TEXT, RECORDS_TEXT = json.encode(OBJECT), json.encode(RECORDS)\n"
          + "DOC = DATA.document\n"
          + "DOC_TEXT = json.encode(DOC)\n"
          + "function encodeLoop(v, n) local s for _ = 1, n do s = json.encode(v) end return #s end\n"
          + "function decodeLoop(s, n) local v for _ = 1, n do v = json.decode(s) end return v end\n"
          + "function encodeObject(n) return encodeLoop(OBJECT, n) end\n"
          + "function decodeObject(n) return #decodeLoop(OBJECT_TEXT, n).orders end\n"
          + "function encodeDoc(n) return encodeLoop(DOC, n) end\n"
          + "function decodeDoc(n) return #decodeLoop(DOC_TEXT, n).customers end\n"
          + "function encodeRecords() return encodeLoop(RECORDS, 1) end\n"
          + "function decodeRecords() return #decodeLoop(RECORDS_TEXT, 1) end";

  private ComputeUnit unit;

  /** The source of the data chunk, shared with {@code bench/json-cjson}. */
  public static String dataSource() {
    try (InputStream in = JsonBenchmark.class.getResourceAsStream("json/data.lua")) {
      if (in == null) {
        throw new IllegalStateException("no resource dev/cu/bench/json/data.lua");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    unit = ComputeUnit.create();
    unit.execute("data.lua", "DATA = (function()\n" + dataSource() + "\nend)()");
    unit.compute(SETUP);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    unit.close();
  }

  /** The encoded sizes of the object, of the records and of the document, in bytes. */
  public Object sizes() {
    return unit.execute("return #OBJECT_TEXT, #RECORDS_TEXT, #DOC_TEXT").values();
  }

  @Benchmark
  @OperationsPerInvocation(OBJECT_OPS)
  public Object cu_encodeObject1k() {
    return unit.call("encodeObject", OBJECT_OPS);
  }

  @Benchmark
  @OperationsPerInvocation(OBJECT_OPS)
  public Object cu_decodeObject1k() {
    return unit.call("decodeObject", OBJECT_OPS);
  }

  @Benchmark
  @OperationsPerInvocation(DOC_OPS)
  public Object cu_encodeDoc10k() {
    return unit.call("encodeDoc", DOC_OPS);
  }

  @Benchmark
  @OperationsPerInvocation(DOC_OPS)
  public Object cu_decodeDoc10k() {
    return unit.call("decodeDoc", DOC_OPS);
  }

  @Benchmark
  public Object cu_encodeRecords100k() {
    return unit.call("encodeRecords");
  }

  @Benchmark
  public Object cu_decodeRecords100k() {
    return unit.call("decodeRecords");
  }
}
