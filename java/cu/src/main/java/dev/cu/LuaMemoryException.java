package dev.cu;

/** The unit's memory limit was reached (or the system ran out of memory). */
public class LuaMemoryException extends LuaException {
  private static final long serialVersionUID = 1L;

  public LuaMemoryException(String message) {
    super(message);
  }
}
