package dev.cu;

/**
 * Memory of one unit's Lua heap, in bytes, as counted by its allocator.
 *
 * @param limit the limit, 0 when unlimited
 * @param used bytes allocated now
 * @param free {@code limit - used}, or {@link Long#MAX_VALUE} when unlimited
 * @param peak the highest {@code used} seen since the unit was created
 */
public record MemoryStats(long limit, long used, long free, long peak) {}
