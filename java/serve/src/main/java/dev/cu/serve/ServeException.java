package dev.cu.serve;

/**
 * A request the service refused or could not serve: its HTTP status, the error's kind and a
 * message that names no Java internals and no secret. The server throws it for the refusals it
 * answers itself; {@link Client} throws it for every error response.
 */
public class ServeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String kind;
  private final long retryAfterSeconds;

  /** A failure with {@code status}, {@code kind} ({@code unauthorized}, {@code runtime}...). */
  public ServeException(int status, String kind, String message) {
    this(status, kind, message, 0);
  }

  /** As above, telling the client to retry after {@code retryAfterSeconds} (0: no advice). */
  public ServeException(int status, String kind, String message, long retryAfterSeconds) {
    super(message);
    this.status = status;
    this.kind = kind;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The error's kind, as in the response body's {@code error.kind}. */
  public String kind() {
    return kind;
  }

  /** Seconds to wait before retrying, or 0. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
