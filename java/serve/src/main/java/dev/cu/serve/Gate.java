package dev.cu.serve;

import java.math.BigInteger;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The checks a signed request passes before it reaches a unit, in this order: the signature
 * headers are present and well formed; the timestamp lies within the window; the signature over
 * the request's fields recovers the wallet the request names; the nonce is greater than every
 * nonce the wallet used before (so a replay costs the wallet no token); the wallet may act on the
 * key; the wallet's rate limit has a token; the nonce is recorded durably, still greater. A refusal is a {@link ServeException}; a request refused before the nonce
 * check consumed nothing, so its client may send it again once the cause is gone.
 */
final class Gate {
  /** The header naming the wallet that signed: its address. */
  static final String WALLET = "X-Cu-Wallet";

  /** The header holding the signature: hex of r, s and v (65 bytes). */
  static final String SIGNATURE = "X-Cu-Signature";

  /** The header holding the nonce: a decimal integer. */
  static final String NONCE = "X-Cu-Nonce";

  /** The header holding the timestamp: seconds since the epoch. */
  static final String TIMESTAMP = "X-Cu-Timestamp";

  private static final int MAX_NONCE_DIGITS = 78; // 2^256 has 78 decimal digits
  private static final String STALE_NONCE = "the nonce is not greater than the wallet's last one";

  private final ServeConfig config;
  private final RequestSigning signing;
  private final NonceStore nonces;
  private final RateLimiter rate;
  private final LongSupplier epochSeconds;

  Gate(
      ServeConfig config,
      RequestSigning signing,
      NonceStore nonces,
      RateLimiter rate,
      LongSupplier epochSeconds) {
    this.config = config;
    this.signing = signing;
    this.nonces = nonces;
    this.rate = rate;
    this.epochSeconds = epochSeconds;
  }

  /**
   * Admits the request or throws; returns the signer's address (EIP-55).
   *
   * @param key the unit's key as the path gave it
   * @param method the HTTP method
   * @param target the path and query exactly as sent (not decoded)
   * @param body the body
   * @param headers the request's headers by name (null when absent)
   * @param verified told the signer's address once the signature is verified, before the checks
   *     that follow (so a refusal after it can still name the wallet)
   * @throws ServeException 401 for a missing or bad signature, a timestamp outside the window or
   *     a nonce used before; 403 when the wallet may not act on the key; 429 over the rate limit
   */
  String admit(
      String key,
      String method,
      String target,
      byte[] body,
      UnaryOperator<String> headers,
      Consumer<String> verified) {
    String claimed = required(headers, WALLET);
    String wallet;
    try {
      wallet = Wallet.normalize(claimed);
    } catch (IllegalArgumentException e) {
      throw unauthorized(WALLET + " is not an address");
    }
    Signature signature;
    try {
      signature = Signature.of(required(headers, SIGNATURE));
    } catch (IllegalArgumentException e) {
      throw unauthorized(SIGNATURE + " is not a signature (hex of r, s and v, 65 bytes)");
    }
    BigInteger nonce = nonce(required(headers, NONCE));
    long timestamp = timestamp(required(headers, TIMESTAMP));
    long now = epochSeconds.getAsLong();
    if (Math.abs(now - timestamp) > config.timestampWindowSeconds()) {
      throw unauthorized(
          "the timestamp lies more than "
              + config.timestampWindowSeconds()
              + " s from the server's clock");
    }
    RequestSigning.Request r =
        new RequestSigning.Request(
            key, method.toUpperCase(Locale.ROOT), target, body, nonce, timestamp);
    String signer;
    try {
      signer = signing.signer(r, signature);
    } catch (IllegalArgumentException e) {
      signer = null;
    }
    if (!wallet.equals(signer)) {
      throw unauthorized("the signature does not match the request and the wallet");
    }
    verified.accept(wallet);
    if (nonces.last(wallet).compareTo(nonce) >= 0) { // a replay: refused before it costs a token
      throw unauthorized(STALE_NONCE);
    }
    if (!config.allows(wallet, Server.unitKey(key))) {
      throw new ServeException(403, "forbidden", "the wallet may not act on this key");
    }
    if (!rate.tryAcquire(wallet)) {
      throw new ServeException(
          429,
          "rate-limit",
          "the wallet is over its rate limit",
          Math.max(1, rate.retryAfterSeconds(wallet)));
    }
    if (!nonces.accept(wallet, nonce)) { // a request with this nonce came in meanwhile
      throw unauthorized(STALE_NONCE);
    }
    return wallet;
  }

  private static String required(UnaryOperator<String> headers, String name) {
    String v = headers.apply(name);
    if (v == null || v.isBlank()) {
      throw unauthorized("the request is not signed: " + name + " is missing");
    }
    return v.strip();
  }

  private static BigInteger nonce(String text) {
    if (text.length() > MAX_NONCE_DIGITS || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw unauthorized(NONCE + " is not a decimal integer below 2^256");
    }
    BigInteger n = new BigInteger(text);
    if (n.bitLength() > 256) {
      throw unauthorized(NONCE + " is not a decimal integer below 2^256");
    }
    return n;
  }

  private static long timestamp(String text) {
    if (text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw unauthorized(TIMESTAMP + " is not seconds since the epoch");
    }
    return Long.parseLong(text);
  }

  static ServeException unauthorized(String message) {
    return new ServeException(401, "unauthorized", message);
  }
}
