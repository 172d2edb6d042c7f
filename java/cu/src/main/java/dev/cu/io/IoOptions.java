package dev.cu.io;

import java.util.Map;

/**
 * Options of {@link IoWrapper#computeWithIo}.
 *
 * @param clearBefore empty {@code _io} before setting the input (default true)
 * @param metadata extra entries for {@code _io.meta}; {@code requestId} and {@code timestamp}
 *     are added to them
 */
public record IoOptions(boolean clearBefore, Map<String, Object> metadata) {
  public IoOptions {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** clearBefore true, no extra metadata. */
  public static IoOptions defaults() {
    return new IoOptions(true, Map.of());
  }
}
