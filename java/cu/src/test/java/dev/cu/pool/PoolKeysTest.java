package dev.cu.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class PoolKeysTest {
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  /** Kept bytes and escapes with upper-case hex: distinct names stay distinct ignoring case. */
  private static final Pattern ESCAPED = Pattern.compile("k\\.([a-z0-9.-]|_[0-9A-F]{2})+");

  private static final Pattern DIGEST = Pattern.compile("h\\.[0-9a-f]{64}");

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMinLength(1).ofMaxLength(60),
        Arbitraries.strings()
            .all()
            .ofMinLength(1)
            .ofMaxLength(200)
            .filter(PoolKeysTest::wellFormed),
        Arbitraries.strings().withChars("aA_.-/@:").ofMinLength(1).ofMaxLength(140));
  }

  @Property(tries = 2000)
  void everyKeyHasAValidNamespaceThatGivesItBack(@ForAll("keys") String key) {
    String ns = PoolKeys.namespace(key);
    assertThat(ns).matches(NAMESPACE);
    if (PoolKeys.isDigest(ns)) {
      assertThat(ns).matches(DIGEST);
      assertThat(PoolKeys.keyOf(ns)).isNull();
    } else {
      assertThat(ns).matches(ESCAPED);
      assertThat(PoolKeys.keyOf(ns)).isEqualTo(key);
    }
  }

  @Property(tries = 1000)
  void differentKeysHaveDifferentNamespaces(@ForAll("keys") String a, @ForAll("keys") String b) {
    if (!a.equals(b)) {
      assertThat(PoolKeys.namespace(a)).isNotEqualToIgnoringCase(PoolKeys.namespace(b));
    }
  }

  @Property(tries = 1000)
  void onlyCanonicalNamespacesNameAKey(@ForAll @StringLength(max = 40) String tail) {
    String ns = PoolKeys.ESCAPED + tail;
    String key = PoolKeys.keyOf(ns);
    if (key != null) {
      assertThat(PoolKeys.namespace(key)).isEqualTo(ns);
    }
  }

  @Test
  void knownMappings() {
    assertThat(PoolKeys.namespace("alice@example.com")).isEqualTo("k.alice_40example.com");
    assertThat(PoolKeys.namespace("Alice")).isEqualTo("k._41lice");
    assertThat(PoolKeys.namespace("a/b")).isEqualTo("k.a_2Fb");
    assertThat(PoolKeys.namespace("é")).isEqualTo("k._C3_A9");
    assertThat(PoolKeys.keyOf("k._41lice")).isEqualTo("Alice");
    assertThat(PoolKeys.keyOf("k._61")).isNull(); // 'a' is never escaped
    assertThat(PoolKeys.keyOf("k._4")).isNull();
    assertThat(PoolKeys.keyOf("k._C3")).isNull(); // not UTF-8
    assertThat(PoolKeys.keyOf("k.")).isNull();
    assertThat(PoolKeys.keyOf("default")).isNull();
    String atLimit = "a".repeat(PoolKeys.MAX_ESCAPED);
    assertThat(PoolKeys.namespace(atLimit)).isEqualTo("k." + atLimit);
    assertThat(PoolKeys.isDigest(PoolKeys.namespace(atLimit + "a"))).isTrue();
  }

  @Test
  void badKeysAreRefused() {
    assertThatThrownBy(() -> PoolKeys.namespace(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PoolKeys.namespace("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PoolKeys.namespace("a\udc00b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("surrogate");
  }

  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
