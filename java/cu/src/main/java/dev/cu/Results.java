package dev.cu;

import dev.cu.codec.CborException;
import dev.cu.internal.NativeUnit;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

/** The Java values of a run's result payload, for {@link ComputeUnit} and the handles. */
final class Results {
  private Results() {}

  /**
   * The value of {@code payload}, functions as {@link LuaFunction} handles of {@code handles}'
   * unit; when the unit allows cycles, tables reachable twice or containing themselves stay one
   * object; exported objects ({@link LuaExport}) become themselves.
   *
   * @throws LuaRuntimeException when the payload cannot be converted
   */
  static Object decode(byte[] payload, Handles handles) {
    try {
      return handles.decode(payload, handles.cycles);
    } catch (CborException e) {
      throw new LuaRuntimeException("cannot convert the result: " + e.getMessage(), null, null, e);
    }
  }

  /**
   * The result of a run of unit {@code parts} with RESULT_ALL that started at {@code t0}, after
   * the objects Lua collected were released.
   */
  static ComputeResult all(UnitAssembly parts, byte[] payload, long t0) {
    NativeUnit unit = parts.unit;
    @SuppressWarnings("unchecked")
    List<Object> values = (List<Object>) decode(parts.released(payload), parts.handles);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
    Object last = values.isEmpty() ? null : values.get(values.size() - 1);
    // a view: List.copyOf would refuse the nulls that nil values become
    return new ComputeResult(
        Collections.unmodifiableList(values), last, unit.printed(), unit.instructions(), elapsed);
  }
}
