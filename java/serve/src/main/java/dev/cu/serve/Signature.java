package dev.cu.serve;

import java.math.BigInteger;

/**
 * A secp256k1 signature as Ethereum writes it: {@code r}, {@code s} and the recovery value
 * {@code v} (27 or 28), 65 bytes {@code r ‖ s ‖ v} in {@link #bytes()}.
 *
 * @param r the signature's r, 0 &lt; r &lt; n
 * @param s the signature's s, 0 &lt; s &le; n / 2 (the low half, as Ethereum requires)
 * @param v 27 or 28: which of the two points with x = r the signer's nonce point was
 */
public record Signature(BigInteger r, BigInteger s, int v) {
  /**
   * Checks the ranges.
   *
   * @throws IllegalArgumentException when r or s is out of range or v is not 27 or 28
   */
  public Signature {
    BigInteger n = Wallet.DOMAIN.getN();
    if (r.signum() <= 0 || r.compareTo(n) >= 0) {
      throw new IllegalArgumentException("signature: r out of range");
    }
    if (s.signum() <= 0 || s.compareTo(n.shiftRight(1)) > 0) {
      throw new IllegalArgumentException("signature: s out of range (not in the low half)");
    }
    if (v != 27 && v != 28) {
      throw new IllegalArgumentException("signature: v must be 27 or 28, not " + v);
    }
  }

  /**
   * A signature from its 65 bytes {@code r ‖ s ‖ v}; v may also be 0 or 1.
   *
   * @throws IllegalArgumentException when there are not 65 bytes or a value is out of range
   */
  public static Signature of(byte[] b) {
    if (b.length != 65) {
      throw new IllegalArgumentException("signature: 65 bytes expected, not " + b.length);
    }
    BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(b, 0, 32));
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(b, 32, 64));
    int v = b[64] & 0xff;
    return new Signature(r, s, v < 27 ? v + 27 : v);
  }

  /**
   * A signature from the hexadecimal text of its 65 bytes, with or without {@code 0x}.
   *
   * @throws IllegalArgumentException as {@link #of(byte[])}, and for text that is not hex
   */
  public static Signature of(String hex) {
    return of(Hex.bytes(hex));
  }

  /** The 65 bytes {@code r ‖ s ‖ v}. */
  public byte[] bytes() {
    byte[] out = new byte[65];
    System.arraycopy(Abi.integer(r), 0, out, 0, 32);
    System.arraycopy(Abi.integer(s), 0, out, 32, 32);
    out[64] = (byte) v;
    return out;
  }

  /** {@code 0x} and the hexadecimal text of {@link #bytes()}. */
  @Override
  public String toString() {
    return Hex.prefixed(bytes());
  }
}
