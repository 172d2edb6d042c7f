package dev.cu.internal;

import dev.cu.LuaException;
import dev.cu.LuaMemoryException;
import dev.cu.LuaRuntimeException;
import dev.cu.LuaSyntaxException;
import dev.cu.LuaTimeoutException;
import dev.cu.codec.CborDecoder;
import dev.cu.codec.CborException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where a shim status becomes a Java exception (lmdbjava's ResultCodeMapper
 * pattern), called by {@link NativeUnit} only: nothing outside this package sees a status.
 * Error payloads are CBOR {@code [message, traceback, value]} or {@code [message, traceback,
 * value, frames]} (docs/FORMAT.md).
 */
final class StatusMapper {
  private static final Pattern LINE = Pattern.compile(":(\\d+): ");

  /** The declaring class of the Lua frames in a stack trace. */
  private static final String LUA_CLASS = "lua";

  private StatusMapper() {}

  /**
   * The exception for a failed export that leaves an error payload (a run, a call, a load,
   * {@code _io}); {@code status} must not be CU_OK. CU_ERRARG, a misuse of the ABI, is thrown
   * at once as an {@link IllegalStateException}.
   */
  static LuaException map(int status, NativeUnit unit) {
    return map(status, unit, null);
  }

  /**
   * Like {@link #map}, for {@code cu_chunk_load} of the chunk named {@code nameZ} (NUL
   * terminated, as Lua was given it): a syntax error names that chunk.
   */
  static LuaException mapLoad(int status, NativeUnit unit, byte[] nameZ) {
    int n = nameZ.length > 0 && nameZ[nameZ.length - 1] == 0 ? nameZ.length - 1 : nameZ.length;
    String name = new String(nameZ, 0, n, StandardCharsets.UTF_8);
    if (name.startsWith("=") || name.startsWith("@")) {
      name = name.substring(1);
    }
    return map(status, unit, name);
  }

  private static LuaException map(int status, NativeUnit unit, String chunkName) {
    Object[] p = payload(unit.payload());
    String text = text(p[0]);
    String message = text != null ? text : "Lua error (status " + status + ")";
    String traceback = p[1] instanceof String s ? s : null;
    switch (status) {
      case CuLib.CU_ERRSYNTAX:
        {
          Matcher m = LINE.matcher(message);
          boolean found = m.find();
          String chunk =
              chunkName != null && message.startsWith(chunkName + ":")
                  ? chunkName
                  : found ? message.substring(0, m.start()) : chunkName;
          int line = found ? Integer.parseInt(m.group(1)) : -1;
          return new LuaSyntaxException(message, chunk, line, message.endsWith("<eof>"));
        }
      case CuLib.CU_ERRMEM:
        return memory(message, unit);
      case CuLib.CU_ERRSTOP:
        return new LuaTimeoutException(message, reason(unit.stopReason()));
      case CuLib.CU_ERRARG:
        throw new IllegalStateException("cu: " + message);
      default:
        Throwable cause = status == CuLib.CU_ERRUPCALL ? unit.takeUpcallError() : null;
        return located(message, traceback, p[2], cause, frames(p[3]));
    }
  }

  /** A runtime error located at its innermost Lua frame, with the Lua frames on top. */
  private static LuaRuntimeException located(
      String message, String traceback, Object value, Throwable cause, StackTraceElement[] lua) {
    String chunk = lua.length > 0 ? lua[0].getFileName() : null;
    int line = lua.length > 0 ? lua[0].getLineNumber() : -1;
    LuaRuntimeException e =
        new LuaRuntimeException(message, traceback, value, cause, chunk, line < 0 ? -1 : line);
    if (lua.length > 0) {
      StackTraceElement[] java = e.getStackTrace();
      StackTraceElement[] all = Arrays.copyOf(lua, lua.length + java.length);
      System.arraycopy(java, 0, all, lua.length, java.length);
      e.setStackTrace(all);
    }
    return e;
  }

  /**
   * The frames element of a payload: [[chunk, line, name], ...], innermost first; anything
   * else (an older payload without it, a malformed entry) gives no frames.
   */
  private static StackTraceElement[] frames(Object element) {
    if (!(element instanceof List<?> list)) {
      return new StackTraceElement[0];
    }
    List<StackTraceElement> out = new ArrayList<>(list.size());
    for (Object o : list) {
      if (!(o instanceof List<?> f) || f.size() != 3 || text(f.get(0)) == null) {
        continue;
      }
      int line = f.get(1) instanceof Number l ? l.intValue() : -1;
      String name = text(f.get(2));
      out.add(new StackTraceElement(LUA_CLASS, name != null ? name : "?", text(f.get(0)), line));
    }
    return out.toArray(new StackTraceElement[0]);
  }

  /**
   * A text of the payload: a string that is not valid UTF-8 (Lua cuts long chunk names at a
   * byte count, maybe inside a character; a script may raise any bytes) arrives as bytes and
   * is decoded with replacement.
   */
  private static String text(Object o) {
    if (o instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return o instanceof String s ? s : null;
  }

  /**
   * A memory error; when the limit refused a request in this export, the message says its
   * size, the limit and the memory in use then.
   */
  private static LuaMemoryException memory(String message, NativeUnit unit) {
    long limit = unit.memoryLimit();
    long refused = unit.memoryRefused();
    if (limit <= 0 || refused <= 0) {
      return new LuaMemoryException(message, limit > 0 ? limit : -1, -1);
    }
    String text =
        String.format(
            Locale.ROOT,
            "%s: a request of %d bytes exceeds the memory limit of %d bytes (%s in use)",
            message,
            refused,
            limit,
            size(unit.memoryRefusedUsed()));
    return new LuaMemoryException(text, limit, refused);
  }

  /** {@code n} bytes for people: bytes, KiB or MiB with one decimal. */
  private static String size(long n) {
    if (n < 1024) {
      return n + " bytes";
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024.0));
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
      if (CborDecoder.decode(bytes) instanceof List<?> l && (l.size() == 3 || l.size() == 4)) {
        return Arrays.copyOf(l.toArray(), 4);
      }
    } catch (CborException e) {
      return new Object[] {"malformed error payload: " + e.getMessage(), null, null, null};
    }
    return new Object[] {null, null, null, null};
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
