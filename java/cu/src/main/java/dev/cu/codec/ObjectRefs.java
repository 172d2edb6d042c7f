package dev.cu.codec;

/**
 * The objects that cross between Java and Lua by reference (exported Java objects, {@link
 * Cbor#TAG_OBJECT}) for one unit: {@link CborEncoder} asks it of every value that is not a
 * scalar, {@link CborDecoder} turns each reference back into its object.
 */
public interface ObjectRefs {
  /**
   * The reference {@code [id, class]} of {@code value}, registering it the first time; null when
   * the value does not cross by reference.
   *
   * @throws IllegalArgumentException when the value's class cannot be exported
   */
  long[] reference(Object value);

  /**
   * The object of reference {@code [id, cls]}.
   *
   * @throws CborException when there is no such object
   */
  Object object(long id, long cls);
}
