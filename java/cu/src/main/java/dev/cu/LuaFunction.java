package dev.cu;

import dev.cu.internal.NativeUnit;
import java.util.List;

/**
 * A Lua function held by reference: from {@link ComputeUnit#load}, {@link
 * ComputeUnit#function}, a result, or the arguments of a host function. Calls run like {@link
 * ComputeUnit#call}: under the unit's limits, committing {@code _home} on success, failing with
 * the same exceptions. Passed back into Lua (as an argument, a table value, a host function's
 * result, input) it is the same Lua function, not a copy.
 *
 * <p>A handle belongs to its unit and follows its thread rule; it holds a reference that {@link
 * #close()} releases (a {@link java.lang.ref.Cleaner} releases that of a forgotten handle). A
 * function passed to a host function is released when the host function returns, unless {@link
 * #retain()} was called. Using a handle after it was closed or released, or after its unit
 * closed, throws {@link IllegalStateException}; passing it to another unit throws {@link
 * IllegalArgumentException}.
 */
public final class LuaFunction implements AutoCloseable {
  final Handles.Ref ref;

  LuaFunction(Handles owner, int ref, String description) {
    this.ref = new Handles.Ref(owner, ref, this, "LuaFunction", description);
  }

  /**
   * Calls the function with arguments converted like {@link ComputeUnit#setInput} (handles
   * pass as themselves); returns its last result, converted like a result of {@link
   * ComputeUnit#compute}.
   *
   * @throws LuaRuntimeException on a Lua error or a result that cannot be converted
   * @throws LuaMemoryException when the memory limit is reached
   * @throws LuaTimeoutException when a time, CPU time or instruction limit or an interrupt stops
   *     it
   * @throws IllegalArgumentException when an argument cannot be converted
   * @throws IllegalStateException when the handle or its unit is closed, or the unit is in use
   *     by another thread
   */
  public Object call(Object... args) {
    Handles h = ref.owner;
    return h.run(ref, LuaFunction::invoke, args, null, NativeUnit.RESULT_LAST);
  }

  /** Like {@link #call(Object...)}, returning all results. Throws what it throws. */
  @SuppressWarnings("unchecked")
  public List<Object> callAll(Object... args) {
    Handles h = ref.owner;
    return (List<Object>) h.run(ref, LuaFunction::invoke, args, null, NativeUnit.RESULT_ALL);
  }

  /**
   * Like {@link #call(Object...)}, the last result bound to {@code type} by the unit's Jackson
   * mapper (as {@link ComputeUnit#getOutput(Class)} does). Throws what it throws, and {@link
   * IllegalArgumentException} when the result does not bind.
   */
  public <T> T call(Class<T> type, Object... args) {
    return ref.owner.mapper.convertValue(call(args), type);
  }

  /**
   * A new coroutine running this function, suspended until its first {@link
   * LuaCoroutine#resume}.
   *
   * @throws LuaMemoryException when the memory limit is reached
   * @throws IllegalStateException when the handle or its unit is closed, or the unit is in use
   *     by another thread
   */
  public LuaCoroutine coroutine() {
    return ref.owner.coroutine(ref);
  }

  /**
   * Keeps a function passed to a host function beyond the host call, until it is closed or
   * collected; does nothing for other handles. Returns this handle.
   *
   * @throws IllegalStateException when the handle was already closed or released
   */
  public LuaFunction retain() {
    ref.retain();
    return this;
  }

  /** Releases the reference; idempotent, and callable after the unit closed. */
  @Override
  public void close() {
    ref.close();
  }

  /** What Lua's {@code tostring} said of the value when the handle was made. */
  @Override
  public String toString() {
    return ref.toString();
  }

  /** {@link Handles#invoke} as a {@link Handles.RefOp}: {@code args} is the argument array. */
  private static Object invoke(Handles h, int ref, Object args, Object unused, int mode) {
    return h.invoke(ref, (Object[]) args, mode);
  }

  /** A result mode with the unit's cycle setting. */
  static int mode(Handles h, int mode) {
    return h.cycles ? mode | NativeUnit.RESULT_CYCLES : mode;
  }
}
