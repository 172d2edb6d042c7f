package dev.cu.internal;

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
 */
public final class LmdbByteArrays extends BufferProxy<byte[]> {
  /** The one instance; it keeps no state of its own beyond the threads' buffers. */
  public static final BufferProxy<byte[]> PROXY = new LmdbByteArrays();

  /** Larger arguments are not kept in a thread's buffers. */
  static final int MAX_REUSED = 64 * 1024;

  private static final int MIN_SIZE = 512;
  private static final MemoryManager MEMORY = jnr.ffi.Runtime.getSystemRuntime().getMemoryManager();
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private LmdbByteArrays() {}

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
    data.put(0, buffer, 0, n);
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
    MEMORY.newPointer(address, size).get(0, bytes, 0, size);
    return bytes;
  }
}
