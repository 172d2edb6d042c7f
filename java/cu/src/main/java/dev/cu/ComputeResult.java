package dev.cu;

import java.time.Duration;
import java.util.List;

/**
 * Everything one {@link ComputeUnit#execute(String)} produced.
 *
 * @param values all values the chunk returned, converted (see {@link ComputeUnit#compute})
 * @param value the last of them, or null when it returned none
 * @param output what {@code print} wrote, lines ending in {@code "\n"}; empty when output is
 *     streamed to a consumer
 * @param instructions VM instructions run, counted in steps of 1,000; -1 when the unit was
 *     built with {@code interruptible(false)} and so does not count
 * @param elapsed wall-clock time of the call
 */
public record ComputeResult(
    List<Object> values, Object value, String output, long instructions, Duration elapsed) {}
