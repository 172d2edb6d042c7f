package dev.cu;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.cu.codec.Cbor;
import dev.cu.codec.CborEncoder;
import dev.cu.internal.NativeSlots;
import dev.cu.internal.NativeUnit;
import dev.cu.store.TableStore;
import java.util.List;
import java.util.Objects;

/**
 * A sandboxed Lua 5.4 state (the reference C implementation) with memory, time and
 * instruction limits. Globals persist between calls on the same unit.
 *
 * <p>Values come back converted: nil to null, boolean to Boolean, integer to Long, float to
 * Double, string to String (byte[] when it is not valid UTF-8), a table whose keys are exactly
 * 1..n to List (a copy), any other table to Map (keys converted the same way), a function to a
 * {@link LuaFunction} handle, an exported object ({@link LuaExport}) to itself, and thread or
 * other userdata to {@link LuaOpaque}. A table that contains
 * itself is refused with a {@link LuaRuntimeException}; a table reachable twice becomes the same
 * Java object twice. Handles ({@link #load}, {@link #function}, {@link #table}) hold Lua values
 * by reference.
 *
 * <p>{@code _home} (alias {@code Memory}) is an external table held by the unit's {@link
 * TableStore}: each successful call commits its changes, a failed call changes nothing. {@code
 * _io} carries structured input and output ({@link #setInput}, {@link #getOutput}).
 *
 * <p>A unit belongs to one thread at a time: a call while another thread is inside the unit
 * throws {@link IllegalStateException}. Different units run in parallel. Close units when done;
 * a {@link java.lang.ref.Cleaner} frees the Lua state of forgotten ones, but the namespace of a
 * forgotten unit with storage stays held until the JVM exits.
 */
public final class ComputeUnit implements AutoCloseable {
  /** The memory limit of {@link #create()}: 256 MiB. */
  public static final long DEFAULT_MEMORY_LIMIT = 256L << 20;

  private static final String DEFAULT_CHUNK = "compute";

  /** The CBOR form of an empty argument list (never written to). */
  private static final byte[] NO_ARGS = {(byte) Cbor.EMPTY_ARRAY};

  private static final Object[] NO_VALUES = {};

  /** The parts of the unit; the fields below repeat those its calls use. */
  private final UnitAssembly parts;

  private final NativeUnit unit;
  private final Io io;
  private final ChunkCache chunks;
  private final Guard guard;
  private final Handles handles;

  private ComputeUnit(UnitAssembly parts) {
    this.parts = parts;
    this.unit = parts.unit;
    this.io = parts.io;
    this.chunks = parts.chunks;
    this.guard = parts.guard;
    this.handles = parts.handles;
  }

  /** A unit with the defaults of {@link Builder}. */
  public static ComputeUnit create() {
    return builder().build();
  }

  /** A builder of units, every setting at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs a chunk and returns the last value it returns (null when it returns none).
   *
   * @throws LuaSyntaxException when the code does not compile
   * @throws LuaRuntimeException on a Lua error or a result that cannot be converted
   * @throws LuaMemoryException when the memory limit is reached
   * @throws LuaTimeoutException when a time or instruction limit or an interrupt stops it
   * @throws IllegalStateException when the unit is closed or in use by another thread
   */
  public Object compute(String code) {
    return guard.get(
        () -> {
          NativeSlots s = unit.slots();
          int ref = chunks.ref(DEFAULT_CHUNK, code);
          int mode = s == null ? NativeUnit.RESULT_LAST : NativeUnit.RESULT_SLOTS;
          return last(run(ref, mode), s);
        });
  }

  /**
   * Runs a chunk and reports all its values, its printed output, the instructions it used and
   * the time it took. Throws what {@link #compute} throws.
   */
  public ComputeResult execute(String code) {
    return execute(DEFAULT_CHUNK, code);
  }

