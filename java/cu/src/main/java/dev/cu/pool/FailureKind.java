package dev.cu.pool;

import dev.cu.LuaMemoryException;
import dev.cu.LuaSyntaxException;
import dev.cu.LuaTimeoutException;
import dev.cu.store.CuStoreException;
import java.util.concurrent.CancellationException;

/** The kinds of failed requests the pool counts ({@link UnitPool#failures}). */
public enum FailureKind {
  /** The code did not compile. */
  SYNTAX,
  /** The script raised an error, or a value could not be converted. */
  RUNTIME,
  /** The unit's memory limit was reached. */
  MEMORY,
  /** A time, CPU or instruction limit stopped the script, or it was interrupted. */
  TIMEOUT,
  /** The storage failed (a {@link CuStoreException}, also as a cause). */
  STORAGE,
  /** The queue was full ({@link PoolBusyException}). */
  REJECTED,
  /** The request was cancelled by {@link UnitPool#closeNow()}. */
  CANCELLED;

  /** The kind of {@code t}, a request's failure. */
  static FailureKind of(Throwable t) {
    int depth = 0;
    for (Throwable c = t; c != null && depth < 64; c = c.getCause(), depth++) { // cycles end
      if (c instanceof CuStoreException) {
        return STORAGE;
      }
    }
    if (t instanceof LuaSyntaxException) {
      return SYNTAX;
    } else if (t instanceof LuaMemoryException) {
      return MEMORY;
    } else if (t instanceof LuaTimeoutException) {
      return TIMEOUT;
    } else if (t instanceof PoolBusyException) {
      return REJECTED;
    } else if (t instanceof CancellationException) {
      return CANCELLED;
    }
    return RUNTIME;
  }

  /** The name used in metrics, e.g. {@code runtime}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
