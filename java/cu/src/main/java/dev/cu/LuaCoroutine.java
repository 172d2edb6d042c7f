package dev.cu;

import dev.cu.internal.NativeUnit;
import java.util.List;

/**
 * A Lua coroutine held by reference, made by {@link LuaFunction#coroutine()}. Each {@link
 * #resume} runs it until it yields or returns, under the unit's limits and with the exceptions
 * of {@link ComputeUnit#call} (an error inside the coroutine is a {@link LuaRuntimeException},
 * and the coroutine is dead afterwards, as in Lua).
 *
 * <p>Lifecycle and threads as for {@link LuaFunction}: {@link #close()} closes the coroutine
 * as {@code coroutine.close} does and releases it; after it or its unit closed it throws {@link
 * IllegalStateException}.
 */
public final class LuaCoroutine implements AutoCloseable {
  final Handles.Ref ref;

  LuaCoroutine(Handles owner, int ref, String description) {
    this.ref = new Handles.Ref(owner, ref, this, "LuaCoroutine", description);
  }

  /**
   * Resumes the coroutine with arguments converted like {@link ComputeUnit#setInput}: the first
   * resume passes them to the function, later ones return them from {@code coroutine.yield}.
   * Returns the values it yielded, or returned when it finished.
   *
   * @throws LuaRuntimeException on a Lua error inside it, or when it cannot be resumed (dead,
   *     running)
   * @throws LuaMemoryException when the memory limit is reached
   * @throws LuaTimeoutException when a time, CPU time or instruction limit or an interrupt stops
   *     it
   * @throws IllegalStateException when the handle or its unit is closed, or the unit is in use
   *     by another thread
   */
  @SuppressWarnings("unchecked")
  public List<Object> resume(Object... args) {
    Handles h = ref.owner;
    byte[] a = h.encodeArgs(args);
    return (List<Object>)
        h.decode(h.run(ref, r -> h.nh.resume(r, a, LuaFunction.mode(h, NativeUnit.RESULT_ALL))));
  }

  /**
   * Lua's status of the coroutine: {@code "suspended"}, {@code "running"}, {@code "normal"} or
   * {@code "dead"}.
   *
   * @throws IllegalStateException when the handle or its unit is closed, or the unit is in use
   *     by another thread
   */
  public String status() {
    Handles h = ref.owner;
    return h.run(ref, h.nh::status);
  }

  /**
   * Closes the coroutine as Lua's {@code coroutine.close} does (its pending to-be-closed
   * variables run, under the unit's limits) and releases the reference, also when that fails.
   * Idempotent; after the unit closed it only releases.
   *
   * @throws LuaRuntimeException when a to-be-closed variable raises an error, or the coroutine
   *     is running (closing it from inside itself)
   * @throws IllegalStateException when the unit is in use by another thread
   */
  @Override
  public void close() {
    Handles h = ref.owner;
    h.closeWith(
        ref,
        r -> {
          h.nh.close(r);
          return null;
        });
  }

  /** What Lua's {@code tostring} said of the value when the handle was made. */
  @Override
  public String toString() {
    return ref.toString();
  }
}
