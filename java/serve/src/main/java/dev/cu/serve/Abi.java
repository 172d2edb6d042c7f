package dev.cu.serve;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;

/** The 32-byte words EIP-712 encodes its atomic and dynamic non-struct values as. */
final class Abi {
  private Abi() {}

  /**
   * {@code v} as a value of {@code type} ({@link Eip712#atomic}) in one word; {@code where} names
   * it in messages.
   *
   * @throws IllegalArgumentException when {@code v} is not a value of {@code type}
   */
  static byte[] word(String type, Object v, String where) {
    switch (type) {
      case "string":
        if (!(v instanceof String s)) {
          throw Eip712.wrong(where, type, v);
        }
        return Keccak.hash(s.getBytes(StandardCharsets.UTF_8));
      case "bytes":
        return Keccak.hash(bytes(v, where, type));
      case "bool":
        if (!(v instanceof Boolean b)) {
          throw Eip712.wrong(where, type, v);
        }
        return integer(b ? BigInteger.ONE : BigInteger.ZERO);
      case "address":
        return leftPad(address(v, where));
      default:
        break;
    }
    Matcher i = Eip712.integer(type);
    if (i.matches()) {
      return integer(checkedInteger(v, i.group(1).isEmpty(), Integer.parseInt(i.group(2)), where));
    }
    Matcher b = Eip712.fixedBytes(type);
    if (b.matches()) {
      byte[] raw = bytes(v, where, type);
      int n = Integer.parseInt(b.group(1));
      if (raw.length != n) {
        throw new IllegalArgumentException(where + " must be " + n + " bytes, not " + raw.length);
      }
      return Arrays.copyOf(raw, 32); // right-padded
    }
    throw new IllegalArgumentException(where + " has an unknown type " + type);
  }

  /**
   * An address: 20 bytes, from a {@code byte[20]} or {@code 0x} and 40 hexadecimal digits (of
   * any case).
   *
   * @throws IllegalArgumentException for anything else
   */
  static byte[] address(Object v, String where) {
    byte[] b;
    if (v instanceof byte[] raw) {
      b = raw;
    } else if (v instanceof String s && (s.startsWith("0x") || s.startsWith("0X"))) {
      b = Hex.bytes(s);
    } else {
      throw Eip712.wrong(where, "address", v);
    }
    if (b.length != 20) {
      throw new IllegalArgumentException(where + " must be an address of 20 bytes");
    }
    return b;
  }

  private static byte[] bytes(Object v, String where, String type) {
    if (v instanceof byte[] b) {
      return b;
    }
    if (v instanceof String s && (s.startsWith("0x") || s.startsWith("0X"))) {
      return Hex.bytes(s);
    }
    throw Eip712.wrong(where, type, v);
  }

  private static BigInteger checkedInteger(Object v, boolean signed, int bits, String where) {
    BigInteger x;
    if (v instanceof BigInteger b) {
      x = b;
    } else if (v instanceof Long
        || v instanceof Integer
        || v instanceof Short
        || v instanceof Byte) {
      x = BigInteger.valueOf(((Number) v).longValue());
    } else if (v instanceof String s) {
      if (!s.matches("-?(0|[1-9][0-9]*)")) { // ASCII digits only, no '+', no leading zeros
        throw new IllegalArgumentException(where + " is not a decimal integer: " + s);
      }
      x = new BigInteger(s);
    } else {
      throw Eip712.wrong(where, (signed ? "int" : "uint") + bits, v);
    }
    BigInteger min = signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
    BigInteger max = signed ? BigInteger.ONE.shiftLeft(bits - 1) : BigInteger.ONE.shiftLeft(bits);
    if (x.compareTo(min) < 0 || x.compareTo(max) >= 0) {
      throw new IllegalArgumentException(
          where + " is out of the range of " + (signed ? "int" : "uint") + bits + ": " + x);
    }
    return x;
  }

  /** {@code x} in 32 bytes, two's complement, big-endian. */
  static byte[] integer(BigInteger x) {
    byte[] b = x.toByteArray(); // minimal two's complement, at most 33 bytes for uint256
    byte[] out = new byte[32];
    if (x.signum() < 0) {
      Arrays.fill(out, (byte) 0xff);
    }
    int n = Math.min(b.length, 32);
    System.arraycopy(b, b.length - n, out, 32 - n, n);
    return out;
  }

  private static byte[] leftPad(byte[] b) {
    byte[] out = new byte[32];
    System.arraycopy(b, 0, out, 32 - b.length, b.length);
    return out;
  }
}
