package dev.cu.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.Comparator;
import jnr.ffi.Pointer;
import jnr.ffi.provider.MemoryManager;
import org.lmdbjava.BufferProxy;
import org.lmdbjava.ByteArrayProxy;

/**
 * lmdbjava's buffer proxy for {@code byte[]} keys and values, copying them into native memory the
 * calling thread reuses. lmdbjava's own {@code PROXY_BA} takes new native memory for every key
 * and value it passes to LMDB (released later by the garbage collector's cleanup); a commit that
 * writes a few thousand records spends a good part of its time there. Here each thread keeps two
 * native buffers: an argument goes into the one that the struct it fills ({@code MDB_val}) used
 * last, else into the one used least recently, so the key and the value of one LMDB call always
 * sit in different buffers. An argument is needed only until that call returns, and every call
 * of lmdbjava takes at most a key and a value, so a buffer is never overwritten while LMDB reads
 * it. Arguments above {@value #MAX_REUSED} bytes get memory of their own, as with {@code
 * PROXY_BA}. What LMDB returns is copied into new arrays, as {@code PROXY_BA} does.
 *
 * <p>The bytes are copied with {@code sun.misc.Unsafe.copyMemory} where the JVM offers it (jffi,
 * under jnr, uses that class too), an intrinsic without a JNI call; jnr copies an array through a
 * JNI call each way. Without it they go through jnr.
 */
public final class LmdbByteArrays extends BufferProxy<byte[]> {
  /** {@code Unsafe.copyMemory(Object, long, Object, long, long)} bound to the Unsafe, or null. */
  private static final MethodHandle COPY;

  /** The offset of a byte array's first element for {@link #COPY}. */
  private static final long BYTES;

  static {
    MethodHandle copy = null;
    long bytes = 0;
    try {
      Class<?> c = Class.forName("sun.misc.Unsafe");
      Field f = c.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      Object unsafe = f.get(null);
      bytes =
          ((Number) c.getMethod("arrayBaseOffset", Class.class).invoke(unsafe, byte[].class))
              .longValue();
      copy =
          MethodHandles.lookup()
              .findVirtual(
                  c,
                  "copyMemory",
                  MethodType.methodType(
                      void.class, Object.class, long.class, Object.class, long.class, long.class))
              .bindTo(unsafe);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      copy = null; // copies go through jnr
    }
    COPY = copy;
    BYTES = bytes;
  }

  /** The one instance; it keeps no state of its own beyond the threads' buffers. */
  public static final BufferProxy<byte[]> PROXY = new LmdbByteArrays(COPY != null);

  /** Whether this instance copies with {@link #COPY} (else through jnr). */
  private final boolean direct;

  /** An instance that copies through jnr only, as without Unsafe (for tests). */
  static BufferProxy<byte[]> throughJnr() {
    return new LmdbByteArrays(false);
  }

  /** Whether {@link #PROXY} copies with Unsafe. */
  static boolean copiesDirectly() {
    return COPY != null;
  }

  /** Larger arguments are not kept in a thread's buffers. */
  static final int MAX_REUSED = 64 * 1024;

  private static final int MIN_SIZE = 512;
  private static final MemoryManager MEMORY = jnr.ffi.Runtime.getSystemRuntime().getMemoryManager();
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private LmdbByteArrays(boolean direct) {
    this.direct = direct;
  }

  /** Copies {@code n} bytes of {@code from} to native memory at {@code address}. */
  private static void copyIn(byte[] from, long address, int n) {
    try {
      COPY.invokeExact((Object) from, BYTES, (Object) null, address, (long) n);
    } catch (Throwable e) {
      throw new IllegalStateException("Unsafe.copyMemory failed", e);
    }
  }

  /** Copies {@code n} bytes at native {@code address} into {@code to}. */
  private static void copyOut(long address, byte[] to, int n) {
    try {
      COPY.invokeExact((Object) null, address, (Object) to, BYTES, (long) n);
    } catch (Throwable e) {
      throw new IllegalStateException("Unsafe.copyMemory failed", e);
    }
  }

  /** A thread's two buffers and the struct each one filled last. */
  static final class Scratch {
    private final Pointer[] buffers = new Pointer[2];
    private final long[] owners = new long[2];
    private int last = -1;

    /** The buffer for an argument of {@code size} bytes that fills the struct at {@code owner}. */
    Pointer take(long owner, int size) {
      int i = owners[0] == owner && last != -1 ? 0 : owners[1] == owner && last != -1 ? 1 : -1;
      if (i == -1) {
        i = last == 0 ? 1 : 0; // the one used least recently
      }
      Pointer b = buffers[i];
      if (b == null || b.size() < size) {
        b = MEMORY.allocateDirect(Math.max(MIN_SIZE, Integer.highestOneBit(size - 1) << 1));
        buffers[i] = b;
      }
      owners[i] = owner;
      last = i;
      return b;
    }
  }

  @Override
  protected byte[] allocate() {
    return new byte[0];
  }

  @Override
  protected void deallocate(byte[] buff) {
    // nothing: arrays belong to the garbage collector
  }

  @Override
  protected byte[] getBytes(byte[] buffer) {
    return buffer;
  }

  @Override
  protected Comparator<byte[]> getSignedComparator() {
    return ByteArrayProxy::compareArraysSigned;
  }

  @Override
  protected Comparator<byte[]> getUnsignedComparator() {
    return ByteArrayProxy::compareArrays;
  }

  @Override
  protected Pointer in(byte[] buffer, Pointer ptr) {
    int n = buffer.length;
    Pointer data =
        n > MAX_REUSED
            ? MEMORY.allocateDirect(n)
            : SCRATCH.get().take(ptr.address(), Math.max(1, n));
    if (direct) {
      copyIn(buffer, data.address(), n); // data holds at least n bytes
    } else {
      data.put(0, buffer, 0, n);
    }
    ptr.putLong(STRUCT_FIELD_OFFSET_SIZE, n);
    ptr.putAddress(STRUCT_FIELD_OFFSET_DATA, data.address());
    return data;
  }

  @Override
  protected Pointer in(byte[] buffer, int size, Pointer ptr) {
    return null; // MDB_RESERVE is not used with byte arrays (as with PROXY_BA)
  }

  @Override
  protected byte[] out(byte[] buffer, Pointer ptr) {
    long address = ptr.getAddress(STRUCT_FIELD_OFFSET_DATA);
    int size = (int) ptr.getLong(STRUCT_FIELD_OFFSET_SIZE);
    byte[] bytes = new byte[size];
    if (direct) {
      copyOut(address, bytes, size);
    } else {
      MEMORY.newPointer(address, size).get(0, bytes, 0, size);
    }
    return bytes;
  }
}
