package dev.cu.serve;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Replaces every occurrence of a secret in bytes by {@code [redacted]}, in one piece ({@link
 * #all}) or chunk by chunk ({@link #next}): then the end of a chunk that is a beginning of the
 * secret (at most {@code secret.length - 1} bytes) is held back until the next chunk (or the end)
 * shows whether the secret follows. An empty secret redacts nothing. Not thread-safe (one per
 * stream).
 */
final class Redactor {
  static final byte[] REDACTED = "[redacted]".getBytes(StandardCharsets.US_ASCII);

  private final byte[] secret;
  private byte[] held = new byte[0];

  /** A redactor of {@code secret} (not copied: the caller keeps it alive and clears it). */
  Redactor(byte[] secret) {
    this.secret = secret;
  }

  /** {@code data} with every occurrence of the secret replaced. */
  byte[] all(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
    copy(data, data.length, out);
    return out.toByteArray();
  }

  /**
   * A header value with every occurrence of the secret replaced. The HTTP client gives header
   * bytes one char each (ISO-8859-1), so the match is on those bytes, as they came.
   */
  String header(String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    byte[] r = all(b);
    return Arrays.equals(r, b) ? s : new String(r, StandardCharsets.ISO_8859_1);
  }

  /**
   * The redacted bytes that may be given out after {@code chunk} arrived (possibly none), or
   * all that is held when {@code last} (then {@code chunk} may be empty).
   */
  byte[] next(byte[] chunk, int length, boolean last) {
    byte[] data = new byte[held.length + length];
    System.arraycopy(held, 0, data, 0, held.length);
    System.arraycopy(chunk, 0, data, held.length, length);
    int limit = last ? data.length : data.length - partial(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
    int end = copy(data, limit, out);
    held = Arrays.copyOfRange(data, end, data.length);
    return out.toByteArray();
  }

  /**
   * The length of the longest end of {@code data} that is a beginning of the secret, shorter
   * than it: the bytes that may be the start of an occurrence the next chunk completes. (No
   * occurrence can start earlier and still be incomplete: its bytes up to the end would be a
   * longer such end.)
   */
  private int partial(byte[] data) {
    for (int k = Math.min(secret.length - 1, data.length); k > 0; k--) {
      if (Arrays.equals(data, data.length - k, data.length, secret, 0, k)) {
        return k;
      }
    }
    return 0;
  }

  /** Bytes held back, for tests. */
  int held() {
    return held.length;
  }

  /**
   * Copies {@code data} to {@code out} from 0 while the position is below {@code limit},
   * replacing each occurrence of the secret that starts there; returns where it stopped.
   */
  private int copy(byte[] data, int limit, ByteArrayOutputStream out) {
    int i = 0;
    while (i < limit) {
      if (secret.length > 0 && startsAt(data, i)) {
        out.write(REDACTED, 0, REDACTED.length);
        i += secret.length;
      } else {
        out.write(data[i]);
        i++;
      }
    }
    return i;
  }

  private boolean startsAt(byte[] data, int at) {
    if (at + secret.length > data.length) {
      return false;
    }
    for (int j = 0; j < secret.length; j++) {
      if (data[at + j] != secret[j]) {
        return false;
      }
    }
    return true;
  }
}
