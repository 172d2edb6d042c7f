package dev.cu.serve;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9IntegerConverter;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * A secp256k1 key pair as Ethereum uses it. It signs 32-byte digests deterministically (RFC
 * 6979's nonce, the low s), with the recovery value that lets a verifier recover the signer's
 * public key; its address is the last 20 bytes of the Keccak-256 of its public key. The curve
 * arithmetic is BouncyCastle's.
 */
public final class Wallet {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");

  /** The curve, its base point and order. */
  static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

  private static final BigInteger N = DOMAIN.getN();

  private final BigInteger privateKey;
  private final ECPoint publicKey;
  private final String address;

  private Wallet(BigInteger privateKey) {
    this.privateKey = privateKey;
    this.publicKey = new FixedPointCombMultiplier().multiply(DOMAIN.getG(), privateKey).normalize();
    this.address = address(publicKey);
  }

  /**
   * The wallet of a 32-byte private key.
   *
   * @throws IllegalArgumentException when the key is not 32 bytes or not in [1, n)
   */
  public static Wallet of(byte[] privateKey) {
    if (privateKey.length != 32) {
      throw new IllegalArgumentException("a private key has 32 bytes, not " + privateKey.length);
    }
    BigInteger d = new BigInteger(1, privateKey);
    if (d.signum() == 0 || d.compareTo(N) >= 0) {
      throw new IllegalArgumentException("the private key is out of range");
    }
    return new Wallet(d);
  }

  /**
   * The wallet of a private key given as 64 hexadecimal digits, with or without {@code 0x}
   * (surrounding white space ignored). Messages never repeat the text.
   *
   * @throws IllegalArgumentException as {@link #of(byte[])}, and for text that is not hex
   */
  public static Wallet of(String privateKeyHex) {
    return of(Hex.bytes(privateKeyHex.strip()));
  }

  /** A new wallet with a private key drawn from {@code random}. */
  public static Wallet generate(SecureRandom random) {
    BigInteger d;
    do {
      d = new BigInteger(256, random);
    } while (d.signum() == 0 || d.compareTo(N) >= 0);
    return new Wallet(d);
  }

  /** The address, {@code 0x} and 40 hexadecimal digits in EIP-55's mixed-case checksum. */
  public String address() {
    return address;
  }

  /** The private key's 32 bytes, for storing the wallet (keep them secret). */
  public byte[] privateKey() {
    return Abi.integer(privateKey);
  }

  /**
   * Signs a 32-byte digest.
   *
   * @throws IllegalArgumentException when the digest is not 32 bytes
   */
  public Signature sign(byte[] digest) {
    checkDigest(digest);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(privateKey, DOMAIN));
    BigInteger[] rs = signer.generateSignature(digest);
    BigInteger r = rs[0];
    BigInteger s = rs[1];
    if (s.compareTo(N.shiftRight(1)) > 0) {
      s = N.subtract(s); // the low s: (r, n - s) is the same signature with the other nonce point
    }
    for (int recovery = 0; recovery < 2; recovery++) {
      ECPoint q = recoverPoint(digest, r, s, recovery);
      if (q != null && q.equals(publicKey)) {
        return new Signature(r, s, 27 + recovery);
      }
    }
    throw new IllegalStateException("no recovery value reproduces the public key");
  }

  /**
   * The address whose key made {@code signature} of {@code digest}.
   *
   * @throws IllegalArgumentException when the digest is not 32 bytes or no public key fits
   */
  public static String recover(byte[] digest, Signature signature) {
    checkDigest(digest);
    ECPoint q = recoverPoint(digest, signature.r(), signature.s(), signature.v() - 27);
    if (q == null) {
      throw new IllegalArgumentException("signature: no public key fits it");
    }
    return address(q);
  }

  /**
   * SEC 1 (version 2), section 4.1.6: the public key Q with (r, s) a signature of the digest,
   * whose nonce point R has x = r and the parity {@code recovery}; null when there is none.
   */
  private static ECPoint recoverPoint(byte[] digest, BigInteger r, BigInteger s, int recovery) {
    BigInteger p = DOMAIN.getCurve().getField().getCharacteristic();
    if (r.compareTo(p) >= 0) {
      return null; // x = r + n would exceed p too: Ethereum's v has no room for it
    }
    X9IntegerConverter x9 = new X9IntegerConverter();
    byte[] compressed = x9.integerToBytes(r, 1 + x9.getByteLength(DOMAIN.getCurve()));
    compressed[0] = (byte) (recovery == 1 ? 0x03 : 0x02);
    ECPoint big;
    try {
      big = DOMAIN.getCurve().decodePoint(compressed);
    } catch (IllegalArgumentException e) {
      return null; // r is no point's x
    }
    // secp256k1's cofactor is 1: every point of the curve has order n, nothing more to check
    BigInteger e = new BigInteger(1, digest);
    BigInteger rInv = r.modInverse(N);
    BigInteger u1 = N.subtract(e).multiply(rInv).mod(N);
    BigInteger u2 = s.multiply(rInv).mod(N);
    ECPoint q = ECAlgorithms.sumOfTwoMultiplies(DOMAIN.getG(), u1, big, u2).normalize();
    return q.isInfinity() ? null : q;
  }

  private static void checkDigest(byte[] digest) {
    if (digest == null || digest.length != 32) {
      throw new IllegalArgumentException("a digest has 32 bytes");
    }
  }

  /** The EIP-55 address of public key {@code q}. */
  private static String address(ECPoint q) {
    byte[] encoded = q.getEncoded(false); // 0x04 ‖ x ‖ y
    byte[] hash = Keccak.hash(Arrays.copyOfRange(encoded, 1, encoded.length));
    return checksummed(Arrays.copyOfRange(hash, 12, 32));
  }

  /** EIP-55: hex digits upper-cased where the Keccak-256 of the lower-case hex has a nibble >= 8. */
  static String checksummed(byte[] address) {
    String lower = Hex.prefixed(address).substring(2);
    byte[] hash = Keccak.hash(lower.getBytes(StandardCharsets.US_ASCII));
    StringBuilder sb = new StringBuilder("0x");
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
      sb.append(nibble >= 8 ? Character.toUpperCase(c) : c);
    }
    return sb.toString();
  }

  /**
   * An address in EIP-55 form.
   *
   * @throws IllegalArgumentException when {@code address} is not {@code 0x} and 40 hexadecimal
   *     digits, or is mixed-case with a wrong checksum
   */
  public static String normalize(String address) {
    byte[] b = Abi.address(address, "address");
    String sum = checksummed(b);
    String digits = address.substring(2);
    boolean mixed =
        !digits.equals(digits.toLowerCase(Locale.ROOT))
            && !digits.equals(digits.toUpperCase(Locale.ROOT));
    if (mixed && !sum.substring(2).equals(digits)) {
      throw new IllegalArgumentException("address with a wrong EIP-55 checksum: " + address);
    }
    return sum;
  }

  /** The address only: the private key never appears in text. */
  @Override
  public String toString() {
    return "Wallet(" + address + ")";
  }
}
