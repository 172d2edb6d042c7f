package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.hex;
import static dev.cu.store.LmdbTestSupport.metaValue;
import static dev.cu.store.LmdbTestSupport.raw;
import static dev.cu.store.LmdbTestSupport.rawPut;
import static dev.cu.store.LmdbTestSupport.text;
import static dev.cu.store.LmdbTestSupport.unhex;
import static dev.cu.store.LmdbTestSupport.withValidCrc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.ComputeUnit;
import dev.cu.LuaRuntimeException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RowCodec}: only a signed function row may hold a function, because the VM loads
 * (runs the bytecode of) a function tag wherever it finds one in a row.
 */
class RowCodecTest {
  private static final byte[] KEY = new byte[32];

  /** A function row value around two bytes of "bytecode", no upvalues. */
  private static final String FN = "82 42 1b4c 80";

  @TempDir Path dir;

  private static byte[] h(String s) {
    return unhex(s.replace(" ", ""));
  }

  private static RowCodec codec() {
    Arrays.fill(KEY, (byte) 7);
    return new RowCodec(KEY, 1 << 20);
  }

  /** The stored bytes of a row written without the HMAC key: format 0, a valid CRC. */
  private static byte[] unsigned(byte[] lk, byte[] value) {
    byte[] stored = new byte[5 + value.length];
    System.arraycopy(value, 0, stored, 5, value.length);
    return withValidCrc(lk, stored);
  }

  @Test
  void functionRowIsSignedAndReadBack() {
    RowCodec c = codec();
    for (String fn : new String[] {"da63750004 " + FN, "db0000000063750004 " + FN}) {
      byte[] lk = RowCodec.lmdbKey(1, 3, h("00"));
      byte[] stored = c.encode(1, lk, 3, h("00"), h(fn));
      assertThat(stored[0] & RowCodec.FMT_HMAC).as(fn).isEqualTo(RowCodec.FMT_HMAC);
      assertThat(c.decode("default", 1, lk, stored, true).value()).isEqualTo(h(fn));
    }
  }

  @ParameterizedTest(name = "unsigned value {0}")
  @ValueSource(
      strings = {
        "da63750004 " + FN, // a function row stripped of its HMAC
        "db0000000063750004 " + FN, // the same tag in a longer head
        "81 da63750004 " + FN, // inside an array
        "a1 61 78 da63750004 " + FN, // a map's value
        "a1 da63750004 " + FN + " 01", // a map's key
        "d81c 81 da63750004 " + FN, // behind another tag
        "da63750002 da63750004 " + FN
      }) // behind a reference tag
  void unsignedRowHoldingAFunctionIsRefused(String value) {
    RowCodec c = codec();
    byte[] lk = RowCodec.lmdbKey(1, 3, h("01"));
    assertThatThrownBy(() -> c.decode("default", 1, lk, unsigned(lk, h(value)), true))
        .isExactlyInstanceOf(CuStateException.class)
        .hasMessageContaining("table 3");
  }

  @Test
  void keyHoldingAFunctionIsRefusedEvenInASignedRow() {
    RowCodec c = codec();
    byte[] key = h("81 da63750004 " + FN);
    byte[] lk = RowCodec.lmdbKey(1, 3, key);
    byte[] signed = c.encode(1, lk, 3, key, h("da63750004 " + FN));
    assertThatThrownBy(() -> c.decode("default", 1, lk, signed, true))
        .isExactlyInstanceOf(CuStateException.class)
        .hasMessageContaining("function tag");
    byte[] plain = unsigned(lk, h("01"));
    assertThatThrownBy(() -> c.decode("default", 1, lk, plain, true))
        .isExactlyInstanceOf(CuStateException.class)
        .hasMessageContaining("function tag");
  }

  @Test
  void plainRowsWithOtherTagsAndBytesStillLoad() {
    RowCodec c = codec();
    for (String value :
        new String[] {
          "01",
          "da63750002 05",
          "da63750003 06",
          "da63750007 65 7072696e74",
          "44 da637500",
          "82 01 f6",
          "6a 61626364656667686970"
        }) {
      byte[] lk = RowCodec.lmdbKey(1, 3, h("01"));
      assertThat(c.decode("default", 1, lk, unsigned(lk, h(value)), true).value())
          .as(value)
          .isEqualTo(h(value));
    }
  }

  /**
   * Someone who can write the store but not read the HMAC key hides a stored function's row in
   * a plain row of _home (CRC and manifest recomputed): the unit must refuse the row, not run
   * the function.
   */
  @Test
  void functionHiddenInAPlainRowDoesNotRun() {
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).build()) {
      cu.compute("_home.f = function() return 'forged' end _home.x = 1");
    }
    Map<String, byte[]> rows = raw(dir, "rows");
    byte[] fn = null;
    String xKey = null;
    for (Map.Entry<String, byte[]> e : rows.entrySet()) {
      byte[] stored = e.getValue();
      if ((stored[0] & RowCodec.FMT_HMAC) != 0 && (stored[0] & RowCodec.FMT_ZSTD) == 0) {
        fn = Arrays.copyOfRange(stored, 5 + RowCodec.MAC_LENGTH, stored.length);
      }
      if (e.getKey().endsWith(hex(text("x")))) {
        xKey = e.getKey();
      }
    }
    assertThat(fn).as("the function row").isNotNull();
    assertThat(xKey).as("the row of _home.x").isNotNull();
    for (String form : new String[] {"81" + hex(fn), "db00000000" + hex(fn).substring(2)}) {
      forge(xKey, unhex(form));
      try (ComputeUnit cu = ComputeUnit.builder().storage(dir).build()) {
        assertThatThrownBy(
                () ->
                    cu.compute(
                        "local x = _home.x if type(x) == 'table' then return x[1]() end return x()"))
            .as(form.substring(0, 12))
            .isInstanceOf(LuaRuntimeException.class)
            .hasMessageContaining("corrupt row (namespace default, table 1, key 6178)");
      }
    }
  }

  /** Replaces a plain row's value in place, with a valid CRC and manifest. */
  private void forge(String lkHex, byte[] value) {
    byte[] lk = unhex(lkHex);
    byte[] old = raw(dir, "rows").get(lkHex);
    byte[] now = unsigned(lk, value);
    rawPut(dir, "rows", Map.of(lkHex, now));
    int ns = StoreBytes.getU32(lk, 0);
    long table = StoreBytes.getU64(lk, 4);
    byte[] mk = Manifest.key(ns, table);
    byte[] manifest = raw(dir, "meta").get(hex(mk));
    byte[] payload = new byte[16];
    StoreBytes.putU64(payload, 0, StoreBytes.getU64(manifest, 4));
    StoreBytes.putU64(
        payload,
        8,
        StoreBytes.getU64(manifest, 12) - Manifest.term(lk, old) + Manifest.term(lk, now));
    rawPut(dir, "meta", Map.of(hex(mk), metaValue(mk, payload)));
  }
}
