package dev.cu.internal;

import dev.cu.codec.CborDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The exported-object exports of one {@link NativeUnit}: the upcall, globals set to a value Java
 * sends, and the ids of objects Lua collected. Kept apart from {@link NativeUnit} so that the
 * unit's class keeps one concern per export group.
 */
public final class NativeObjects {
  private static final long[] NONE = new long[0];

  private final NativeUnit unit;

  /** The Java side of the objects' upcall. */
  public interface Objects {
    /**
     * Calls method {@code method} of class {@code cls} on object {@code id} with its arguments:
     * a CBOR array, or null when they are in {@code slots} (read them first). Returns a CBOR
     * array of results (null: none), or {@link NativeUnit.Host#IN_SLOTS} when it wrote them to
     * {@code slots} (null when the state has none).
     */
    byte[] call(long id, int cls, int method, byte[] args, NativeSlots slots) throws Throwable;

    /** Class {@code cls} as the CBOR array [simple name, [method names]]. */
    byte[] describe(int cls) throws Exception;

    /**
     * What Lua sees when method {@code method} of class {@code cls} failed with {@code t}: it
     * must not reveal what the sandbox may not know. Must not throw.
     */
    String failure(int cls, int method, Throwable t);
  }

  /** The exported-object side of {@code unit}. */
  public NativeObjects(NativeUnit unit) {
    this.unit = unit;
  }

  /** Connects the objects' upcall (method calls and class descriptions) to {@code objects}. */
  public void connect(Objects objects) {
    unit.keep(objects);
    unit.upcalls.jniObjects(objects);
    if (unit.upcalls.jni(unit.state())) {
      return;
    }
    CuLib.cu_ObjectFn fn = unit.upcalls.objects(objects);
    unit.lib.cu_object_setfn(unit.state(), fn);
    unit.holder.objectFn = fn;
  }

  /**
   * Sets global {@code name} to the CBOR value {@code data}.
   *
   * @throws IllegalArgumentException when the bytes are not a value Lua can hold
   * @throws dev.cu.LuaMemoryException when memory runs out
   * @throws IllegalStateException when the unit is closed
   */
  public void setGlobal(String name, byte[] data) {
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    byte[] z = Arrays.copyOf(b, b.length + 1);
    int st = unit.lib.cu_object_setglobal(unit.state(), z, data, data.length);
    if (st != CuLib.CU_OK) {
      throw StatusMapper.mapInput(st, unit, name);
    }
  }

  /**
   * The ids of the objects whose last Lua value was collected since the last call; the state
   * forgets them.
   *
   * @throws dev.cu.LuaMemoryException when memory runs out
   * @throws IllegalStateException when the unit is closed
   */
  public long[] drain() {
    int st = unit.lib.cu_object_drain(unit.state());
    if (st != CuLib.CU_OK) {
      throw StatusMapper.failure(st, "not enough memory to release Java objects");
    }
    List<?> ids = (List<?>) CborDecoder.decode(unit.payload());
    if (ids.isEmpty()) {
      return NONE;
    }
    long[] out = new long[ids.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (Long) ids.get(i);
    }
    return out;
  }
}
