package dev.cu.serve;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a request is signed: the EIP-712 typed message {@code Request(string key,string
 * method,string path,bytes32 bodyHash,uint256 nonce,uint256 timestamp)} in the service's domain
 * ({@code name}, {@code version}, {@code chainId}). The client signs its digest with the wallet;
 * the server recovers the signer's address from the same digest. A request whose fields differ
 * in any way from those signed recovers another address. A signature binds a request to its
 * domain only: two deployments that share a domain (and a wallet's nonces did not reach the one
 * yet) accept each other's requests, so each deployment names itself in the domain's name.
 */
public final class RequestSigning {
  /** The typed message's struct. */
  public static final String TYPE = "Request";

  static final Eip712 TYPES =
      new Eip712(
          Map.of(
              TYPE,
              List.of(
                  new Eip712.Field("key", "string"),
                  new Eip712.Field("method", "string"),
                  new Eip712.Field("path", "string"),
                  new Eip712.Field("bodyHash", "bytes32"),
                  new Eip712.Field("nonce", "uint256"),
                  new Eip712.Field("timestamp", "uint256"))));

  /**
   * The service's EIP-712 domain.
   *
   * @param name the service's name
   * @param version the protocol's version
   * @param chainId the chain the wallets belong to (1: Ethereum's main network)
   */
  public record Domain(String name, String version, long chainId) {
    Map<String, Object> fields() {
      return Map.of("name", name, "version", version, "chainId", chainId);
    }
  }

  /**
   * The fields a request is signed over.
   *
   * @param key the unit's key
   * @param method the HTTP method, upper case
   * @param path the request's path, without query
   * @param body the request's body (empty for none)
   * @param nonce the wallet's next nonce: greater than every nonce it used before
   * @param timestamp the request's time, seconds since the epoch
   */
  public record Request(
      String key, String method, String path, byte[] body, BigInteger nonce, long timestamp) {
    /** The fields, the body by its length only. */
    @Override
    public String toString() {
      return "Request["
          + method
          + " "
          + path
          + ", key "
          + key
          + ", "
          + body.length
          + " bytes, nonce "
          + nonce
          + ", at "
          + timestamp
          + "]";
    }
  }

  private final Domain domain;
  private final byte[] separator;

  /**
   * Signing in {@code domain}.
   *
   * @throws IllegalArgumentException when a field of the domain does not fit its type
   */
  public RequestSigning(Domain domain) {
    this.domain = domain;
    this.separator = Eip712.domainSeparator(domain.fields());
  }

  /** The domain. */
  public Domain domain() {
    return domain;
  }

  /**
   * The digest of {@code r}: what the wallet signs.
   *
   * @throws IllegalArgumentException when the nonce or the timestamp is negative
   */
  public byte[] digest(Request r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", r.key());
    m.put("method", r.method());
    m.put("path", r.path());
    m.put("bodyHash", Sha256.of(r.body()));
    m.put("nonce", r.nonce());
    m.put("timestamp", BigInteger.valueOf(r.timestamp()));
    return Eip712.digest(separator, TYPES.hashStruct(TYPE, m));
  }

  /** {@code wallet}'s signature of {@code r}. Throws what {@link #digest} throws. */
  public Signature sign(Wallet wallet, Request r) {
    return wallet.sign(digest(r));
  }

  /**
   * The address that signed {@code r} with {@code signature}; any other request, or another
   * signature, gives another address or throws.
   *
   * @throws IllegalArgumentException when no public key fits the signature
   */
  public String signer(Request r, Signature signature) {
    return Wallet.recover(digest(r), signature);
  }
}
