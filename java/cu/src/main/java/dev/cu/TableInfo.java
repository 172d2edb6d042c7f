package dev.cu;

import java.util.Set;

/**
 * The external tables of a unit's store.
 *
 * @param homeTableId the id of {@code _home}
 * @param ioTableId the id reserved for {@code _io}
 * @param tableCount how many tables the store holds (roots included)
 * @param tableIds their ids
 */
public record TableInfo(long homeTableId, long ioTableId, int tableCount, Set<Long> tableIds) {}
