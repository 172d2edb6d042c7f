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
 * @param instructions VM instructions run (and library-loop iterations, which count as
 *     instructions), counted in steps of 1,000, on a unit with an instruction limit (and on every interruptible unit outside Linux); -1 when nothing counts
 *     them: a unit built with {@code interruptible(false)}, or a Linux unit without an
 *     instruction limit, which is stopped by signals instead (docs/LIMITS.md)
 * @param elapsed wall-clock time of the call
 */
public record ComputeResult(
    List<Object> values, Object value, String output, long instructions, Duration elapsed) {}
