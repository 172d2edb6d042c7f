package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile scripts against exposed Java objects: each tries to reach something beyond the
 * exported methods (the class, fields, other methods, the metatable, the object's identity, the
 * store, a Java exception's message) and gets exactly the result or error asserted here.
 */
class ExposedObjectHostileTest {
  private static final String SECRET = "s3cr3t-token";

  /** A class with tempting public and private members. */
  static final class Vault {
    public String publicField = SECRET;
    private String privateField = SECRET;
    private long opened;

    @LuaExport
    public long open() {
      return ++opened;
    }

    @LuaExport
    public void leak() {
      throw new IllegalStateException("failed with " + SECRET, new RuntimeException(SECRET));
    }

    public String secret() {
      return SECRET + privateField;
    }

    @Override
    public String toString() {
      return SECRET;
    }

    @Override
    public int hashCode() {
      return 42;
    }
  }

  static final class Other {
    @LuaExport
    public long other() {
      return 1;
    }
  }

  private final Vault vault = new Vault();
  private ComputeUnit cu;

  @BeforeEach
  void open() {
    cu = ComputeUnit.builder().expose("v", vault).expose("o", new Other()).build();
  }

  @AfterEach
  void close() {
    cu.close();
  }

  /** The values of {@code code}, or "error: message" when it fails. */
  private List<Object> run(String code) {
    try {
      return new ArrayList<>(cu.execute(code).values());
    } catch (LuaRuntimeException e) {
      return List.of("error: " + e.getMessage());
    }
  }

  private void assertError(String code, String message) {
    assertThat(run(code)).containsExactly("error: compute:1: " + message);
  }

  @Test
  void theMetatableIsHidden() {
    assertThat(run("return getmetatable(v)")).containsExactly("Java object");
    assertThat(run("return getmetatable(v).__index, getmetatable(v).__gc"))
        .containsExactly(null, null);
    assertError(
        "return setmetatable(v, {})",
        "bad argument #1 to 'setmetatable' (table expected, got Java object)");
    assertError(
        "return rawset(v, 'open', print)",
        "bad argument #1 to 'rawset' (table expected, got Java object)");
    assertError(
        "return rawget(v, 'open')",
        "bad argument #1 to 'rawget' (table expected, got Java object)");
    assertError(
        "return rawlen(v)",
        "bad argument #1 to 'rawlen' (table or string expected, got Java object)");
    assertThat(run("return debug, type(v)")).containsExactly(null, "userdata");
  }

  @Test
  void javaMembersAreNotReachable() {
    assertThat(
            run(
                "return v.getClass, v.class, v.toString, v.hashCode, v.wait, v.notify, "
                    + "v.equals, v.publicField, v.privateField, v.opened, v.secret, "
                    + "v[1], v[true], v.open ~= nil"))
        .containsExactly(
            null, null, null, null, null, null, null, null, null, null, null, null, null, true);
    assertError("return v:getClass()", "attempt to call a nil value (method 'getClass')");
    assertError("return v:secret()", "attempt to call a nil value (method 'secret')");
    assertError("v.publicField = 'x'", "cannot set a field of a Java object");
    assertError("v.open = print", "cannot set a field of a Java object");
    assertThat(run("return v:open()")).containsExactly(1L);
  }

  @Test
  void theObjectCannotBeIterated() {
    assertError(
        "for k in pairs(v) do end",
        "bad argument #1 to 'for iterator' (table expected, got Java object)");
    assertError("return next(v)", "bad argument #1 to 'next' (table expected, got Java object)");
    assertThat(run("local n = 0 for _ in ipairs(v) do n = n + 1 end return n")).containsExactly(0L);
    assertError("return #v", "attempt to get length of a Java object value (global 'v')");
    assertError("return v()", "attempt to call a Java object value (global 'v')");
    assertError("return v .. ''", "attempt to concatenate a Java object value (global 'v')");
    assertError("return v < v", "attempt to compare two Java object values");
  }

  @Test
  void tostringShowsTheSimpleNameOnly() {
    assertThat(run("return tostring(v), string.format('%s', v), tostring(o)"))
        .containsExactly("Vault", "Vault", "Other");
    List<Object> p = run("return string.format('%p', v)");
    String address = (String) p.get(0);
    // %p shows where Lua keeps the userdata, as for any table; nothing of the Java object
    assertThat(address)
        .matches("0x[0-9a-f]+")
        .doesNotContain(Integer.toHexString(System.identityHashCode(vault)));
    assertThat(run("error(v)")).containsExactly("error: Vault");
  }

  @Test
  void aForgedSelfIsRefused() {
    assertError(
        "return v.open({})",
        "bad self for method 'open' (Vault expected, got table; call it as obj:open(...))");
    assertError(
        "return v.open(o)",
        "bad self for method 'open' (Vault expected, got Other; call it as obj:open(...))");
    assertError(
        "return v.open(nil)",
        "bad self for method 'open' (Vault expected, got nil; call it as obj:open(...))");
    assertError(
        "return v.open()",
        "bad self for method 'open' (Vault expected, got no value; call it as obj:open(...))");
    assertError(
        "local t = setmetatable({}, {__index = v}) return t:open()",
        "bad self for method 'open' (Vault expected, got table; call it as obj:open(...))");
    assertThat(run("local f = v.open return f(v)")).containsExactly(1L);
  }

  @Test
  void anObjectCannotBeStoredInHome() {
    assertError("_home.v = v", "cannot store a Java object in an external table");
    assertError("_home.t = {inner = {v}}", "cannot store a Java object in an external table");
    assertThat(run("return _home.v, _home.t")).containsExactly(null, null);
    assertError(
        "return require('json').encode({v})",
        "json.encode: cannot encode a value of type userdata");
  }

  @Test
  void anExceptionMessageNeverReachesTheScript() {
    List<Object> r =
        run(
            "local ok, e = pcall(v.leak, v) "
                + "local ok2, e2 = xpcall(function() v:leak() end, function(m) return m end) "
                + "return e, e2");
    assertThat(r).containsExactly("method 'leak' failed", "compute:1: method 'leak' failed");
    assertThat(Arrays.toString(r.toArray())).doesNotContain(SECRET);
  }

  @Test
  void forgedReferencesInJavaInputReachNoObject() {
    cu.setInputCbor(objectRef(99, 0)); // no object has id 99
    assertError("return _io.input:open()", "method 'open' failed");
    cu.setInputCbor(objectRef(98, 7)); // no class has index 7
    assertError("return _io.input:open()", "Java object: cannot describe the object's class");
    // the vault (id 1, class 0) claimed as an Other (class 1): refused while Lua holds it ...
    assertThatThrownBy(() -> cu.setInputCbor(objectRef(1, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("object of another class");
    // ... and by Java once Lua dropped it
    cu.compute("v = nil _io.input = nil collectgarbage()");
    cu.setInputCbor(objectRef(1, 1));
    assertError("return _io.input:other()", "method 'other' failed");
    assertThat(vault.opened).isZero();
  }

  /** The CBOR of an object reference {@code [id, cls]}. */
  private static byte[] objectRef(long id, long cls) {
    dev.cu.codec.Cbor.Writer w = new dev.cu.codec.Cbor.Writer(16);
    w.head(dev.cu.codec.Cbor.MAJOR_TAG, dev.cu.codec.Cbor.TAG_OBJECT);
    w.head(dev.cu.codec.Cbor.MAJOR_ARRAY, 2);
    w.head(dev.cu.codec.Cbor.MAJOR_UINT, id);
    w.head(dev.cu.codec.Cbor.MAJOR_UINT, cls);
    return w.toByteArray();
  }
}
