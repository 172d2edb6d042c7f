package dev.cu.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A signed request names its signer; any change to it, or another domain, names another. */
class RequestSigningTest {
  private static final RequestSigning SIGNING =
      new RequestSigning(new RequestSigning.Domain("cu", "1", 1));

  private static RequestSigning.Request request(String body, long nonce) {
    return new RequestSigning.Request(
        "0xabc",
        "POST",
        "/v1/units/0xabc/compute",
        body.getBytes(StandardCharsets.UTF_8),
        BigInteger.valueOf(nonce),
        1_700_000_000L);
  }

  @Test
  void theSignerIsRecoveredFromTheRequestAndItsSignature() {
    Wallet w = Wallet.generate(new SecureRandom());
    RequestSigning.Request r = request("{\"code\":\"return 1\"}", 7);
    Signature sig = SIGNING.sign(w, r);
    assertThat(SIGNING.signer(r, sig)).isEqualTo(w.address());
  }

  @Test
  void everyFieldIsSigned() {
    Wallet w = Wallet.generate(new SecureRandom());
    RequestSigning.Request r = request("{}", 7);
    Signature sig = SIGNING.sign(w, r);
    List<RequestSigning.Request> changed =
        List.of(
            new RequestSigning.Request(
                "0xabd", r.method(), r.path(), r.body(), r.nonce(), 1_700_000_000L),
            new RequestSigning.Request(
                r.key(), "GET", r.path(), r.body(), r.nonce(), 1_700_000_000L),
            new RequestSigning.Request(
                r.key(), r.method(), "/v1/units/0xabc/state", r.body(), r.nonce(), 1_700_000_000L),
            request("{ }", 7),
            request("{}", 8),
            new RequestSigning.Request(
                r.key(), r.method(), r.path(), r.body(), r.nonce(), 1_700_000_001L));
    for (RequestSigning.Request c : changed) {
      assertThat(SIGNING.signer(c, sig)).isNotEqualTo(w.address());
    }
    RequestSigning otherChain = new RequestSigning(new RequestSigning.Domain("cu", "1", 5));
    assertThat(otherChain.signer(r, sig)).isNotEqualTo(w.address());
  }

  @Test
  void aNegativeNonceCannotBeSigned() {
    assertThatThrownBy(() -> SIGNING.digest(request("", -1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of the range of uint256");
  }
}
