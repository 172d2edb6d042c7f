package dev.cu;

/**
 * The unit's memory limit was reached (or the system ran out of memory). When the limit
 * refused a request, the message says so: {@code not enough memory: a request of 1048576
 * bytes exceeds the memory limit of 16777216 bytes (15.8 MiB in use)}.
 */
public class LuaMemoryException extends LuaException {
  private static final long serialVersionUID = 1L;
  private final long limit;
  private final long requested;

  public LuaMemoryException(String message) {
    this(message, -1, -1);
  }

  /**
   * @param limit the memory limit in bytes, -1 when unknown
   * @param requested the size in bytes of the request the limit refused, -1 when unknown
   */
  public LuaMemoryException(String message, long limit, long requested) {
    super(message);
    this.limit = limit;
    this.requested = requested;
  }

  /** The unit's memory limit in bytes, or -1 when unknown (no limit set, or not reported). */
  public long limit() {
    return limit;
  }

  /**
   * The size in bytes of the allocation the limit refused (the whole block Lua asked for,
   * e.g. a table's grown array), or -1 when unknown (the system refused it, or it was not
   * reported).
   */
  public long requested() {
    return requested;
  }
}
