package dev.cu.serve;

import dev.cu.internal.LmdbNative;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/**
 * Each wallet's last nonce, in an LMDB environment of its own. A nonce is accepted only when it
 * is greater than every nonce the wallet used before, and it is recorded with a synced commit
 * before the request it came with runs: after a crash or a restart no nonce can be used again,
 * so there is no replay window to reopen. A wallet that used the largest nonce has none left:
 * nonces are for the wallet's client to count up from its last. Thread-safe; writes are
 * serialized by LMDB.
 */
public final class NonceStore implements AutoCloseable {
  static {
    LmdbNative.prepare(); // before any lmdbjava class loads LMDB
  }

  /** Room for millions of wallets; LMDB's file grows only as it is used. */
  private static final long MAP_SIZE = 1L << 30;

  private final Env<byte[]> env;
  private final Dbi<byte[]> nonces;

  private NonceStore(Env<byte[]> env) {
    this.env = env;
    this.nonces = env.openDbi("nonces", DbiFlags.MDB_CREATE);
  }

  /**
   * Opens (or makes) the store in {@code dir}.
   *
   * @throws IOException when the folder cannot be made or LMDB cannot open it
   */
  public static NonceStore open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Env<byte[]> env;
    try {
      env =
          Env.create(ByteArrayProxy.PROXY_BA)
              .setMapSize(MAP_SIZE)
              .setMaxDbs(1)
              .open(dir.toFile(), 0600, EnvFlags.MDB_NOTLS);
    } catch (RuntimeException e) {
      throw new IOException("cannot open the nonce store in " + dir + ": " + e.getMessage(), e);
    }
    try {
      return new NonceStore(env);
    } catch (RuntimeException e) {
      env.close();
      throw new IOException("cannot open the nonce store in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Accepts {@code nonce} for {@code wallet} when it is greater than the wallet's last: records
   * it durably and returns true. Otherwise records nothing and returns false.
   *
   * @throws IllegalArgumentException when the nonce is negative or wider than 256 bits
   * @throws IllegalStateException when LMDB cannot record it (a full store, a disk error)
   */
  public boolean accept(String wallet, BigInteger nonce) {
    byte[] value = Abi.integer(checked(nonce));
    byte[] key = key(wallet);
    try (Txn<byte[]> txn = env.txnWrite()) {
      byte[] last = nonces.get(txn, key);
      if (last != null && new BigInteger(1, last).compareTo(nonce) >= 0) {
        return false; // closing the transaction aborts it
      }
      nonces.put(txn, key, value);
      txn.commit();
      return true;
    } catch (org.lmdbjava.LmdbException e) {
      throw new IllegalStateException("the nonce store cannot record a nonce: " + e, e);
    }
  }

  /** The wallet's last accepted nonce, or -1 when it has none. */
  public BigInteger last(String wallet) {
    try (Txn<byte[]> txn = env.txnRead()) {
      byte[] last = nonces.get(txn, key(wallet));
      return last == null ? BigInteger.ONE.negate() : new BigInteger(1, last);
    }
  }

  private static BigInteger checked(BigInteger nonce) {
    if (nonce.signum() < 0 || nonce.bitLength() > 256) {
      throw new IllegalArgumentException("a nonce is an integer from 0 to 2^256 - 1");
    }
    return nonce;
  }

  /** The wallet's key: its address in EIP-55 form, so one wallet has one entry. */
  private static byte[] key(String wallet) {
    return Wallet.normalize(wallet).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() {
    env.close();
  }
}
