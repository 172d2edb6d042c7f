package dev.cu.store;

import com.github.luben.zstd.Zstd;
import dev.cu.codec.Cbor;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The byte layout of rows in the "rows" DBI (docs/STORAGE.md).
 *
 * <pre>
 * LMDB key  = ns u32 | table u64 | key                      when 12 + |key| &lt;= 480
 *           = ns u32 | table u64 | 0xFF | SHA-256(key)       otherwise (45 bytes)
 * value     = format u8 | crc u32 | [hmac 32 bytes] | payload
 * format    = bit 0: payload is zstd; bit 1: an HMAC follows the CRC (function rows)
 * content   = value bytes                                    inline key
 *           = |key| u32 | key | value bytes                   hashed key
 * payload   = content, or zstd(content) when format bit 0
 * crc       = CRC32C(LMDB key | format | hmac | payload)
 * hmac      = HMAC-SHA256(key, "cu.fn.v1" 00 | ns u32 | table u64 | |key| u32 | key | value)
 * </pre>
 */
final class RowCodec {
  static final int PREFIX = 12;
  static final int MAX_INLINE = 480;
  static final int HASHED_LENGTH = PREFIX + 1 + 32;
  static final int FMT_ZSTD = 1;
  static final int FMT_HMAC = 2;
  static final int HEADER = 5;
  static final int MAC_LENGTH = 32;

  /** Bigger contents are refused as corrupt rather than allocated. */
  static final long MAX_CONTENT = Integer.MAX_VALUE - 64;

  private static final byte[] MAC_DOMAIN = "cu.fn.v1\0".getBytes(StandardCharsets.US_ASCII);
  private static final int ZSTD_LEVEL = 3;

  /** One decoded row. */
  record Row(long table, byte[] key, byte[] value) {}

  private final ThreadLocal<Mac> macs;
  private final int threshold;

