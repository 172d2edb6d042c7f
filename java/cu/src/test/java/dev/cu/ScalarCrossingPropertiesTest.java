package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Differential: the same scalars give the same values whether they cross in the slots or as
 * CBOR (a table beside them sends everything as CBOR), in both directions: a Lua function
 * called from Java, and a host function called from Lua.
 */
class ScalarCrossingPropertiesTest {
  private static ComputeUnit unit;
  private static LuaFunction echo;
  private static LuaFunction throughHost;

  @BeforeContainer
  static void open() {
    unit = ComputeUnit.builder().function("hostEcho", args -> Varargs.of(args.toArray())).build();
    echo = unit.load("return ...");
    throughHost = unit.load("return hostEcho(...)");
  }

  @AfterContainer
  static void close() {
    unit.close();
  }

  @Property(tries = 300)
  void slotsAndCborAgreeOnLuaFunctionCalls(@ForAll("scalars") List<Object> values) {
    assertBothPathsGiveBack(echo, values);
  }

  @Property(tries = 300)
  void slotsAndCborAgreeOnHostFunctionCalls(@ForAll("scalars") List<Object> values) {
    assertBothPathsGiveBack(throughHost, values);
  }

  /** {@code f} gives {@code values} back alone (the slots) and beside a table (CBOR). */
  private static void assertBothPathsGiveBack(LuaFunction f, List<Object> values) {
    Object[] in = values.toArray();
    List<Object> viaSlots = f.callAll(in);
    List<Object> viaCbor = withTable(f, in);
    assertThat(shown(viaSlots)).isEqualTo(shown(viaCbor)).isEqualTo(shown(normalized(values)));
  }

  @Property(tries = 200)
  void lastValueAgreesWithCallAll(@ForAll("scalars") List<Object> values) {
    Object last = echo.call(values.toArray());
    List<Object> all = echo.callAll(values.toArray());
    Object expected = all.isEmpty() ? null : all.get(all.size() - 1);
    assertThat(shown(java.util.Arrays.asList(last)))
        .isEqualTo(shown(java.util.Arrays.asList(expected)));
  }

  /** The values passed with an empty table after them, which then is dropped from the result. */
  private static List<Object> withTable(LuaFunction f, Object[] in) {
    Object[] more = java.util.Arrays.copyOf(in, in.length + 1);
    more[in.length] = Map.of();
    List<Object> out = new ArrayList<>(f.callAll(more));
    out.remove(out.size() - 1);
    return out;
  }

  /**
   * What Lua gives back for each value: integers as Long, floats as Double, a string as its
   * UTF-8 bytes decode (unpaired surrogates become '?'), bytes that are UTF-8 as a String.
   */
  private static List<Object> normalized(List<Object> values) {
    List<Object> out = new ArrayList<>();
    for (Object v : values) {
      if (v instanceof Integer i) {
        out.add((long) i);
      } else if (v instanceof Float f) {
        out.add((double) f);
      } else if (v instanceof String str) {
        out.add(new String(str.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
      } else if (v instanceof byte[] b && utf8(b)) {
        out.add(new String(b, StandardCharsets.UTF_8));
      } else {
        out.add(v);
      }
    }
    return out;
  }

  private static boolean utf8(byte[] b) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** Comparable text of values: byte arrays by content, doubles by their bits. */
  private static List<String> shown(List<Object> values) {
    List<String> out = new ArrayList<>();
    for (Object v : values) {
      if (v instanceof byte[] b) {
        out.add("bytes:" + HexFormat.of().formatHex(b));
      } else if (v instanceof Double d) {
        out.add("double:" + Long.toHexString(Double.doubleToRawLongBits(d)));
      } else {
        out.add(v == null ? "nil" : v.getClass().getSimpleName() + ":" + v);
      }
    }
    return out;
  }

  @Provide
  Arbitrary<List<Object>> scalars() {
    Arbitrary<Object> one =
        Arbitraries.oneOf(
            Arbitraries.just(null),
            Arbitraries.of(true, false).map(x -> (Object) x),
            Arbitraries.longs().map(x -> (Object) x),
            Arbitraries.integers().map(x -> (Object) x),
            Arbitraries.doubles().map(x -> (Object) x),
            Arbitraries.of(Double.NaN, -0.0, Double.NEGATIVE_INFINITY).map(x -> (Object) x),
            Arbitraries.floats().map(x -> (Object) x),
            Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMaxLength(40).map(x -> (Object) x),
            Arbitraries.strings().ofMaxLength(300).map(x -> (Object) x),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(20).map(x -> (Object) x));
    return one.list().ofMaxSize(20);
  }
}
