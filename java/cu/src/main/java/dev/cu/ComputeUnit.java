package dev.cu;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.codec.Cbor;
import dev.cu.codec.CborDecoder;
import dev.cu.codec.CborEncoder;
import dev.cu.codec.CborException;
import dev.cu.internal.CuLib;
import dev.cu.internal.NativeUnit;
import dev.cu.internal.StatusMapper;
import dev.cu.store.Delta;
import dev.cu.store.InMemoryTableStore;
import dev.cu.store.LmdbOptions;
import dev.cu.store.TableStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A sandboxed Lua 5.4 state (the reference C implementation) with memory, time and
 * instruction limits. Globals persist between calls on the same unit.
 *
 * <p>Values come back converted: nil to null, boolean to Boolean, integer to Long, float to
 * Double, string to String (byte[] when it is not valid UTF-8), a table whose keys are exactly
 * 1..n to List, any other table to Map (keys converted the same way), and function, thread or
 * userdata to {@link LuaOpaque}. A table that contains itself is refused with a {@link
 * LuaRuntimeException}; a table reachable twice becomes the same Java object twice.
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

  private final NativeUnit unit;
  private final boolean interruptible;
  private final TableStore store;
  private final boolean ownsStore;
  private final Storage storage;
  private final long homeId;
  private final long ioId;
  private final ObjectMapper mapper;
  private final Io io;
  private final ChunkCache chunks;
  private final Guard guard = new Guard();
  private final boolean home;
  private final boolean memoryAlias;
  private final boolean cycles;

  private ComputeUnit(Builder b) {
    if (b.storageDir != null && b.store != null) {
      throw new IllegalArgumentException("storage(dir) and tableStore(store) exclude each other");
    }
    this.interruptible = b.interruptible;
    this.mapper = b.mapper != null ? b.mapper : new ObjectMapper();
    this.ownsStore = b.store == null;
    this.home = b.home;
    this.memoryAlias = b.memoryAlias;
    this.cycles = b.cycles;
    NativeUnit u = NativeUnit.open(b.memoryLimit, b.seed, b.interruptible);
    this.unit = u;
    Storage opened = null;
    TableStore owned = null;
    try {  // every step below may fail: the catch closes what was opened
      long timeout = b.timeLimit == null ? 0 : b.timeLimit.toNanos();
      u.limit(timeout, b.instructionLimit);
      u.cpuLimit(b.cpuTimeLimit == null ? 0 : b.cpuTimeLimit.toNanos());
      if (b.output != null) {
        Consumer<String> lines = b.output;
        u.printTo(line -> lines.accept(new String(line, 0, line.length - 1, UTF_8)));
      } else if (b.outputStream != null) {
        OutputStream out = b.outputStream;
        u.printTo(line -> {
          try {
            out.write(line);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
      this.io = new Io(u, mapper);
      if (b.storageDir != null) {
        opened = Storage.open(b.storageDir, b.namespace, b.storageOptions(), b.autoCommit,
            b.autoRestore, b.lockTimeout != null ? b.lockTimeout
                : b.storageOptions.lockTimeout());
        this.storage = opened;
        this.store = opened.tableStore();
      } else {
        this.storage = null;
        owned = ownsStore ? new InMemoryTableStore() : null;
        this.store = ownsStore ? owned : b.store;
      }
      this.homeId = store.root("home");
      this.ioId = store.root("io");
      connect(b);
      this.chunks = new ChunkCache(u, b.chunkCacheSize);
    } catch (RuntimeException | Error e) {
      closeAfterFailure(e, u, opened, owned);
      throw e;
    }
  }

  /** Connects the store and the host functions and binds the roots. */
  private void connect(Builder b) {
    unit.connectStore(new NativeUnit.Store() {
      @Override
      public byte[] load(long id) {
        return store.load(id);
      }

      @Override
      public byte[] commit(byte[] delta, long nextId) {
        long[] removed = store.commit(Delta.parse(delta), nextId);
        return removed.length == 0 ? null : CborEncoder.encode(removed, mapper);
      }
    }, store.nextId());
    bindRoots();
    List<HostFunction> fns = new ArrayList<>(b.functions.values());
    if (!fns.isEmpty()) {
      unit.connectHost((fn, args) -> {
        @SuppressWarnings("unchecked")
        List<Object> a = (List<Object>) CborDecoder.decode(args);
        return CborEncoder.encodeArray(new Object[] {fns.get(fn).call(a)}, mapper);
      });
      int i = 0;
      for (String name : b.functions.keySet()) {
        if (unit.register(name, i++) != CuLib.CU_OK) {
          throw new IllegalArgumentException("cannot register host function '" + name
              + "': a part of its path is not a table");
        }
      }
    }
  }

  /** Closes, after a failed construction, what it had opened; close failures are suppressed. */
  private static void closeAfterFailure(Throwable failure, NativeUnit unit, Storage storage,
      TableStore owned) {
    for (AutoCloseable c : new AutoCloseable[] {unit::close, storage, owned}) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (Throwable t) {
        failure.addSuppressed(t);
      }
    }
  }

  private void bindRoots() {
    if (home) {
      root("_home", homeId);
      if (memoryAlias) {
        root("Memory", homeId);
      }
    }
  }

  private void root(String global, long id) {
    if (unit.setRoot(global, id) != CuLib.CU_OK) {
      throw new LuaMemoryException("memory limit too small to bind " + global);
    }
  }

  /** A unit with the defaults of {@link Builder}. */
  public static ComputeUnit create() {
    return builder().build();
  }

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
    enter();
    try {
      return decode(run(DEFAULT_CHUNK, code, CuLib.CU_RESULT_LAST));
    } finally {
      exit();
    }
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
    enter();
    try {
      long t0 = System.nanoTime();
      Object all = decode(run(chunkName, code, CuLib.CU_RESULT_ALL));
      return result(all, t0);
    } finally {
      exit();
    }
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
    java.util.Objects.requireNonNull(code, "code");
    enter();
    try {
      long t0 = System.nanoTime();
      Object all = decode(runRef(chunks.ref(chunkName, code), CuLib.CU_RESULT_ALL));
      return result(all, t0);
    } finally {
      exit();
    }
  }

  private ComputeResult result(Object all, long t0) {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
    @SuppressWarnings("unchecked")
    List<Object> values = (List<Object>) all;
    Object last = values.isEmpty() ? null : values.get(values.size() - 1);
    return new ComputeResult(
        unmodifiable(values), last, unit.printed(), unit.instructions(), elapsed);
  }

  /** An unmodifiable view; List.copyOf would refuse the nulls that nil values become. */
  private static List<Object> unmodifiable(List<Object> values) {
    return java.util.Collections.unmodifiableList(values);
  }

  private byte[] run(String name, String code, int mode) {
    return runRef(chunks.ref(name, code), mode);
  }

  private byte[] runRef(int ref, int mode) {
    int status = unit.run(ref, cycles ? mode | CuLib.CU_RESULT_CYCLES : mode);
    if (status != CuLib.CU_OK) {
      throw StatusMapper.map(status, unit);
    }
    return unit.payload();
  }

  private Object decode(byte[] payload) {
    try {
      return cycles ? CborDecoder.decodeGraph(payload) : CborDecoder.decode(payload);
    } catch (CborException e) {
      throw new LuaRuntimeException("cannot convert the result: " + e.getMessage(), null, null, e);
    }
  }

  /**
   * Calls a Lua function by global name or dotted path ({@code "add"}, {@code "lib.f"}, {@code
   * "_home.add"}) with arguments converted like {@link #setInput}, without compiling a chunk;
   * returns its last result. Throws what {@link #compute} throws; a missing function is a
   * {@link LuaRuntimeException} saying {@code 'name' is not a function}.
   */
  public Object call(String function, Object... args) {
    byte[] encoded = args != null && args.length == 0
        ? NO_ARGS : CborEncoder.encodeArray(args == null ? new Object[1] : args, mapper);
    enter();
    try {
      int status = unit.call(function, encoded,
          cycles ? CuLib.CU_RESULT_LAST | CuLib.CU_RESULT_CYCLES : CuLib.CU_RESULT_LAST);
      if (status != CuLib.CU_OK) {
        throw StatusMapper.map(status, unit);
      }
      return decode(unit.payload());
    } finally {
      exit();
    }
  }

  /**
   * Sets {@code _io.input}: Maps, Lists, arrays, scalars, records, POJOs and Jackson trees are
   * converted (see {@link CborEncoder}); null clears it.
   *
   * @throws IllegalArgumentException when the value cannot be converted
   */
  public void setInput(Object input) {
    ioSet("input", null, input);
  }

  /** Sets {@code _io.input[name]}, making {@code _io.input} a table if it is not one. */
  public void setInputField(String name, Object value) {
    ioSet("input", name, value);
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
    guarded(() -> {
      io.setEncoded("input", null, cbor);
      return null;
    });
  }

  /** Sets {@code _io.meta}, converted like {@link #setInput}. */
  public void setMetadata(Object metadata) {
    ioSet("meta", null, metadata);
  }

  private void ioSet(String key, String field, Object value) {
    guarded(() -> {
      io.set(key, field, value);
      return null;
    });
  }

  /** {@code _io.output}, converted like a result of {@link #compute}. */
  public Object getOutput() {
    return getOutputField(null);
  }

  /** {@code _io.output[name]}, or null when output is not a table. */
  public Object getOutputField(String name) {
    return guarded(() -> io.get("output", name));
  }

  /** {@code _io.output} bound to {@code type} by Jackson (records, POJOs, collections). */
  public <T> T getOutput(Class<T> type) {
    return guarded(() -> io.get("output", type));
  }

  /** {@code _io.output} bound to a generic type by Jackson. */
  public <T> T getOutput(TypeReference<T> type) {
    return guarded(() -> io.get("output", type));
  }

  /** Empties {@code _io}: input, meta and output become nil. */
  public void clearIo() {
    guarded(() -> {
      io.clear();
      return null;
    });
  }

  /** The id reserved for {@code _io} in the unit's store. */
  public long getIoTableId() {
    return ioId;
  }

  /** The unit's external tables: home and io ids, how many tables, which ids. */
  public TableInfo getTableInfo() {
    return guarded(() -> {
      Set<Long> ids = store.tableIds();
      return new TableInfo(homeId, ioId, ids.size(), ids);
    });
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
    stateOp(s -> detached(s.save()));
  }

  /**
   * Saves the state, then keeps a copy of it as the named state {@code name} (replacing one of
   * that name). Names are 1 to 64 characters of {@code [A-Za-z0-9._-]}.
   */
  public void saveState(String name) {
    stateOp(s -> detached(s.save(name)));
  }

  /** Tables the store removed may still be held by Lua variables: the VM must know. */
  private void detached(long[] removed) {
    if (removed.length > 0 && unit.detached(CborEncoder.encode(removed, mapper)) != CuLib.CU_OK) {
      throw new LuaMemoryException("not enough memory to record removed tables");
    }
  }

  /**
   * Goes back to the last saved state: changes not saved are dropped, and tables Lua code still
   * holds from before become stale (using them raises an error).
   */
  public void loadState() {
    stateOp(Storage::load);
    reset();
  }

  /**
   * Replaces the state by the named state {@code name} (which stays available), as {@link
   * #loadState()} does for the last saved state.
   *
   * @throws dev.cu.store.CuStoreException when there is no such state
   */
  public void loadState(String name) {
    stateOp(s -> s.load(name));
    reset();
  }

  /** The names of the saved named states. */
  public List<String> listStates() {
    return guarded(() -> storage().list());
  }

  /** Deletes a named state; returns whether it existed. */
  public boolean deleteState(String name) {
    return guarded(() -> storage().delete(name));
  }

  private void stateOp(java.util.function.Consumer<Storage> op) {
    guarded(() -> {
      op.accept(storage());
      return null;
    });
  }

  private Storage storage() {
    if (storage == null) {
      throw new IllegalStateException("this unit has no storage: use builder().storage(dir)");
    }
    return storage;
  }

  private void reset() {
    guarded(() -> {
      if (unit.resetTables(store.nextId()) != CuLib.CU_OK) {
        throw new LuaMemoryException("not enough memory to reload the state");
      }
      bindRoots();
      return null;
    });
  }

  /** The unit's memory as counted by its allocator. Callable from any thread. */
  public MemoryStats getMemoryStats() {
    return guard.whileOpen(() -> {
      long limit = unit.memoryLimit();
      long used = unit.memoryUsed();
      long free = limit == 0 ? Long.MAX_VALUE : Math.max(0, limit - used);
      return new MemoryStats(limit, used, free, unit.memoryPeak());
    });
  }

  /** Runs a full garbage collection of the Lua heap. */
  public void runGc() {
    guarded(() -> {
      if (unit.gc() != CuLib.CU_OK) {
        throw new LuaMemoryException("not enough memory");
      }
      return null;
    });
  }

  /**
   * Stops the call in progress, if any, with a {@link LuaTimeoutException} (reason {@code
   * INTERRUPTED}). Callable from any thread; does nothing when the unit is idle.
   *
   * @throws IllegalStateException when the unit was built with {@code interruptible(false)}
   */
  public void interrupt() {
    if (!interruptible) {
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
    guard.close(() -> {
      if (interruptible) {
        unit.interrupt();
      }
    }, () -> {
      unit.close();
      if (storage != null) {
        storage.close();
      } else if (ownsStore) {
        store.close();
      }
    });
  }

  private void enter() {
    guard.enter();
  }

  private void exit() {
    guard.exit();
  }

  /** Runs {@code body} as a call of this unit (see {@link Guard}). */
  private <T> T guarded(java.util.function.Supplier<T> body) {
    guard.enter();
    try {
      return body.get();
    } finally {
      guard.exit();
    }
  }

  private static final ObjectMapper SHARED_MAPPER = new ObjectMapper();

  /** The body of a typed host function. */
  @FunctionalInterface
  public interface TypedFunction<T> {
    Object apply(T arg) throws Exception;
  }

  /** Settings of a new unit. Every setting has a default; see each method. */
  public static final class Builder {
    private long memoryLimit = DEFAULT_MEMORY_LIMIT;
    private Duration timeLimit;
    private Duration cpuTimeLimit;
    private long instructionLimit;
    private Consumer<String> output;
    private OutputStream outputStream;
    private boolean interruptible = true;
    private long seed = ThreadLocalRandom.current().nextLong();
    private int chunkCacheSize = 128;
    private boolean home = true;
    private boolean memoryAlias = true;
    private boolean cycles;
    private TableStore store;
    private ObjectMapper mapper;
    private final Map<String, HostFunction> functions = new LinkedHashMap<>();
    private Path storageDir;
    private String namespace = "default";
    private LmdbOptions storageOptions = LmdbOptions.defaults();
    private boolean autoCommit = true;
    private boolean autoRestore = true;
    private Duration lockTimeout;
    private byte[] hmacKey;
    private Path hmacKeyFile;

    private Builder() {}

    /**
     * Keeps {@code _home} in an LMDB store in {@code dir} (docs/STORAGE.md), created if needed.
     * Units of one JVM using the same folder share its environment. The unit holds its {@link
     * #namespace} until it is closed, against units of this and of other processes: another
     * unit opening the same namespace waits up to {@link #lockTimeout} for it.
     */
    public Builder storage(Path dir) {
      this.storageDir = dir;
      return this;
    }

    /** The namespace inside the storage folder (a process name or id). Default "default". */
    public Builder namespace(String name) {
      this.namespace = name;
      return this;
    }

    /**
     * Map size, durability (sync or no-sync), compression threshold, HMAC key, lock timeout.
     * {@link #hmacKey}, {@link #hmacKeyFile} and {@link #lockTimeout} given to this builder
     * take precedence over the same settings here.
     */
    public Builder storageOptions(LmdbOptions options) {
      this.storageOptions = options == null ? LmdbOptions.defaults() : options;
      return this;
    }

    /**
     * With storage: how long building waits while another unit (of this or another process)
     * holds the namespace. Default: the storage options' lock timeout, 10 s. When it runs out,
     * {@link #build()} throws {@link dev.cu.store.CuLockTimeoutException} naming the holder.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder lockTimeout(Duration timeout) {
      if (timeout != null && timeout.isNegative()) {
        throw new IllegalArgumentException("lockTimeout must not be negative");
      }
      this.lockTimeout = timeout;
      return this;
    }

    /**
     * With storage: the 32-byte key that signs stored functions (copied), kept by the
     * application away from the data. Default: {@code CU_HMAC_KEY}, else {@code hmac.key} in
     * the storage folder (docs/STORAGE.md, "The HMAC key").
     *
     * @throws IllegalArgumentException unless it has 32 bytes
     */
    public Builder hmacKey(byte[] key) {
      if (key != null && key.length != 32) {
        throw new IllegalArgumentException("the HMAC key must have 32 bytes, not " + key.length);
      }
      this.hmacKey = key == null ? null : key.clone();
      return this;
    }

    /**
     * With storage: a file holding the key that signs stored functions (32 raw bytes or 64
     * hexadecimal digits), read when the unit is built. {@link #hmacKey} wins over it.
     */
    public Builder hmacKeyFile(Path file) {
      this.hmacKeyFile = file;
      return this;
    }

    private LmdbOptions storageOptions() {
      LmdbOptions o = storageOptions;
      if (hmacKeyFile != null) {
        o = o.withHmacKey(null).withHmacKeyFile(hmacKeyFile);
      }
      if (hmacKey != null) {
        o = o.withHmacKey(hmacKey);
      }
      return o;
    }

    /**
     * With storage: true (the default) makes each successful call's changes durable before the
     * call returns (one LMDB write transaction per call that changed {@code _home}); false is
     * the explicit-save mode: changes stay in memory until {@link ComputeUnit#saveState()}, and
     * {@link ComputeUnit#close()} or {@link ComputeUnit#loadState()} drop what was not saved.
     */
    public Builder autoCommit(boolean enabled) {
      this.autoCommit = enabled;
      return this;
    }

    /**
     * With storage: true (the default) starts from the last saved state; false starts empty and
     * discards it (named states are kept).
     */
    public Builder autoRestore(boolean enabled) {
      this.autoRestore = enabled;
      return this;
    }

    /** Whether the global {@code _home} exists. Default true. */
    public Builder home(boolean enabled) {
      this.home = enabled;
      return this;
    }

    /** Whether {@code Memory} is an alias of {@code _home} (the seed's v1 name). Default true. */
    public Builder memoryAlias(boolean enabled) {
      this.memoryAlias = enabled;
      return this;
    }

    /**
     * Where {@code _home} lives. Default: a new {@link InMemoryTableStore} owned (and closed)
     * by the unit. A store given here is not closed by the unit.
     */
    public Builder tableStore(TableStore store) {
      this.store = store;
      return this;
    }

    /** The Jackson mapper for {@link #setInput} and {@link #getOutput(Class)} binding. */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = mapper;
      return this;
    }

    /**
     * Registers a Java function callable from Lua as global {@code name}, or as a field of a
     * module table with a dotted name ({@code "json.encode"}; the table is created).
     */
    public Builder function(String name, HostFunction fn) {
      if (name == null || name.isEmpty() || name.startsWith(".") || name.endsWith(".")) {
        throw new IllegalArgumentException("invalid host function name: " + name);
      }
      functions.put(name, fn);
      return this;
    }

    /**
     * Registers a typed host function: the first Lua argument is bound to {@code argType} by
     * Jackson (a table to a record or POJO, a number to Long or Double, ...).
     */
    public <T> Builder function(String name, Class<T> argType, TypedFunction<T> fn) {
      return function(name, args -> {
        ObjectMapper m = mapper != null ? mapper : SHARED_MAPPER;
        return fn.apply(m.convertValue(args.isEmpty() ? null : args.get(0), argType));
      });
    }

    /** Bytes the Lua heap may use; 0 means unlimited. Default 256 MiB. */
    public Builder memoryLimit(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("memoryLimit must be >= 0 (0 = unlimited)");
      }
      this.memoryLimit = bytes;
      return this;
    }

    /** Wall-clock time each call may run; null or zero means none. Default none. */
    public Builder timeLimit(Duration limit) {
      if (limit != null && limit.isNegative()) {
        throw new IllegalArgumentException("timeLimit must not be negative");
      }
      this.timeLimit = limit == null || limit.isZero() ? null : limit;
      return this;
    }

    /**
     * CPU time the thread running each call may use; null or zero means none. Default none.
     * Unlike {@link #timeLimit}, time the thread spends waiting (for the CPU on a loaded host,
     * in a host function that sleeps or blocks) does not count. On Linux a per-thread CPU-clock
     * timer enforces it; elsewhere the count hook reads the thread's CPU clock (see
     * docs/LIMITS.md). A call that exceeds it ends with a {@link LuaTimeoutException} whose
     * reason is {@code CPU_TIME_LIMIT}.
     *
     * @throws IllegalArgumentException when {@code limit} is negative
     */
    public Builder cpuTimeLimit(Duration limit) {
      if (limit != null && limit.isNegative()) {
        throw new IllegalArgumentException("cpuTimeLimit must not be negative");
      }
      this.cpuTimeLimit = limit == null || limit.isZero() ? null : limit;
      return this;
    }

    /**
     * VM instructions each call may run (checked every 1,000); 0 means none. Default none. An
     * iteration of a library loop ({@code string.rep}, pattern matching, {@code table.move}, ...)
     * counts as one instruction (docs/LIMITS.md).
     */
    public Builder instructionLimit(long instructions) {
      if (instructions < 0) {
        throw new IllegalArgumentException("instructionLimit must be >= 0 (0 = none)");
      }
      this.instructionLimit = instructions;
      return this;
    }

    /**
     * Streams each line {@code print} writes (without its newline) to {@code consumer} as it is
     * printed, instead of collecting it in {@link ComputeResult#output()}. An exception thrown
     * by the consumer ends the call with a {@link LuaRuntimeException} whose cause it is. Replaces
     * {@link #outputStream(OutputStream)}.
     */
    public Builder output(Consumer<String> consumer) {
      this.output = consumer;
      this.outputStream = null;
      return this;
    }

    /**
     * Writes each line {@code print} writes to {@code out} as it is printed, as the bytes Lua
     * produced, newline included: a string that is not UTF-8 comes out unchanged, where {@link
     * #output(Consumer)} and {@link ComputeResult#output()} decode it (invalid bytes become
     * U+FFFD). The last of the two calls wins. A failed write ends the call with a {@link
     * LuaRuntimeException} whose cause is an {@link UncheckedIOException} around the {@link
     * IOException}.
     */
    public Builder outputStream(OutputStream out) {
      this.outputStream = out;
      this.output = null;
      return this;
    }

    /**
     * Whether calls can be stopped: by {@link #timeLimit}, {@link #cpuTimeLimit}, {@link
     * #instructionLimit} and {@link ComputeUnit#interrupt()}. Default true. Stopping needs Lua's count hook, which slows tight
     * Lua loops (see docs/LIMITS.md); false removes it for trusted, compute-heavy code.
     */
    public Builder interruptible(boolean interruptible) {
      this.interruptible = interruptible;
      return this;
    }

    /** Seeds {@code math.random} for a reproducible sequence. Default: a random seed. */
    public Builder randomSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Whether results of {@link ComputeUnit#compute}, {@link ComputeUnit#execute} and {@link
     * ComputeUnit#call} may contain themselves. Default false: a table that contains itself
     * (directly or through others) ends the call with a {@link LuaRuntimeException} ({@code
     * cannot convert a table that contains itself (cycle)}). With true, such a table becomes a
     * List or Map that contains itself, the same Java object at every reference, as shared
     * tables always are. Such a collection breaks {@code equals}, {@code hashCode} and {@code
     * toString} (they recurse until the stack overflows): walk it with an identity set. Error
     * values ({@link LuaRuntimeException#value()}) and {@code _io.output} stay acyclic.
     */
    public Builder allowCycles(boolean enabled) {
      this.cycles = enabled;
      return this;
    }

    /** How many compiled chunks to keep, keyed by source text. Default 128. */
    public Builder chunkCacheSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("chunkCacheSize must be >= 1");
      }
      this.chunkCacheSize = size;
      return this;
    }

    /**
     * Creates the unit.
     *
     * <p>When any step fails, everything already opened (the Lua state, the storage and its
     * namespace) is closed again before the exception propagates.
     *
     * @throws IllegalArgumentException when limits are set on a non-interruptible unit, or both
     *     storage and a table store are given, or a host function cannot be registered
     * @throws LuaMemoryException when the memory limit is too small to open the libraries
     * @throws dev.cu.store.CuLockTimeoutException when another unit, of this or another process,
     *     still holds the storage namespace after the lock timeout
     * @throws dev.cu.store.CuStoreException when the storage cannot be opened (its HMAC key
     *     included)
     * @throws UnsatisfiedLinkError when libcu cannot be loaded on this platform
     */
    public ComputeUnit build() {
      if (!interruptible && (timeLimit != null || cpuTimeLimit != null || instructionLimit > 0)) {
        throw new IllegalArgumentException(
            "timeLimit, cpuTimeLimit and instructionLimit need interruptible(true)");
      }
      return new ComputeUnit(this);
    }
  }
}