  RowCodec(byte[] hmacKey, int threshold) {
    SecretKeySpec key = new SecretKeySpec(hmacKey, "HmacSHA256");
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(key);
                return m;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is unavailable", e);
              }
            });
    this.threshold = threshold;
  }

  static byte[] prefix(int ns, long table) {
    byte[] p = new byte[PREFIX];
    StoreBytes.putU32(p, 0, ns);
    StoreBytes.putU64(p, 4, table);
    return p;
  }

  static byte[] nsPrefix(int ns) {
    byte[] p = new byte[4];
    StoreBytes.putU32(p, 0, ns);
    return p;
  }

  static boolean hashed(byte[] key) {
    return PREFIX + key.length > MAX_INLINE;
  }

  /** The LMDB key of row {@code key} of table {@code table} in namespace {@code ns}. */
  static byte[] lmdbKey(int ns, long table, byte[] key) {
    byte[] p = prefix(ns, table);
    if (!hashed(key)) {
      return StoreBytes.concat(p, key);
    }
    return StoreBytes.concat(p, new byte[] {(byte) 0xff}, StoreBytes.sha256(key));
  }

  /**
   * True when {@code value} is a serialized function: tagged {@link Cbor#TAG_FUNCTION}, in a
   * head of any width (the VM reads every width).
   */
  static boolean isFunction(byte[] value) {
    return Refs.tagOf(value) == Cbor.TAG_FUNCTION;
  }

  /** The stored value of a row whose LMDB key is {@code lk}. */
  byte[] encode(int ns, byte[] lk, long table, byte[] key, byte[] value) {
    boolean hashed = lk.length == HASHED_LENGTH && (lk[PREFIX] & 0xff) == 0xff;
    byte[] content;
    if (hashed) {
      content = new byte[4 + key.length + value.length];
      StoreBytes.putU32(content, 0, key.length);
      System.arraycopy(key, 0, content, 4, key.length);
      System.arraycopy(value, 0, content, 4 + key.length, value.length);
    } else {
      content = value;
    }
    int fmt = 0;
    byte[] payload = content;
    if (content.length > threshold) {
      byte[] z = Zstd.compress(content, ZSTD_LEVEL);
      if (z.length < content.length) {
        payload = z;
        fmt |= FMT_ZSTD;
      }
    }
    byte[] mac = null;
    if (isFunction(value)) {
      fmt |= FMT_HMAC;
      mac = mac(ns, table, key, value);
    }
    return assemble(lk, fmt, mac, payload, 0, payload.length);
  }

  private static byte[] assemble(byte[] lk, int fmt, byte[] mac, byte[] payload, int from, int to) {
    int macLen = mac == null ? 0 : MAC_LENGTH;
    byte[] out = new byte[HEADER + macLen + (to - from)];
    out[0] = (byte) fmt;
    if (mac != null) {
      System.arraycopy(mac, 0, out, HEADER, MAC_LENGTH);
    }
    System.arraycopy(payload, from, out, HEADER + macLen, to - from);
    StoreBytes.putU32(out, 1, crcOf(lk, out));
    return out;
  }

  /** True when {@code stored} is long enough and its CRC32C matches (nothing else checked). */
  static boolean crcMatches(byte[] lk, byte[] stored) {
    return stored.length >= HEADER && crcOf(lk, stored) == StoreBytes.getU32(stored, 1);
  }

  private static int crcOf(byte[] lk, byte[] stored) {
    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
    c.update(lk, 0, lk.length);
    c.update(stored, 0, 1);
    c.update(stored, HEADER, stored.length - HEADER);
    return (int) c.getValue();
  }

  private byte[] mac(int ns, long table, byte[] key, byte[] value) {
    Mac m = macs.get(); // doFinal leaves it reset for the next use
    m.update(MAC_DOMAIN);
    byte[] head = new byte[16];
    StoreBytes.putU32(head, 0, ns);
    StoreBytes.putU64(head, 4, table);
    StoreBytes.putU32(head, 12, key.length);
    m.update(head);
    m.update(key);
    m.update(value);
    return m.doFinal();
  }

  /**
   * True when {@code stored}, the row under LMDB key {@code lk} of namespace {@code ns}, passes
   * its CRC32C and holds a plain (neither compressed nor signed) value under an inline key whose
   * top item is not a tag: such a value refers to nothing, and a commit that replaces or
   * deletes it needs no decoding. False means "decode it" (including when a check fails, so the
   * full decoding reports the damage).
   */
  static boolean plainScalar(int ns, byte[] lk, byte[] stored) {
    return plain(ns, lk, stored)
        && Cbor.major(stored[HEADER] & 0xff) != Cbor.MAJOR_TAG
        && crcMatches(lk, stored);
  }

  /** A row of this namespace, neither compressed nor signed, under an inline key. */
  private static boolean plain(int ns, byte[] lk, byte[] stored) {
    return lk.length > PREFIX
        && StoreBytes.getU32(lk, 0) == ns
        && (lk[PREFIX] & 0xff) != 0xff
        && stored.length > HEADER
        && stored[0] == 0;
  }

  /**
   * The id that {@code stored}, the row under LMDB key {@code lk} of namespace {@code ns}, refers
   * to when it is a plain row (as for {@link #plainScalar}) whose whole value is a table or
   * function reference ({@code tag(EXTREF) uint} or {@code tag(FUNCREF) uint}) and whose CRC32C
   * matches: such a row holds nothing else, so a commit that replaces or deletes it needs no
   * decoding. -1 means "decode it" (another value, or a check failed).
   */
  static long plainRef(int ns, byte[] lk, byte[] stored) {
    if (!plain(ns, lk, stored) || Cbor.major(stored[HEADER] & 0xff) != Cbor.MAJOR_TAG) {
      return -1;
    }
    try {
      Cbor.Reader r = new Cbor.Reader(stored, HEADER, stored.length - HEADER);
      long tag = r.tag();
      if (tag != Cbor.TAG_EXTREF && tag != Cbor.TAG_FUNCREF || r.atEnd()) {
        return -1;
      }
      long id = r.head(Cbor.MAJOR_UINT);
      return id >= 0 && r.atEnd() && crcMatches(lk, stored) ? id : -1;
    } catch (dev.cu.codec.CborException e) {
      return -1; // the full decoding names the damage
    }
  }

  /** Names a row for error messages. */
  static String describe(String nsName, byte[] lk) {
    if (lk.length < PREFIX) {
      return "namespace " + nsName + ", malformed LMDB key " + StoreBytes.hex(lk);
    }
    long table = StoreBytes.getU64(lk, 4);
    boolean hashed = lk.length == HASHED_LENGTH && (lk[PREFIX] & 0xff) == 0xff;
    return "namespace "
        + nsName
        + ", table "
        + table
        + ", key "
        + (hashed ? "(hashed) " : "")
        + StoreBytes.hex(lk, PREFIX, lk.length);
  }

  private static CuStateException corrupt(String nsName, byte[] lk, String why) {
    return new CuStateException("corrupt row (" + describe(nsName, lk) + "): " + why);
  }

  /**
   * Decodes and verifies one stored row: CRC32C always, the HMAC of a function row when
   * {@code checkMac}.
   *
   * @throws CuStateException when any check fails or the bytes cannot be decoded
   */
  Row decode(String nsName, int ns, byte[] lk, byte[] stored, boolean checkMac) {
    if (lk.length < PREFIX + 1 || StoreBytes.getU32(lk, 0) != ns) {
      throw corrupt(nsName, lk, "malformed LMDB key");
    }
    if (stored == null || stored.length < HEADER) {
      throw corrupt(
          nsName,
          lk,
          "value of " + (stored == null ? 0 : stored.length) + " bytes is shorter than its header");
    }
    int fmt = stored[0] & 0xff;
    if ((fmt & ~(FMT_ZSTD | FMT_HMAC)) != 0) {
      throw corrupt(nsName, lk, "unknown format byte " + fmt);
    }
    int payloadAt = HEADER + ((fmt & FMT_HMAC) != 0 ? MAC_LENGTH : 0);
    if (stored.length < payloadAt) {
      throw corrupt(nsName, lk, "value is shorter than its HMAC");
    }
    if (crcOf(lk, stored) != StoreBytes.getU32(stored, 1)) {
      throw corrupt(nsName, lk, "CRC32C mismatch");
    }
    byte[] content;
    if ((fmt & FMT_ZSTD) != 0) {
      content = decompress(nsName, lk, Arrays.copyOfRange(stored, payloadAt, stored.length));
    } else {
      content = Arrays.copyOfRange(stored, payloadAt, stored.length);
    }
    long table = StoreBytes.getU64(lk, 4);
    boolean hashed = (lk[PREFIX] & 0xff) == 0xff;
    byte[] key;
    byte[] value;
    if (hashed) {
      if (lk.length != HASHED_LENGTH || content.length < 4) {
        throw corrupt(nsName, lk, "malformed hashed-key row");
      }
      int klen = StoreBytes.getU32(content, 0);
      if (klen < 0 || klen > content.length - 4) {
        throw corrupt(nsName, lk, "key length " + klen + " exceeds the row");
      }
      key = Arrays.copyOfRange(content, 4, 4 + klen);
      value = Arrays.copyOfRange(content, 4 + klen, content.length);
      if (!hashed(key)
          || !MessageDigest.isEqual(
              StoreBytes.sha256(key), Arrays.copyOfRange(lk, PREFIX + 1, HASHED_LENGTH))) {
        throw corrupt(nsName, lk, "stored key does not match its hash");
      }
    } else {
      key = Arrays.copyOfRange(lk, PREFIX, lk.length);
      value = content;
    }
    if (!StoreBytes.isOneItem(key)) {
      throw corrupt(nsName, lk, "key is not one CBOR item");
    }
    if (!StoreBytes.isOneItem(value)) {
      throw corrupt(nsName, lk, "value is not one CBOR item");
    }
    boolean function = isFunction(value);
    if (function != ((fmt & FMT_HMAC) != 0)) {
      throw corrupt(nsName, lk, function ? "function row without HMAC" : "HMAC on a plain row");
    }
    // the VM loads a function wherever the tag is: only a signed row's top item may be one
    if (Refs.holdsTag(key, Cbor.TAG_FUNCTION)
        || !function && Refs.holdsTag(value, Cbor.TAG_FUNCTION)) {
      throw corrupt(nsName, lk, "a function tag outside a signed function row");
    }
    if (function
        && checkMac
        && !MessageDigest.isEqual(
            mac(ns, table, key, value), Arrays.copyOfRange(stored, HEADER, HEADER + MAC_LENGTH))) {
      throw corrupt(nsName, lk, "HMAC mismatch (function row not written with this key)");
    }
    return new Row(table, key, value);
  }

  private static byte[] decompress(String nsName, byte[] lk, byte[] payload) {
    long size;
    try {
      size = Zstd.getFrameContentSize(payload);
    } catch (RuntimeException e) {
      throw corrupt(nsName, lk, "bad zstd frame: " + e.getMessage());
    }
    if (size < 0 || size > MAX_CONTENT) {
      throw corrupt(nsName, lk, "bad zstd content size " + size);
    }
    byte[] out;
    try {
      out = Zstd.decompress(payload, (int) size);
    } catch (RuntimeException e) {
      throw corrupt(nsName, lk, "zstd: " + e.getMessage());
    }
    if (out.length != size) {
      throw corrupt(nsName, lk, "zstd content shorter than announced");
    }
    return out;
  }

  /**
   * The stored value of an already verified row moved to namespace {@code dstNs} under LMDB key
   * {@code dstLk}: the payload is kept, CRC and HMAC are computed for the new place.
   */
  byte[] move(int dstNs, byte[] dstLk, Row row, byte[] stored) {
    int fmt = stored[0] & 0xff;
    int payloadAt = HEADER + ((fmt & FMT_HMAC) != 0 ? MAC_LENGTH : 0);
    byte[] mac = (fmt & FMT_HMAC) != 0 ? mac(dstNs, row.table(), row.key(), row.value()) : null;
    return assemble(dstLk, fmt, mac, stored, payloadAt, stored.length);
  }
}
