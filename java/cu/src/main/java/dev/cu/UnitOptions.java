package dev.cu;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.codec.CborEncoder;
import dev.cu.store.InMemoryTableStore;
import dev.cu.store.LmdbOptions;
import dev.cu.store.TableStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The settings of {@link ComputeUnit.Builder} and their public setters, which the builder
 * inherits; {@link UnitAssembly} reads the fields. Only {@link ComputeUnit.Builder} extends it.
 */
abstract class UnitOptions {
  /** The mapper of units and typed functions built without {@link #objectMapper}. */
  static final ObjectMapper SHARED_MAPPER = CborEncoder.defaultMapper();

  long memoryLimit = ComputeUnit.DEFAULT_MEMORY_LIMIT;
  Duration timeLimit;
  Duration cpuTimeLimit;
  long instructionLimit;
  Consumer<String> output;
  OutputStream outputStream;
  boolean interruptible = true;
  long seed = ThreadLocalRandom.current().nextLong();
  int chunkCacheSize = 128;
  boolean home = true;
  boolean memoryAlias = true;
  boolean cycles;
  TableStore store;
  ObjectMapper mapper;
  final Map<String, HostFunction> functions = new LinkedHashMap<>();
  final Map<String, Object> exposed = new LinkedHashMap<>();
  ModuleLoader modules;
  Path storageDir;
  String namespace = "default";
  LmdbOptions storageOptions = LmdbOptions.defaults();
  boolean autoCommit = true;
  boolean autoRestore = true;
  Duration lockTimeout;
  byte[] hmacKey;
  Path hmacKeyFile;

  /**
   * Keeps {@code _home} in an LMDB store in {@code dir} (docs/STORAGE.md), created if needed.
   * Units of one JVM using the same folder share its environment. The unit holds its {@link
   * #namespace} until it is closed, against units of this and of other processes: another
   * unit opening the same namespace waits up to {@link #lockTimeout} for it.
   */
  public ComputeUnit.Builder storage(Path dir) {
    this.storageDir = dir;
    return self();
  }

  /** The namespace inside the storage folder (a process name or id). Default "default". */
  public ComputeUnit.Builder namespace(String name) {
    this.namespace = name;
    return self();
  }

  /**
   * Map size, durability (sync or no-sync), compression threshold, HMAC key, lock timeout.
   * {@link #hmacKey}, {@link #hmacKeyFile} and {@link #lockTimeout} given to this builder
   * take precedence over the same settings here.
   */
  public ComputeUnit.Builder storageOptions(LmdbOptions options) {
    this.storageOptions = options == null ? LmdbOptions.defaults() : options;
    return self();
  }

