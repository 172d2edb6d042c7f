package dev.cu.store;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Byte helpers of the stores: big-endian numbers, CBOR heads and maps, digests. */
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
    return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8)
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


  /** Writes a CBOR head of major type {@code major} with argument {@code v} (unsigned). */
  static void writeHead(ByteArrayOutputStream out, int major, long v) {
    int m = major << 5;
    if (v >= 0 && v < 24) {
      out.write(m | (int) v);
    } else if (v >= 0 && v <= 0xff) {
      out.write(m | 24);
      out.write((int) v);
    } else if (v >= 0 && v <= 0xffff) {
      out.write(m | 25);
      out.write((int) (v >>> 8));
      out.write((int) v);
    } else if (v >= 0 && v <= 0xffffffffL) {
      out.write(m | 26);
      for (int i = 3; i >= 0; i--) {
        out.write((int) (v >>> (8 * i)));
      }
    } else {
      out.write(m | 27);
      for (int i = 7; i >= 0; i--) {
        out.write((int) (v >>> (8 * i)));
      }
    }
  }

  /** True when {@code b} holds exactly one well-formed CBOR item (as the delta parser sees it). */
  static boolean isOneItem(byte[] b) {
    if (b == null || b.length == 0) {
      return false;
    }
    try {
      return Delta.skip(b, 0) == b.length;
    } catch (CuStoreException | ArrayIndexOutOfBoundsException e) {
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
    try {
      int ib = map[0] & 0xff;
      if ((ib >>> 5) != 5) {
        throw new CuStoreException("not a CBOR map");
      }
      int ai = ib & 31;
      int p = 1;
      long n;
      if (ai < 24) {
        n = ai;
      } else {
        int len = switch (ai) {
          case 24 -> 1;
          case 25 -> 2;
          case 26 -> 4;
          case 27 -> 8;
          default -> throw new CuStoreException("unsupported CBOR map length");
        };
        n = 0;
        for (int i = 0; i < len; i++) {
          n = (n << 8) | (map[p++] & 0xff);
        }
      }
      if (n < 0 || n > map.length) {
        throw new CuStoreException("CBOR map longer than its bytes");
      }
      Map<ByteBuffer, byte[]> out = new LinkedHashMap<>();
      for (long i = 0; i < n; i++) {
        int v = Delta.skip(map, p);
        int end = Delta.skip(map, v);
        out.put(ByteBuffer.wrap(java.util.Arrays.copyOfRange(map, p, v)),
            java.util.Arrays.copyOfRange(map, v, end));
        p = end;
      }
      if (p != map.length) {
        throw new CuStoreException("trailing bytes after a CBOR map");
      }
      return out;
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new CuStoreException("truncated CBOR map", e);
    }
  }

  /** One CBOR map of the given entries (keys and values already encoded). */
  static byte[] map(Iterable<byte[][]> rows, int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeHead(out, 5, count);
    for (byte[][] kv : rows) {
      out.writeBytes(kv[0]);
      out.writeBytes(kv[1]);
    }
    return out.toByteArray();
  }
}
