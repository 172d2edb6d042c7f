package dev.cu.io;

import java.util.Map;

/**
 * What one {@link IoWrapper#computeWithIo} produced.
 *
 * @param returnValue the chunk's last return value
 * @param output {@code _io.output} after the chunk, converted
 * @param metadata the {@code _io.meta} the chunk saw (with requestId and timestamp)
 */
public record IoResult(Object returnValue, Object output, Map<String, Object> metadata) {}
