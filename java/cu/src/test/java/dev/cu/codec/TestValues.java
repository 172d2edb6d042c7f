package dev.cu.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Random plain values for round-trip properties (Long, Double including NaN and infinities,
 * String, byte[], Boolean, null, List, Map with String or Long keys), a deep equality that
 * compares byte[] by content and doubles like {@link Double#compare}, and the normalisation a
 * Lua round trip applies.
 */
public final class TestValues {
  private TestValues() {}

  static Arbitrary<Object> scalars() {
    Arbitrary<Object> longs =
        Arbitraries.oneOf(
                Arbitraries.longs(),
                Arbitraries.longs().between(-30, 30),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE))
            .map(x -> (Object) x);
    Arbitrary<Object> doubles =
        Arbitraries.oneOf(
                Arbitraries.doubles(),
                Arbitraries.of(
                    Double.NaN,
                    Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY,
                    -0.0,
                    0.0,
                    3.0,
                    Double.MIN_VALUE,
                    Double.MAX_VALUE))
            .map(x -> (Object) x);
    Arbitrary<Object> strings =
        Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(10),
                Arbitraries.of("", "é", "\uD83D\uDE00", "日本", "a\u0000b"))
            .map(x -> (Object) x);
    Arbitrary<Object> bytes =
        Arbitraries.bytes().array(byte[].class).ofMaxSize(8).map(x -> (Object) x);
    Arbitrary<Object> booleans = Arbitraries.of(true, false).map(x -> (Object) x);
    return Arbitraries.oneOf(longs, doubles, strings, bytes, booleans).injectNull(0.05);
  }

  private static Arbitrary<Object> keys() {
    return Arbitraries.oneOf(
            Arbitraries.strings().withCharRange('a', 'e').ofMaxLength(3),
            Arbitraries.strings().numeric().ofLength(1),
            Arbitraries.longs().between(-2, 5),
            Arbitraries.longs())
        .map(x -> (Object) x);
  }

  /** Values nested at most {@code depth} containers deep. */
  public static Arbitrary<Object> values(int depth) {
    Arbitrary<Object> scalar = scalars();
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<Object> child = values(depth - 1);
    Arbitrary<Object> list = child.list().ofMaxSize(4).map(x -> (Object) x);
    Arbitrary<Object> map =
        Arbitraries.maps(keys(), child).ofMaxSize(4).map(m -> (Object) new LinkedHashMap<>(m));
    return Arbitraries.frequencyOf(Tuple.of(3, scalar), Tuple.of(1, list), Tuple.of(1, map));
  }

  /** Equality of decoded values: byte[] by content, doubles by {@link Double#compare}. */
  public static boolean deepEquals(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    if (a instanceof Double x && b instanceof Double y) {
      return Double.compare(x, y) == 0;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!deepEquals(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !deepEquals(e.getValue(), y.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    return a.getClass() == b.getClass() && a.equals(b);
  }

  /** A readable form for failure messages (byte[] shown by content). */
  public static String show(Object v) {
    if (v instanceof byte[] b) {
      return "bytes" + Arrays.toString(b);
    }
    if (v instanceof List<?> l) {
      return l.stream().map(TestValues::show).toList().toString();
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      m.forEach((k, x) -> sb.append(show(k)).append('=').append(show(x)).append(", "));
      return sb.append('}').toString();
    }
    return String.valueOf(v);
  }

  /**
   * What a Java value becomes after Java -> Lua -> Java: a byte[] that is valid UTF-8 comes back
   * as a String; a List comes back as a List of the same length, empty or not, a null element in
   * place (it is {@code json.null} in Lua); a null Map value vanishes; a Map whose remaining keys
   * are exactly 1..n (n >= 1) comes back as a List, any other (also an empty one) as a Map.
   */
  public static Object throughLua(Object v) {
    if (v instanceof byte[] b) {
      return utf8(b) ? new String(b, StandardCharsets.UTF_8) : b;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object x : l) {
        out.add(throughLua(x));
      }
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> t = new LinkedHashMap<>();
      m.forEach(
          (k, x) -> {
            if (x != null) {
              t.put(throughLua(k), throughLua(x));
            }
          });
      return table(t);
    }
    return v;
  }

  private static Object table(Map<Object, Object> t) {
    int n = t.size();
    for (long i = 1; i <= n; i++) {
      if (!t.containsKey(i)) {
        return t;
      }
    }
    if (n == 0) {
      return t;
    }
    List<Object> list = new ArrayList<>(n);
    for (long i = 1; i <= n; i++) {
      list.add(t.get(i));
    }
    return list;
  }

  private static boolean utf8(byte[] b) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