  /**
   * Like {@link #execute(String)}, naming the chunk for error messages: {@code "name"} gives
   * {@code name:1: message}; names starting with {@code =} or {@code @} follow Lua's rules.
   */
  public ComputeResult execute(String chunkName, String code) {
    return guard.get(
        () -> {
          long t0 = System.nanoTime();
          byte[] payload = run(chunks.ref(chunkName, code), NativeUnit.RESULT_ALL);
          return Results.all(parts, payload, t0);
        });
  }

  /**
   * Like {@link #execute(String, String)} for source given as bytes, which reach Lua unchanged:
   * Lua source is bytes, so a string literal may hold bytes that are not UTF-8 (a {@code
   * String} source is encoded as UTF-8 first, which cannot carry them). The array is copied;
   * the caller may reuse it.
   *
   * @throws LuaSyntaxException when the code does not compile
   * @throws LuaRuntimeException on a Lua error or a result that cannot be converted
   * @throws LuaMemoryException when the memory limit is reached
   * @throws LuaTimeoutException when a time or instruction limit or an interrupt stops it
   * @throws IllegalStateException when the unit is closed or in use by another thread
   */
  public ComputeResult execute(String chunkName, byte[] code) {
    Objects.requireNonNull(code, "code");
    return guard.get(
        () -> {
          long t0 = System.nanoTime();
          byte[] payload = run(chunks.ref(chunkName, code), NativeUnit.RESULT_ALL);
          return Results.all(parts, payload, t0);
        });
  }

  private byte[] run(int ref, int mode) {
    return unit.run(ref, LuaFunction.mode(handles, mode));
  }

  private Object decode(byte[] payload) {
    return Results.decode(parts.released(payload), handles);
  }

  /** The last value of a run: {@code payload} decoded, or from the slots when it is null. */
  private Object last(byte[] payload, NativeSlots slots) {
    return payload != null ? decode(payload) : parts.released(slots.last());
  }

  /**
   * Calls a Lua function by global name or dotted path ({@code "add"}, {@code "lib.f"}, {@code
   * "_home.add"}) with arguments converted like {@link #setInput}, without compiling a chunk;
   * returns its last result. Throws what {@link #compute} throws; a missing function is a
   * {@link LuaRuntimeException} saying {@code 'name' is not a function}.
   */
  public Object call(String function, Object... args) {
    return callByName(function, args);
  }

  /**
   * {@link #call(String, Object...)} without arguments: the same call, without the empty array a
   * varargs call allocates each time. Throws what that method throws.
   */
  public Object call(String function) {
    return callByName(function, NO_VALUES);
  }

  private Object callByName(String function, Object[] args) {
    guard.enter(); // not guard.get: a lambda capturing the arguments could cost an allocation
    try {
      NativeSlots s = unit.slots();
      int mode = LuaFunction.mode(handles, NativeUnit.RESULT_LAST);
      byte[] payload;
      if (s != null && s.put(args)) {
        payload = unit.call(function, null, mode | NativeUnit.ARGS_SLOTS | NativeUnit.RESULT_SLOTS);
      } else {
        byte[] encoded = args != null && args.length == 0 ? NO_ARGS : handles.encodeArgs(args);
        payload = unit.call(function, encoded, s == null ? mode : mode | NativeUnit.RESULT_SLOTS);
      }
      return last(payload, s);
    } finally {
      guard.exit();
    }
  }

  /**
   * Compiles {@code code} once and returns the chunk as a function (named {@code "compute"} in
   * messages); each {@link LuaFunction#call} runs it.
   *
   * @throws LuaSyntaxException when the code does not compile
   * @throws LuaMemoryException when the memory limit is reached
   * @throws IllegalStateException when the unit is closed or in use by another thread
   */
  public LuaFunction load(String code) {
    return load(DEFAULT_CHUNK, code);
  }

  /** Like {@link #load(String)}, naming the chunk as {@link #execute(String, String)} does. */
  public LuaFunction load(String chunkName, String code) {
    return handles.load(Objects.requireNonNull(chunkName), Objects.requireNonNull(code));
  }

