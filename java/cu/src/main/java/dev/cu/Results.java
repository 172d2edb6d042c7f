package dev.cu;

import dev.cu.codec.CborDecoder;
import dev.cu.codec.CborException;
import dev.cu.codec.ObjectRefs;
import dev.cu.internal.NativeUnit;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

/** The Java values of a run's result payload, for {@link ComputeUnit}. */
final class Results {
  private Results() {}

  /**
   * The value of {@code payload}; with {@code cycles}, tables reachable twice or containing
   * themselves stay one object.
   *
   * Exported objects become themselves ({@code objects}).
   *
   * @throws LuaRuntimeException when the payload cannot be converted
   */
  static Object decode(byte[] payload, boolean cycles, ObjectRefs objects) {
    try {
      return CborDecoder.decode(payload, cycles, objects);
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
    List<Object> values =
        (List<Object>) decode(parts.released(payload), parts.cycles, parts.objects);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
    Object last = values.isEmpty() ? null : values.get(values.size() - 1);
    // a view: List.copyOf would refuse the nulls that nil values become
    return new ComputeResult(
        Collections.unmodifiableList(values), last, unit.printed(), unit.instructions(), elapsed);
  }
}
