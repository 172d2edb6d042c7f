package dev.cu.serve;

import dev.cu.LuaMemoryException;
import dev.cu.LuaRuntimeException;
import dev.cu.LuaSyntaxException;
import dev.cu.LuaTimeoutException;
import dev.cu.pool.PoolBusyException;
import dev.cu.store.CuStoreException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Maps what a request threw to the status, kind and message the client sees. Messages of Lua
 * errors are the script's own (Lua never sees a Java class name or message: host functions fail
 * with a fixed text); every other failure gets a fixed message, so no Java internals leak.
 *
 * <table>
 *   <caption>Statuses</caption>
 *   <tr><th>failure</th><th>status</th><th>kind</th></tr>
 *   <tr><td>syntax error</td><td>422</td><td>syntax</td></tr>
 *   <tr><td>Lua error</td><td>422</td><td>runtime</td></tr>
 *   <tr><td>memory limit</td><td>429</td><td>memory</td></tr>
 *   <tr><td>time, CPU or instruction limit</td><td>408</td><td>timeout</td></tr>
 *   <tr><td>a relay failure that ended the run</td><td>its own</td><td>relay</td></tr>
 *   <tr><td>queue full</td><td>503</td><td>busy</td></tr>
 *   <tr><td>storage failure</td><td>503</td><td>storage</td></tr>
 *   <tr><td>anything else</td><td>500</td><td>internal</td></tr>
 * </table>
 */
final class Failures {
  private Failures() {}

  /** The refusal for {@code t}. */
  static ServeException of(Throwable t) {
    t = unwrap(t);
    if (t instanceof ServeException s) {
      return s;
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CuStoreException || c instanceof org.lmdbjava.LmdbException) {
        return new ServeException(503, "storage", "the server's storage failed");
      }
      if (c instanceof RelayException r) {
        // a relay failure the script did not catch: its status, the message Lua saw
        return new ServeException(r.status(), "relay", t.getMessage(), r.retryAfterSeconds());
      }
    }
    if (t instanceof LuaSyntaxException) {
      return new ServeException(422, "syntax", t.getMessage());
    } else if (t instanceof LuaMemoryException) {
      return new ServeException(429, "memory", "memory limit exceeded");
    } else if (t instanceof LuaTimeoutException e) {
      return new ServeException(408, "timeout", limit(e));
    } else if (t instanceof LuaRuntimeException) {
      return new ServeException(422, "runtime", t.getMessage());
    } else if (t instanceof PoolBusyException) {
      return new ServeException(503, "busy", "the server is busy", 1);
    } else if (t instanceof CancellationException) {
      return new ServeException(503, "busy", "the server is shutting down", 1);
    }
    return new ServeException(500, "internal", "internal error");
  }

  private static String limit(LuaTimeoutException e) {
    return switch (e.reason()) {
      case TIME_LIMIT -> "time limit exceeded";
      case CPU_TIME_LIMIT -> "cpu time limit exceeded";
      case INSTRUCTION_LIMIT -> "instruction limit exceeded";
      case INTERRUPTED -> "interrupted";
    };
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
