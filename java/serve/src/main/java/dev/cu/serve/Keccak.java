package dev.cu.serve;

import org.bouncycastle.crypto.digests.KeccakDigest;

/** Keccak-256, Ethereum's hash (the original Keccak padding, not SHA3-256's). */
public final class Keccak {
  private Keccak() {}

  /** Keccak-256 of the concatenation of {@code parts}: 32 bytes. */
  public static byte[] hash(byte[]... parts) {
    KeccakDigest d = new KeccakDigest(256);
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }
}
