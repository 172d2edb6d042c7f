package dev.cu.serve;

import dev.cu.LuaExport;
import java.util.Map;

/**
 * An upstream's answer read as it arrives, what {@code relay.stream} gives Lua: {@code
 * s:status()}, {@code s:headers()}, {@code s:read()} (the next chunk, or nil at the end) and
 * {@code s:close()}; {@code for chunk in s.read, s do ... end} reads every chunk. Chunks come
 * with the secret redacted, also when it is split across two of them (the bytes that may start
 * it are held back until the next chunk). Each read waits at most the upstream's timeout and never
 * past the request's deadline; the whole stream counts against the upstream's size cap. The
 * stream is closed when the request ({@link Relay#as}) ends; reading it after that is an error.
 * Used by the thread running its request.
 */
public final class RelayStream {
  private static final int CHUNK = 8192;

  private final int status;
  private final Map<String, String> headers;
  private final BodyReader body;
  private final Redactor redactor;
  private final String name;
  private final long timeoutNanos;
  private final long deadlineNanos;
  private final byte[] buf = new byte[CHUNK];
  private boolean ended;
  private boolean expired;

  RelayStream(
      int status,
      Map<String, String> headers,
      BodyReader body,
      Redactor redactor,
      String name,
      long timeoutNanos,
      long deadlineNanos) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.redactor = redactor;
    this.name = name;
    this.timeoutNanos = timeoutNanos;
    this.deadlineNanos = deadlineNanos;
  }

  /** The HTTP status of the answer. */
  @LuaExport
  public int status() {
    return status;
  }

  /** The answer's headers: lower-case names, several values joined with {@code ", "}. */
  @LuaExport
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * The next chunk (at most about 8 KiB, redacted), or null (nil) at the end or after {@link
   * #close}.
   *
   * @throws RelayException 504 when the upstream is silent past its timeout or the request's
   *     deadline, 502 when it fails or sends more than its cap, 400 when the request that opened
   *     the stream has ended
   */
  @LuaExport
  public byte[] read() {
    if (expired) {
      throw new RelayException(400, "relay: the stream ended with the request that opened it");
    }
    if (ended) {
      return null;
    }
    try {
      while (true) {
        long until = Math.min(System.nanoTime() + timeoutNanos, deadlineNanos);
        int n = body.read(buf, until);
        if (n < 0) {
          ended = true;
          body.close();
          byte[] rest = redactor.next(buf, 0, true);
          return rest.length > 0 ? rest : null;
        }
        byte[] out = redactor.next(buf, n, false);
        if (out.length > 0) {
          return out;
        }
      }
    } catch (RuntimeException e) {
      ended = true; // the body is closed; later reads give nil
      throw e;
    }
  }

  /** {@link #read()}, for {@code for chunk in s.read, s do}: the argument is ignored. */
  @LuaExport
  public byte[] read(Object ignored) {
    return read();
  }

  /** Closes the stream; later reads give nil. */
  @LuaExport
  public void close() {
    ended = true;
    body.close();
  }

  /** Closes the stream as its request ends; later reads are errors. */
  void expire() {
    if (!ended) {
      expired = true;
    }
    close();
  }

  /** Only the status: never a header or a chunk. */
  @Override
  public String toString() {
    return "RelayStream(" + RelayCall.quoted(name) + ", " + status + ")";
  }
}
