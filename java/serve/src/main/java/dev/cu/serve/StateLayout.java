package dev.cu.serve;

import java.nio.file.Path;

/**
 * Where the service keeps its data inside its state folder ({@code cu serve --state DIR}): the
 * units' LMDB environment, the wallets' nonces, the vault and the audit log. The master key of
 * the vault never lies here ({@link MasterKey#fromFile}).
 */
public final class StateLayout {
  private StateLayout() {}

  /** The folder of the unit pool's LMDB environment: one namespace per unit key. */
  public static Path units(Path state) {
    return state.resolve("units");
  }

  /** The folder of the nonce store's LMDB environment. */
  public static Path nonces(Path state) {
    return state.resolve("nonces");
  }

  /** The folder holding the vault's file ({@link Vault#FILE}) and its lock. */
  public static Path vault(Path state) {
    return state;
  }

  /** The audit log: one JSON line per request ({@link AuditLog}). */
  public static Path audit(Path state) {
    return state.resolve("audit.jsonl");
  }
}