  /**
   * The function at a global name or dotted path ({@code "f"}, {@code "mod.f"}, {@code
   * "_home.f"}; each step through {@code __index}), held by reference.
   *
   * @throws LuaRuntimeException when the path names no function ({@code 'p' is not a function})
   * @throws LuaTimeoutException when a limit stops a metamethod on the way
   * @throws IllegalStateException when the unit is closed or in use by another thread
   */
  public LuaFunction function(String path) {
    return handles.function(Objects.requireNonNull(path));
  }

  /**
   * The table at a global name or dotted path, held by reference: {@code table("_G")} is the
   * globals, {@code table("_home")} the persistent root. Throws what {@link #function} throws
   * ({@code 'p' is not a table}).
   */
  public LuaTable table(String path) {
    return handles.table(Objects.requireNonNull(path));
  }

  /** How many handle references the Lua state holds (for tests). */
  long handleCount() {
    return handles.count();
  }

  /**
   * Registers {@code fn} as host function {@code name} of this unit, as {@link
   * Builder#function(String, HostFunction)} does before {@code build()}: a global or a dotted
   * path whose missing tables are created, replacing the value there. Registering a name again
   * replaces its function for every Lua value of that name.
   *
   * @throws IllegalArgumentException when the name is invalid or a part of its path is not a
   *     table
   * @throws NullPointerException when {@code fn} is null
   * @throws LuaMemoryException when the memory limit is reached
   * @throws IllegalStateException when the unit is closed or in use by another thread
   */
  public void register(String name, HostFunction fn) {
    guard.run(() -> parts.hosts.register(name, fn));
  }

  /**
   * Sets {@code _io.input}: Maps, Lists, arrays, scalars, records, POJOs and Jackson trees are
   * converted (see {@link CborEncoder}); null clears it.
   *
   * @throws IllegalArgumentException when the value cannot be converted
   */
  public void setInput(Object input) {
    guard.run(() -> io.set("input", null, input));
  }

  /** Sets {@code _io.input[name]}, making {@code _io.input} a table if it is not one. */
  public void setInputField(String name, Object value) {
    guard.run(() -> io.set("input", name, value));
  }

  /**
   * Sets {@code _io.input} from CBOR bytes in cu's value format (docs/FORMAT.md).
   *
   * @throws IllegalArgumentException when the bytes are not a valid value
   */
  public void setInputCbor(byte[] cbor) {
    if (cbor == null || cbor.length == 0) {
      throw new IllegalArgumentException("cannot convert _io.input: no CBOR value (empty input)");
    }
    guard.run(() -> io.setEncoded("input", null, cbor));
  }

  /** Sets {@code _io.meta}, converted like {@link #setInput}. */
  public void setMetadata(Object metadata) {
    guard.run(() -> io.set("meta", null, metadata));
  }

  /** {@code _io.output}, converted like a result of {@link #compute}. */
  public Object getOutput() {
    return getOutputField(null);
  }

  /** {@code _io.output[name]}, or null when output is not a table. */
  public Object getOutputField(String name) {
    return guard.get(() -> io.get("output", name));
  }

  /** {@code _io.output} bound to {@code type} by Jackson (records, POJOs, collections). */
  public <T> T getOutput(Class<T> type) {
    return guard.get(() -> io.get("output", type));
  }

  /** {@code _io.output} bound to a generic type by Jackson. */
  public <T> T getOutput(TypeReference<T> type) {
    return guard.get(() -> io.get("output", type));
  }

  /** Empties {@code _io}: input, meta and output become nil. */
  public void clearIo() {
    guard.run(() -> io.clear());
  }

  /** The id reserved for {@code _io} in the unit's store. */
  public long getIoTableId() {
    return parts.ioId;
  }

  /** The unit's external tables: home and io ids, how many tables, which ids. */
  public TableInfo getTableInfo() {
    return guard.get(parts::tableInfo);
  }

