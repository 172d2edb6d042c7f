package dev.cu.serve;

import dev.cu.LuaRuntimeException;

/**
 * A relay call that failed: a Lua error the script may catch with {@code pcall}, whose message
 * (starting {@code relay: }) is what Lua sees, and the HTTP status the server answers when the
 * error ends the request (it is then the cause of the {@link LuaRuntimeException} the unit
 * throws). The message and the cause never hold a secret's value.
 */
public final class RelayException extends LuaRuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final long retryAfterSeconds;

  RelayException(int status, String message) {
    this(status, message, 0, null);
  }

  RelayException(int status, String message, long retryAfterSeconds, Throwable cause) {
    super(message, null, message, cause);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /**
   * The HTTP status for the server's answer: 400 for a bad request, 403 for an upstream that is
   * not allowed or a call outside a request, 429 for an exhausted quota, 500 for a missing or
   * unusable secret, 502 for an upstream that failed or answered too much, 503 when the waiting
   * thread was interrupted, 504 for an upstream that timed out.
   */
  public int status() {
    return status;
  }

  /** For a 429: seconds until the wallet may call the upstream again; otherwise 0. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The status and the Lua message; never a secret. */
  @Override
  public String toString() {
    return "RelayException(" + status + "): " + getMessage();
  }
}
