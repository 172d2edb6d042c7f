package dev.cu;

/**
 * A Lua value with no Java counterpart (function, thread, userdata) returned by a chunk.
 *
 * @param type the Lua type name, e.g. {@code "function"}
 * @param description what Lua's {@code tostring} would say, e.g. {@code "function: 0x5581..."}
 */
public record LuaOpaque(String type, String description) {
  @Override
  public String toString() {
    return description;
  }
}