  /**
   * With storage: how long building waits while another unit (of this or another process)
   * holds the namespace. Default: the storage options' lock timeout, 10 s. When it runs out,
   * {@link ComputeUnit.Builder#build()} throws {@link dev.cu.store.CuLockTimeoutException}
   * naming the holder.
   *
   * @throws IllegalArgumentException when negative
   */
  public ComputeUnit.Builder lockTimeout(Duration timeout) {
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("lockTimeout must not be negative");
    }
    this.lockTimeout = timeout;
    return self();
  }

  /**
   * With storage: the 32-byte key that signs stored functions (copied), kept by the
   * application away from the data. Default: {@code CU_HMAC_KEY}, else {@code hmac.key} in
   * the storage folder (docs/STORAGE.md, "The HMAC key").
   *
   * @throws IllegalArgumentException unless it has 32 bytes
   */
  public ComputeUnit.Builder hmacKey(byte[] key) {
    if (key != null && key.length != 32) {
      throw new IllegalArgumentException("the HMAC key must have 32 bytes, not " + key.length);
    }
    this.hmacKey = key == null ? null : key.clone();
    return self();
  }

  /**
   * With storage: a file holding the key that signs stored functions (32 raw bytes or 64
   * hexadecimal digits), read when the unit is built. {@link #hmacKey} wins over it.
   */
  public ComputeUnit.Builder hmacKeyFile(Path file) {
    this.hmacKeyFile = file;
    return self();
  }

  LmdbOptions storageOptions() {
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
  public ComputeUnit.Builder autoCommit(boolean enabled) {
    this.autoCommit = enabled;
    return self();
  }

  /**
   * With storage: true (the default) starts from the last saved state; false starts empty and
   * discards it (named states are kept).
   */
  public ComputeUnit.Builder autoRestore(boolean enabled) {
    this.autoRestore = enabled;
    return self();
  }

  /** Whether the global {@code _home} exists. Default true. */
  public ComputeUnit.Builder home(boolean enabled) {
    this.home = enabled;
    return self();
  }

  /** Whether {@code Memory} is an alias of {@code _home}. Default true. */
  public ComputeUnit.Builder memoryAlias(boolean enabled) {
    this.memoryAlias = enabled;
    return self();
  }

  /**
   * Where {@code _home} lives. Default: a new {@link InMemoryTableStore} owned (and closed)
   * by the unit. A store given here is not closed by the unit.
   */
  public ComputeUnit.Builder tableStore(TableStore store) {
    this.store = store;
    return self();
  }

  /**
   * The Jackson mapper for {@link ComputeUnit#setInput} and {@link ComputeUnit#getOutput(Class)}
   * binding. Default: one mapper shared by all units, with jackson-datatype-jdk8 and
   * jackson-datatype-jsr310 registered ({@code Optional} as its value or nil when empty, {@code
   * java.time} values as ISO-8601 strings). A mapper given here is used as it is: register those
   * modules on it for the same conversions.
   */
  public ComputeUnit.Builder objectMapper(ObjectMapper mapper) {
    this.mapper = mapper;
    return self();
  }

  /**
   * Where {@code require} finds Lua modules that are not built in (docs/SANDBOX.md#modules).
   * Modules run in the unit's sandbox, under its limits, and are cached per unit. Default none:
   * only built-in modules load, and {@code require} never calls Java. Null removes the loader.
   */
  public ComputeUnit.Builder modules(ModuleLoader loader) {
    this.modules = loader;
    return self();
  }

  /**
   * Registers a Java function callable from Lua as global {@code name}, or as a field of a
   * module table with a dotted name ({@code "json.encode"}; missing tables are created when the
   * unit is built). A name given twice keeps the last function. {@link HostFunction} says what
   * Lua receives, and what it sees when the function throws; {@link ComputeUnit#register} adds
   * one to a built unit.
   *
   * @throws IllegalArgumentException when the name is null, empty, or starts or ends with a dot
   * @throws NullPointerException when {@code fn} is null
   */
  public ComputeUnit.Builder function(String name, HostFunction fn) {
    functions.put(HostFunctions.checkName(name), Objects.requireNonNull(fn, "fn"));
    return self();
  }

  /**
   * Makes {@code object} the global {@code name} of the unit, as a reference to it (a userdata):
   * Lua calls its {@link LuaExport} methods ({@code name:method(a, b)}) and reaches nothing else
   * of it (docs/SANDBOX.md, "Exposed Java objects"). The object lives as long as the unit. Any
   * object of a class with such methods crosses the same way wherever it appears (host function
   * and method results, {@link ComputeUnit#setInput} values), and one object is always the same
   * Lua value. A name given twice keeps the last object.
   *
   * @throws IllegalArgumentException when the name is not a Lua identifier, or the object's
   *     class has no {@link LuaExport} method or exports methods Lua cannot call (two overloads
   *     of one arity, a static method)
   * @throws NullPointerException when {@code object} is null
   */
  public ComputeUnit.Builder expose(String name, Object object) {
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("invalid global name: " + name);
    }
    Objects.requireNonNull(object, "object");
    if (ExportedClass.of(object.getClass()) == null) {
      throw new IllegalArgumentException(
          "cannot expose "
              + object.getClass().getName()
              + ": it has no @LuaExport method, so Lua could do nothing with it");
    }
    exposed.put(name, object);
    return self();
  }

  /**
   * Registers a typed host function: the first Lua argument is bound to {@code argType} by
   * Jackson (a table to a record or POJO, a number to Long or Double, ...).
   */
  public <T> ComputeUnit.Builder function(
      String name, Class<T> argType, ComputeUnit.TypedFunction<T> fn) {
    return function(
        name, new TypedHost<>(argType, fn, () -> mapper != null ? mapper : SHARED_MAPPER));
  }

  /** Bytes the Lua heap may use; 0 means unlimited. Default 256 MiB. */
  public ComputeUnit.Builder memoryLimit(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("memoryLimit must be >= 0 (0 = unlimited)");
    }
    this.memoryLimit = bytes;
    return self();
  }

  /** Wall-clock time each call may run; null or zero means none. Default none. */
  public ComputeUnit.Builder timeLimit(Duration limit) {
    if (limit != null && limit.isNegative()) {
      throw new IllegalArgumentException("timeLimit must not be negative");
    }
    this.timeLimit = limit == null || limit.isZero() ? null : limit;
    return self();
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
  public ComputeUnit.Builder cpuTimeLimit(Duration limit) {
    if (limit != null && limit.isNegative()) {
      throw new IllegalArgumentException("cpuTimeLimit must not be negative");
    }
    this.cpuTimeLimit = limit == null || limit.isZero() ? null : limit;
    return self();
  }

  /**
   * VM instructions each call may run (checked every 1,000); 0 means none. Default none. An
   * iteration of a library loop ({@code string.rep}, pattern matching, {@code table.move}, ...)
   * counts as one instruction (docs/LIMITS.md).
   */
  public ComputeUnit.Builder instructionLimit(long instructions) {
    if (instructions < 0) {
      throw new IllegalArgumentException("instructionLimit must be >= 0 (0 = none)");
    }
    this.instructionLimit = instructions;
    return self();
  }

  /**
   * Streams each line {@code print} writes (without its newline) to {@code consumer} as it is
   * printed, instead of collecting it in {@link ComputeResult#output()}. An exception thrown
   * by the consumer ends the call with a {@link LuaRuntimeException} whose cause it is. Replaces
   * {@link #outputStream(OutputStream)}.
   */
  public ComputeUnit.Builder output(Consumer<String> consumer) {
    this.output = consumer;
    this.outputStream = null;
    return self();
  }

  /**
   * Writes each line {@code print} writes to {@code out} as it is printed, as the bytes Lua
   * produced, newline included: a string that is not UTF-8 comes out unchanged, where {@link
   * #output(Consumer)} and {@link ComputeResult#output()} decode it (invalid bytes become
   * U+FFFD). The last of the two calls wins. A failed write ends the call with a {@link
   * LuaRuntimeException} whose cause is an {@link UncheckedIOException} around the {@link
   * IOException}.
   */
  public ComputeUnit.Builder outputStream(OutputStream out) {
    this.outputStream = out;
    this.output = null;
    return self();
  }

  /**
   * Whether calls can be stopped: by {@link #timeLimit}, {@link #cpuTimeLimit}, {@link
   * #instructionLimit} and {@link ComputeUnit#interrupt()}. Default true. Stopping needs Lua's count hook, which slows tight
   * Lua loops (see docs/LIMITS.md); false removes it for trusted, compute-heavy code.
   */
  public ComputeUnit.Builder interruptible(boolean interruptible) {
    this.interruptible = interruptible;
    return self();
  }

  /** Seeds {@code math.random} for a reproducible sequence. Default: a random seed. */
  public ComputeUnit.Builder randomSeed(long seed) {
    this.seed = seed;
    return self();
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
  public ComputeUnit.Builder allowCycles(boolean enabled) {
    this.cycles = enabled;
    return self();
  }

  /** How many compiled chunks to keep, keyed by source text. Default 128. */
  public ComputeUnit.Builder chunkCacheSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("chunkCacheSize must be >= 1");
    }
    this.chunkCacheSize = size;
    return self();
  }

  private ComputeUnit.Builder self() {
    return (ComputeUnit.Builder) this;
  }
}
