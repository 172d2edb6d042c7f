package dev.cu.internal;

import java.util.Comparator;
import jnr.ffi.Pointer;
import jnr.ffi.provider.MemoryManager;
import org.lmdbjava.BufferProxy;
import org.lmdbjava.ByteArrayProxy;

/**
 * lmdbjava's byte-array buffer proxy, minus its use-after-free. lmdbjava's {@code PROXY_BA}
 * copies each key and value into native memory it allocates in {@code in(...)} and then drops
 * the only reference to it; the memory belongs to the garbage collector, which may free it
 * while {@code mdb_put} still reads it, or before the caller reads a key LMDB left pointing
 * there. Seen here as SIGSEGV in {@code mdb_node_search} during large commits. This proxy keeps
 * the last {@value #PINNED} allocations of each thread reachable, far more than one LMDB call
 * uses, so they outlive every call that can see them. No {@code --add-opens} is needed.
 */
public final class PinnedByteArrayProxy extends BufferProxy<byte[]> {
  /** The proxy to give {@code Env.create}. */
  public static final BufferProxy<byte[]> INSTANCE = new PinnedByteArrayProxy();

  private static final int PINNED = 32;
  private static final MemoryManager MEMORY = jnr.ffi.Runtime.getSystemRuntime().getMemoryManager();
  private static final ThreadLocal<Ring> RING = ThreadLocal.withInitial(Ring::new);

  /** The most recent native copies of one thread. */
  private static final class Ring {
    private final Pointer[] slots = new Pointer[PINNED];
    private int next;

    void keep(Pointer p) {
      slots[next] = p;
      next = (next + 1) % PINNED;
    }
  }

  private PinnedByteArrayProxy() {}

  @Override
  protected byte[] allocate() {
    return new byte[0];
  }

  @Override
  protected void deallocate(byte[] buffer) {
    // heap arrays need no release
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
  protected void in(byte[] buffer, Pointer ptr, long ptrAddr) {
    Pointer copy = MEMORY.allocateDirect(buffer.length);
    copy.put(0, buffer, 0, buffer.length);
    ptr.putLong(STRUCT_FIELD_OFFSET_SIZE, buffer.length);
    ptr.putAddress(STRUCT_FIELD_OFFSET_DATA, copy.address());
    RING.get().keep(copy);
  }

  @Override
  protected void in(byte[] buffer, int size, Pointer ptr, long ptrAddr) {
    // MDB_RESERVE is not used with byte arrays
  }

  @Override
  protected byte[] out(byte[] buffer, Pointer ptr, long ptrAddr) {
    long addr = ptr.getAddress(STRUCT_FIELD_OFFSET_DATA);
    int size = (int) ptr.getLong(STRUCT_FIELD_OFFSET_SIZE);
    byte[] out = new byte[size];
    MEMORY.newPointer(addr, size).get(0, out, 0, size);
    return out;
  }
}
