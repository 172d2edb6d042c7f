package dev.cu.pool;

/**
 * A request the pool refused because its queue was full: {@link UnitPool.Builder#queueCapacity}
 * requests were accepted and not finished, and no room came within {@link
 * UnitPool.Builder#queueTimeout}. Nothing of the request ran; it may be sent again later.
 */
public final class PoolBusyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PoolBusyException(String message) {
    super(message);
  }
}
