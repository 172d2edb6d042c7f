package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * JSON-like values (lists with nulls, empty lists, nested maps with string keys and non-null
 * values, scalars) come back from Lua exactly as they went in, through {@code _io}, through a
 * call's argument and result, and through {@code json.encode} then {@code json.decode} in Lua.
 * One unit takes all values of a property.
 */
class ArraysAndNullsPropertiesTest {
  private static ComputeUnit unit;

  @BeforeContainer
  static void open() {
    unit = ComputeUnit.create();
    unit.compute(
        "json = require('json')\n"
            + "function same(x) return x end\n"
            + "function viaJson(x) return json.decode(json.encode(x)) end");
  }

  @AfterContainer
  static void close() {
    unit.close();
  }

  private static Arbitrary<Object> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.longs().map(x -> (Object) x),
        Arbitraries.longs().between(-3, 3).map(x -> (Object) x),
        Arbitraries.doubles().map(x -> (Object) x),
        Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMaxLength(6).map(x -> (Object) x),
        Arbitraries.of(true, false).map(x -> (Object) x));
  }

  /** JSON-like values nested at most {@code depth} containers deep. */
  private static Arbitrary<Object> jsonLike(int depth) {
    Arbitrary<Object> scalar = scalars();
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<Object> child = jsonLike(depth - 1);
    Arbitrary<Object> list = child.injectNull(0.3).list().ofMaxSize(4).map(x -> (Object) x);
    Arbitrary<Object> map =
        Arbitraries.maps(Arbitraries.strings().withCharRange('a', 'f').ofMaxLength(3), child)
            .ofMaxSize(4)
            .map(m -> (Object) new LinkedHashMap<>(m));
    return Arbitraries.frequencyOf(Tuple.of(2, scalar), Tuple.of(2, list), Tuple.of(1, map));
  }

  @Provide
  Arbitrary<Object> values() {
    return jsonLike(4);
  }

  @Property(tries = 400)
  void ioRoundTripKeepsTheValue(@ForAll("values") Object v) {
    unit.setInput(v);
    unit.compute("_io.output = _io.input");
    assertThat(unit.getOutput()).isEqualTo(v);
  }

  @Property(tries = 400)
  void callRoundTripKeepsTheValue(@ForAll("values") Object v) {
    assertThat(unit.call("same", v)).isEqualTo(v);
  }

  @Property(tries = 400)
  void jsonInLuaKeepsTheValue(@ForAll("values") Object v) {
    assertThat(unit.call("viaJson", v)).isEqualTo(v);
  }
}
