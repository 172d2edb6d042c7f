package dev.cu.codec;

import java.util.function.Predicate;

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
   * Which classes cross by reference: a predicate of the class alone that holds nothing of this
   * instance (a static method, say), since it is kept with each Jackson mapper, for the records
   * and POJOs that hold such objects. It may throw {@link IllegalArgumentException} for a class
   * that cannot be exported.
   */
  Predicate<Class<?>> byReference();

  /**
   * The object of reference {@code [id, cls]}.
   *
   * @throws CborException when there is no such object
   */
  Object object(long id, long cls);
}
