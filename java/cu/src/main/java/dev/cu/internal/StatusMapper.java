package dev.cu.internal;

import dev.cu.LuaException;
import dev.cu.LuaMemoryException;
import dev.cu.LuaRuntimeException;
import dev.cu.LuaSyntaxException;
import dev.cu.LuaTimeoutException;
import dev.cu.codec.CborDecoder;
import dev.cu.codec.CborException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where a shim status becomes a Java exception (lmdbjava's ResultCodeMapper
 * pattern), called by {@link NativeUnit} only: nothing outside this package sees a status.
 * Error payloads are CBOR {@code [message, traceback, value]}.
 */
final class StatusMapper {
  private static final Pattern LINE = Pattern.compile(":(\\d+): ");

  private StatusMapper() {}

  /**
   * The exception for a failed export that leaves an error payload (a run, a call, a load,
   * {@code _io}); {@code status} must not be CU_OK. CU_ERRARG, a misuse of the ABI, is thrown
   * at once as an {@link IllegalStateException}.
   */
  static LuaException map(int status, NativeUnit unit) {
    Object[] p = payload(unit.payload());
    String message = p[0] instanceof String s ? s : "Lua error (status " + status + ")";
    String traceback = p[1] instanceof String s ? s : null;
    switch (status) {
      case CuLib.CU_ERRSYNTAX:
        return new LuaSyntaxException(message, line(message), message.endsWith("<eof>"));
      case CuLib.CU_ERRMEM:
        return new LuaMemoryException(message);
      case CuLib.CU_ERRSTOP:
        return new LuaTimeoutException(message, reason(unit.stopReason()));
      case CuLib.CU_ERRUPCALL:
        return new LuaRuntimeException(message, traceback, p[2], unit.takeUpcallError());
      case CuLib.CU_ERRARG:
        throw new IllegalStateException("cu: " + message);
      default:
        return new LuaRuntimeException(message, traceback, p[2], null);
    }
  }

  /**
   * Like {@link #map}, for an export that converts a value given by Java: CU_ERRVALUE (the
   * bytes are not a value Lua can hold) becomes an {@link IllegalArgumentException} saying
   * what could not be converted ({@code target}, e.g. {@code _io.input}).
   */
  static RuntimeException mapInput(int status, NativeUnit unit, String target) {
    LuaException e = map(status, unit);
    if (status == CuLib.CU_ERRVALUE) {
      return new IllegalArgumentException("cannot convert " + target + ": " + e.getMessage());
    }
    return e;
  }

  /** {@link #failure(int, String, String)} with one message for either kind of failure. */
  static RuntimeException failure(int status, String message) {
    return failure(status, message, message);
  }

  /**
   * The exception for a failed export that leaves no payload: CU_ERRMEM becomes a {@link
   * LuaMemoryException} with {@code memory}, CU_ERRARG and CU_ERRVALUE (a bad argument) an
   * {@link IllegalArgumentException} with {@code misuse}.
   */
  static RuntimeException failure(int status, String memory, String misuse) {
    switch (status) {
      case CuLib.CU_ERRMEM:
        return new LuaMemoryException(memory);
      case CuLib.CU_ERRARG:
      case CuLib.CU_ERRVALUE:
        return new IllegalArgumentException(misuse);
      default:
        return new IllegalStateException("cu: unexpected status " + status + ": " + misuse);
    }
  }

  private static Object[] payload(byte[] bytes) {
    try {
      if (CborDecoder.decode(bytes) instanceof List<?> l && l.size() == 3) {
        return l.toArray();
      }
    } catch (CborException e) {
      return new Object[] {"malformed error payload: " + e.getMessage(), null, null};
    }
    return new Object[] {null, null, null};
  }

  private static int line(String message) {
    Matcher m = LINE.matcher(message);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static LuaTimeoutException.Reason reason(int r) {
    switch (r) {
      case CuLib.CU_STOP_TIME:
        return LuaTimeoutException.Reason.TIME_LIMIT;
      case CuLib.CU_STOP_INSTRUCTIONS:
        return LuaTimeoutException.Reason.INSTRUCTION_LIMIT;
      case CuLib.CU_STOP_CPU:
        return LuaTimeoutException.Reason.CPU_TIME_LIMIT;
      default:
        return LuaTimeoutException.Reason.INTERRUPTED;
    }
  }
}