  /**
   * Writes the unit's state to its storage in one transaction, so a unit opened later on the
   * same folder starts from it. With {@code autoCommit} every successful call is already
   * durable and this does nothing more.
   *
   * @throws IllegalStateException when the unit has no storage
   * @throws dev.cu.store.CuStoreException when the store cannot be written
   */
  public void saveState() {
    guard.run(() -> parts.snapshots.save());
  }

  /**
   * Saves the state, then keeps a copy of it as the named state {@code name} (replacing one of
   * that name). Names are 1 to 64 characters of {@code [A-Za-z0-9._-]}.
   */
  public void saveState(String name) {
    guard.run(() -> parts.snapshots.save(name));
  }

  /**
   * Goes back to the last saved state: changes not saved are dropped, and tables Lua code still
   * holds from before become stale (using them raises an error).
   */
  public void loadState() {
    guard.run(() -> parts.snapshots.load());
  }

  /**
   * Replaces the state by the named state {@code name} (which stays available), as {@link
   * #loadState()} does for the last saved state.
   *
   * @throws dev.cu.store.CuStoreException when there is no such state
   */
  public void loadState(String name) {
    guard.run(() -> parts.snapshots.load(name));
  }

  /** The names of the saved named states. */
  public List<String> listStates() {
    return guard.get(parts.snapshots::list);
  }

  /** Deletes a named state; returns whether it existed. */
  public boolean deleteState(String name) {
    return guard.get(() -> parts.snapshots.delete(name));
  }

  /** The unit's memory as counted by its allocator. Callable from any thread. */
  public MemoryStats getMemoryStats() {
    return guard.whileOpen(parts::memoryStats);
  }

  /** Runs a full garbage collection of the Lua heap. */
  public void runGc() {
    guard.run(parts::gc);
  }

  /**
   * Stops the call in progress, if any, with a {@link LuaTimeoutException} (reason {@code
   * INTERRUPTED}). Callable from any thread; does nothing when the unit is idle.
   *
   * @throws IllegalStateException when the unit was built with {@code interruptible(false)}
   */
  public void interrupt() {
    if (!parts.interruptible) {
      throw new IllegalStateException("compute unit was built with interruptible(false)");
    }
    guard.ifOpen(unit::interrupt);
  }

  /**
   * Frees the Lua state and releases the storage namespace (changes not saved in the
   * explicit-save mode are dropped). Idempotent. A call in progress on another thread is
   * interrupted (if the unit is interruptible) and waited for.
   *
   * @throws IllegalStateException when called from inside the unit's own call (a callback)
   */
  @Override
  public void close() {
    guard.close(
        () -> {
          if (parts.interruptible) {
            unit.interrupt();
          }
        },
        () -> {
          unit.close();
          parts.closeStore();
        });
  }

  /** The body of a typed host function. */
  @FunctionalInterface
  public interface TypedFunction<T> {
    Object apply(T arg) throws Exception;
  }

  /** Settings of a new unit. Every setting has a default; see each method. */
  public static final class Builder extends UnitOptions {
    private Builder() {}

    /**
     * Creates the unit.
     *
     * <p>When any step fails, everything already opened (the storage and its namespace, the
     * Lua state) is closed again, in reverse order, before the exception propagates.
     *
     * @throws IllegalArgumentException when limits are set on a non-interruptible unit, or both
     *     storage and a table store are given, or a host function cannot be registered
     * @throws LuaMemoryException when the memory limit is too small to open the libraries or
     *     to bind {@code _home}
     * @throws dev.cu.store.CuLockTimeoutException when another unit, of this or another process,
     *     still holds the storage namespace after the lock timeout
     * @throws dev.cu.store.CuStoreException when the storage cannot be opened (its HMAC key
     *     included)
     * @throws UnsatisfiedLinkError when libcu cannot be loaded on this platform
     */
    public ComputeUnit build() {
      return new ComputeUnit(UnitAssembly.open(this));
    }
  }
}
