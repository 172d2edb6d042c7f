package dev.cu.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** secp256k1 signing and recovery: round trips, tampering and malformed signatures. */
class WalletTest {
  @Property(tries = 200)
  void aSignatureRecoversItsSignersAddressAndNoOther(
      @ForAll @Size(32) byte[] key,
      @ForAll @Size(32) byte[] digest,
      @ForAll @Size(32) byte[] other) {
    // jqwik's bytes, reduced into [1, n): reproducible and shrinkable
    BigInteger d =
        new BigInteger(1, key)
            .mod(Wallet.DOMAIN.getN().subtract(BigInteger.ONE))
            .add(BigInteger.ONE);
    Wallet w = Wallet.of(Abi.integer(d));
    Signature sig = w.sign(digest);
    assertThat(Wallet.recover(digest, sig)).isEqualTo(w.address());
    assertThat(Signature.of(sig.bytes())).isEqualTo(sig);
    if (!java.util.Arrays.equals(digest, other)) {
      String recovered;
      try {
        recovered = Wallet.recover(other, sig);
      } catch (IllegalArgumentException e) {
        recovered = null; // no key fits: as good a refusal as another address
      }
      assertThat(recovered).isNotEqualTo(w.address());
    }
  }

  @Test
  void signingIsDeterministicAndLowS() {
    Wallet w = Wallet.of("0x" + "42".repeat(32));
    byte[] digest = Keccak.hash(new byte[] {1, 2, 3});
    assertThat(w.sign(digest)).isEqualTo(w.sign(digest));
    // about half of ECDSA's raw s values are high: many digests take the flip both ways
    java.util.Set<Integer> vs = new java.util.HashSet<>();
    for (int i = 0; i < 64; i++) {
      byte[] h = Keccak.hash(new byte[] {(byte) i});
      Signature sig = w.sign(h);
      assertThat(sig.s()).isLessThanOrEqualTo(Wallet.DOMAIN.getN().shiftRight(1));
      assertThat(Wallet.recover(h, sig)).isEqualTo(w.address());
      vs.add(sig.v());
    }
    assertThat(vs).containsExactlyInAnyOrder(27, 28);
  }

  @Test
  void aFlippedBitOrTheOtherRecoveryValueNamesAnotherSigner() {
    Wallet w = Wallet.generate(new SecureRandom());
    byte[] digest = Keccak.hash("request".getBytes());
    Signature sig = w.sign(digest);
    byte[] b = sig.bytes();
    for (int i = 0; i < 64; i += 7) {
      byte[] flipped = b.clone();
      flipped[i] ^= 1;
      String recovered;
      try {
        recovered = Wallet.recover(digest, Signature.of(flipped));
      } catch (IllegalArgumentException e) {
        recovered = null;
      }
      assertThat(recovered).as("byte %d flipped", i).isNotEqualTo(w.address());
    }
    Signature other = new Signature(sig.r(), sig.s(), sig.v() == 27 ? 28 : 27);
    assertThat(Wallet.recover(digest, other)).isNotEqualTo(w.address());
  }

  @Test
  void malformedSignaturesAndKeysAreRefused() {
    BigInteger n = Wallet.DOMAIN.getN();
    assertThatThrownBy(() -> new Signature(BigInteger.ZERO, BigInteger.ONE, 27))
        .hasMessageContaining("r out of range");
    assertThatThrownBy(() -> new Signature(BigInteger.ONE, n.subtract(BigInteger.ONE), 27))
        .hasMessageContaining("low half");
    assertThatThrownBy(() -> new Signature(BigInteger.ONE, BigInteger.ONE, 29))
        .hasMessageContaining("27 or 28");
    assertThatThrownBy(() -> Signature.of(new byte[64])).hasMessageContaining("65 bytes");
    assertThatThrownBy(() -> Signature.of("0xzz")).hasMessageContaining("not hex");
    String key = "42".repeat(31) + "4g";
    assertThatThrownBy(() -> Wallet.of(key))
        .as("a bad private key is not repeated in the message")
        .hasMessageNotContaining("4242");
    assertThatThrownBy(() -> Wallet.of(key + "\n")).hasMessageNotContaining("4242");
    assertThatThrownBy(() -> Wallet.of(new byte[32])).hasMessageContaining("out of range");
    assertThatThrownBy(() -> Wallet.of(new byte[31])).hasMessageContaining("32 bytes");
    assertThatThrownBy(
            () ->
                Wallet.recover(new byte[31], Wallet.of("0x" + "42".repeat(32)).sign(new byte[32])))
        .hasMessageContaining("32 bytes");
  }

  @Test
  void addressesAreCheckedAgainstTheirChecksum() {
    String a = "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826";
    assertThat(Wallet.normalize(a.toLowerCase())).isEqualTo(a);
    assertThat(Wallet.normalize(a)).isEqualTo(a);
    String wrong = "0xcD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826";
    assertThatThrownBy(() -> Wallet.normalize(wrong)).hasMessageContaining("checksum");
    assertThat(Wallet.of("0x" + "42".repeat(32)).toString()).doesNotContain("4242");
  }
}
