package dev.cu;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Several values at once, as a {@link HostFunction} returns them to Lua: a function returning
 * {@code Varargs.of(a, b)} gives Lua two values ({@code local x, y = pair()}), {@code
 * Varargs.of()} gives none, and any other result is one value. Each value is converted like
 * {@link ComputeUnit#setInput} input; null becomes nil and keeps its position.
 *
 * <p>Immutable: the values are copied out of the array given to {@link #of}, so the caller may
 * reuse it (the values themselves are not copied; they are converted when the host function
 * returns).
 */
public final class Varargs {
  private static final Varargs NONE = new Varargs(new Object[0]);

  private final Object[] values;

  private Varargs(Object[] values) {
    this.values = values;
  }

  /**
   * The values {@code values}, in order. {@code Varargs.of((Object[]) null)} is one nil, as
   * {@code Varargs.of((Object) null)} is.
   *
   * @throws IllegalArgumentException when a value is itself a {@code Varargs} (Lua has no list
   *     of value lists)
   */
  public static Varargs of(Object... values) {
    if (values == null) {
      return new Varargs(new Object[1]);
    }
    if (values.length == 0) {
      return NONE;
    }
    Object[] copy = values.clone();
    for (Object v : copy) {
      if (v instanceof Varargs) {
        throw new IllegalArgumentException("a Varargs cannot hold another Varargs");
      }
    }
    return new Varargs(copy);
  }

  /** How many values, nils included. */
  public int size() {
    return values.length;
  }

  /**
   * Value {@code index} (from 0), null for nil.
   *
   * @throws IndexOutOfBoundsException when {@code index} is not below {@link #size()}
   */
  public Object get(int index) {
    return values[index];
  }

  /** The values as an unmodifiable list, nulls included. */
  public List<Object> toList() {
    return Collections.unmodifiableList(Arrays.asList(values.clone()));
  }

  /** The values themselves, for the encoder; never to be written. */
  Object[] values() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Varargs v && Arrays.deepEquals(values, v.values);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(values);
  }

  @Override
  public String toString() {
    return "Varargs" + Arrays.deepToString(values);
  }
}
