package dev.cu.store;

import dev.cu.codec.Cbor;
import dev.cu.codec.CborException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Byte helpers of the stores: big-endian numbers, CBOR maps of rows, digests. */
final class StoreBytes {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private StoreBytes() {}

  static void putU32(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  static void putU64(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> (56 - 8 * i));
    }
  }

  static int getU32(byte[] b, int off) {
    return ((b[off] & 0xff) << 24)
        | ((b[off + 1] & 0xff) << 16)
        | ((b[off + 2] & 0xff) << 8)
        | (b[off + 3] & 0xff);
  }

  static long getU64(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  static byte[] u64(long v) {
    byte[] b = new byte[8];
    putU64(b, 0, v);
    return b;
  }

  static boolean startsWith(byte[] b, byte[] prefix) {
    if (b == null || b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  static String hex(byte[] b, int from, int to) {
    StringBuilder sb = new StringBuilder(2 * Math.max(0, to - from));
    for (int i = from; i < to; i++) {
      sb.append(HEX[(b[i] >>> 4) & 15]).append(HEX[b[i] & 15]);
    }
    return sb.toString();
  }

  static String hex(byte[] b) {
    return hex(b, 0, b.length);
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** True when {@code b} holds exactly one well-formed CBOR item (as the delta parser sees it). */
  static boolean isOneItem(byte[] b) {
    if (b == null) {
      return false;
    }
    Cbor.Reader r = new Cbor.Reader(b);
    try {
      r.skip();
      return r.atEnd();
    } catch (CborException e) {
      return false;
    }
  }

  /**
   * The entries of one encoded CBOR map (definite length), keys and values still encoded, in
   * order.
   *
   * @throws CuStoreException when {@code map} is not one well-formed map
   */
  static Map<ByteBuffer, byte[]> entries(byte[] map) {
    Cbor.Reader r = new Cbor.Reader(map);
    try {
      int n = r.count(r.head(Cbor.MAJOR_MAP), 2);
      Map<ByteBuffer, byte[]> out = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        int k = r.position();
        r.skip();
        int v = r.position();
        r.skip();
        out.put(
            ByteBuffer.wrap(Arrays.copyOfRange(map, k, v)),
            Arrays.copyOfRange(map, v, r.position()));
      }
      if (!r.atEnd()) {
        throw new CuStoreException("trailing bytes after a CBOR map");
      }
      return out;
    } catch (CborException e) {
      throw new CuStoreException("malformed CBOR map: " + e.getMessage(), e);
    }
  }

  /** One CBOR map of the given entries (keys and values already encoded). */
  static byte[] map(Iterable<byte[][]> rows, int count) {
    Cbor.Writer w = new Cbor.Writer();
    w.head(Cbor.MAJOR_MAP, count);
    for (byte[][] kv : rows) {
      w.raw(kv[0]);
      w.raw(kv[1]);
    }
    return w.toByteArray();
  }
}
