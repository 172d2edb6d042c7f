package dev.cu;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.codec.Cbor;
import dev.cu.codec.CborDecoder;
import dev.cu.codec.CborEncoder;
import dev.cu.codec.ValueRefs;
import dev.cu.internal.NativeHandles;
import dev.cu.internal.NativeSlots;
import dev.cu.internal.NativeUnit;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The handles of one unit ({@link LuaFunction}, {@link LuaTable}, {@link LuaCoroutine}): their
 * operations under the unit's thread rule, their release, and their place in converted values.
 *
 * <p>Release. A handle's reference is freed only on the owning thread: closing a handle, or the
 * {@link Cleaner} finding it unreachable, queues the reference, and the unit frees the queued
 * references when a call enters it ({@link Guard#onEnter}) or a host function starts; closing
 * the unit frees them all with the state.
 *
 * <p>Callbacks. While a host function runs on the owning thread, handle operations run inside
 * that call (the shim nests them in the run in progress) instead of claiming the unit. Functions
 * among a host function's arguments are borrowed: when it returns they are released unless
 * {@link LuaFunction#retain()} was called.
 */
final class Handles {
  private static final Cleaner CLEANER = Cleaner.create();

  /**
   * An array of one nil: what a call with a null argument array sends, and what most host
   * functions return. Shared, so its readers only copy it.
   */
  private static final byte[] ONE_NIL = {(byte) (Cbor.MAJOR_ARRAY << 5 | 1), (byte) Cbor.NULL};

  final NativeHandles nh;
  final ObjectMapper mapper;
  final boolean cycles;
  final Guard guard;
  final ObjectTable objects;

  /** Conversions of this unit's values: exported objects and handles cross by reference. */
  private final ValueRefs refs;

  private final Queue<Integer> dropped = new ConcurrentLinkedQueue<>();
  private final List<Ref> borrowed = new ArrayList<>();
  private int hostDepth;
  private boolean borrowing;

  Handles(NativeUnit unit, ObjectMapper mapper, boolean cycles, Guard guard, ObjectTable objects) {
    this.nh = new NativeHandles(unit);
    this.mapper = mapper;
    this.cycles = cycles;
    this.guard = guard;
    this.objects = objects;
    this.refs = new ValueRefs(objects, this::refOf, this::function);
    guard.onEnter(this::drain);
  }

  /** One reference of the unit's table of handles, held by one handle object. */
  static final class Ref {
    final Handles owner;
    final int ref;
    private final String kind;
    private final String description;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;
    private volatile boolean released; // by the end of the host call it was borrowed for
    private volatile boolean retained;

    Ref(Handles owner, int ref, Object handle, String kind, String description) {
      this.owner = owner;
      this.ref = ref;
      this.kind = kind;
      this.description = description;
      Queue<Integer> queue = owner.dropped;
      this.cleanable = CLEANER.register(handle, () -> queue.add(ref));
    }

    /** Throws when the handle can no longer be used. */
    void check() {
      if (released) {
        throw new IllegalStateException(
            kind
                + " was released when the host function it was passed to returned;"
                + " call retain() during the host call to keep it");
      }
      if (closed) {
        throw new IllegalStateException(kind + " is closed");
      }
    }

    void retain() {
      check();
      retained = true;
    }

    /** Idempotent; the reference is freed at the unit's next operation on its thread. */
    void close() {
      if (!closed) {
        closed = true;
        cleanable.clean();
        owner.releaseIfInside();
      }
    }

    /** What Lua's {@code tostring} says of the value ({@code "function: 0x..."}). */
    @Override
    public String toString() {
      return description;
    }
  }

  /** Frees the queued references; only on the owning thread, inside a call. */
  void drain() {
    Integer r;
    while ((r = dropped.poll()) != null) {
      nh.free(r);
    }
  }

  private void releaseIfInside() {
    if (hostDepth > 0 && guard.ownedByCurrentThread()) {
      drain();
    }
  }

  /** Runs {@code body} as an operation of the unit: inside a host call, or claiming the unit. */
  <T> T call(Supplier<T> body) {
    if (hostDepth > 0 && guard.ownedByCurrentThread()) {
      drain();
      return body.get();
    }
    return guard.get(body);
  }

  /** Runs {@code op} on the reference of handle {@code h}. */
  <T> T run(Ref h, IntFunction<T> op) {
    h.check();
    return call(() -> op.apply(h.ref));
  }

  /** An operation on a handle's reference, with up to two operands and a mode. */
  @FunctionalInterface
  interface RefOp {
    Object apply(Handles h, int ref, Object a, Object b, int mode);
  }

  /**
   * Runs {@code op} on the reference of handle {@code h} as {@link #run(Ref, IntFunction)} does,
   * with its operands passed through instead of captured: a non-capturing {@code op} is one
   * object for good, so the hot calls ({@code LuaFunction.call}, {@code LuaTable.get/set})
   * allocate nothing of their own, whatever the JIT inlines.
   */
  Object run(Ref h, RefOp op, Object a, Object b, int mode) {
    h.check();
    if (hostDepth > 0 && guard.ownedByCurrentThread()) {
      drain();
      return op.apply(this, h.ref, a, b, mode);
    }
    guard.enter();
    try {
      return op.apply(this, h.ref, a, b, mode);
    } finally {
      guard.exit();
    }
  }

  /**
   * Runs {@code op} on {@code h} unless the unit is closed, then closes {@code h} (also when
   * {@code op} throws); does nothing for a closed handle.
   */
  void closeWith(Ref h, IntFunction<Object> op) {
    if (h.closed) {
      return;
    }
    try {
      if (!guard.closed()) {
        run(h, op);
      }
    } finally {
      h.close();
    }
  }

  LuaFunction load(String chunkName, String code) {
    String description = "function: " + chunkName;
    String name =
        chunkName.startsWith("=") || chunkName.startsWith("@") ? chunkName : "=" + chunkName;
    byte[] source = code.getBytes(UTF_8);
    return call(() -> new LuaFunction(this, nh.load(source, name), description));
  }

  LuaFunction function(String path) {
    return call(() -> (LuaFunction) handleIn(nh.path(path, NativeHandles.FUNCTION), true));
  }

  LuaTable table(String path) {
    return call(() -> (LuaTable) handleIn(nh.path(path, NativeHandles.TABLE), false));
  }

  LuaCoroutine coroutine(Ref function) {
    return run(
        function,
        r ->
            (LuaCoroutine)
                CborDecoder.decode(
                    nh.thread(r),
                    false,
                    new ValueRefs(null, null, (ref, d) -> new LuaCoroutine(this, (int) ref, d))));
  }

  /** The handle of a payload that is one handle: a function or a table. */
  private Object handleIn(byte[] payload, boolean function) {
    return CborDecoder.decode(
        payload,
        false,
        new ValueRefs(
            null,
            null,
            (ref, d) ->
                function ? new LuaFunction(this, (int) ref, d) : new LuaTable(this, (int) ref, d)));
  }

  // ------------------------------------------------------------------ values

  /** The value of a result payload; functions become handles. */
  Object decode(byte[] payload) {
    return Results.decode(payload, this);
  }

  Object decode(byte[] payload, boolean graph) {
    return CborDecoder.decode(payload, graph, refs);
  }

  byte[] encode(Object value) {
    return CborEncoder.encode(value, mapper, refs);
  }

  /**
   * Calls function {@code r} with {@code args}, inside {@link #run}: its last value, or with
   * {@code mode} {@link NativeUnit#RESULT_ALL} all its values. Scalars cross in the slots.
   */
  Object invoke(int r, Object[] args, int mode) {
    NativeSlots s = nh.slots();
    int m = LuaFunction.mode(this, mode);
    byte[] payload;
    if (s != null && s.put(args)) {
      payload = nh.call(r, null, m | NativeUnit.ARGS_SLOTS | NativeUnit.RESULT_SLOTS);
    } else {
      payload = nh.call(r, encodeArgs(args), s == null ? m : m | NativeUnit.RESULT_SLOTS);
    }
    return value(payload, s, mode);
  }

  /** {@code t[key]} of table {@code r}, inside {@link #run}. */
  Object index(int r, Object key) {
    NativeSlots s = nh.slots();
    int m = LuaFunction.mode(this, NativeUnit.RESULT_LAST);
    byte[] payload;
    if (s != null && s.putOne(key)) {
      payload = nh.get(r, null, m | NativeUnit.ARGS_SLOTS | NativeUnit.RESULT_SLOTS);
    } else {
      payload = nh.get(r, encode(key), s == null ? m : m | NativeUnit.RESULT_SLOTS);
    }
    return value(payload, s, NativeUnit.RESULT_LAST);
  }

  /** {@code t[key] = value} on table {@code r}, inside {@link #run}. */
  void assign(int r, Object key, Object value) {
    NativeSlots s = nh.slots();
    if (s != null && s.putTwo(key, value)) {
      nh.set(r, null, NativeUnit.ARGS_SLOTS);
    } else {
      nh.set(r, encodeArgs(new Object[] {key, value}), 0);
    }
  }

  /**
   * The value of a call's result: {@code payload} decoded, or when it is null (the results are
   * in {@code slots}) the last or all of them, as {@code mode} asks.
   */
  Object value(byte[] payload, NativeSlots slots, int mode) {
    if (payload != null) {
      return decode(payload);
    }
    return (mode & NativeUnit.RESULT_ALL) != 0 ? slots.all() : slots.last();
  }

  /**
   * Arguments as one array, or null for none; a null array is one nil, as for {@link
   * ComputeUnit#call}.
   */
  byte[] encodeArgs(Object[] args) {
    if (args != null && args.length == 0) {
      return null;
    }
    if (args == null || args.length == 1 && args[0] == null) {
      return ONE_NIL; // the result of most host functions: no encoder needed
    }
    return CborEncoder.encodeArray(args == null ? new Object[1] : args, mapper, refs);
  }

  /**
   * The handle of a reference in a value from Lua: a function, or a table an exported method
   * takes as a {@link LuaTable} (the description starts with Lua's type name).
   */
  private Object function(long ref, String description) {
    Ref r;
    Object handle;
    if (description.startsWith("table:")) {
      LuaTable t = new LuaTable(this, (int) ref, description);
      r = t.ref;
      handle = t;
    } else {
      LuaFunction f = new LuaFunction(this, (int) ref, description);
      r = f.ref;
      handle = f;
    }
    if (borrowing) {
      borrowed.add(r);
    }
    return handle;
  }

  /** The reference of a handle of this unit, or -1 for any other value. */
  private long refOf(Object v) {
    Ref h =
        v instanceof LuaFunction f
            ? f.ref
            : v instanceof LuaTable t ? t.ref : v instanceof LuaCoroutine c ? c.ref : null;
    if (h == null) {
      return -1;
    }
    if (h.owner != this) {
      throw new IllegalArgumentException(
          "a " + h.kind + " of another compute unit cannot be passed to this one");
    }
    h.check();
    return h.ref;
  }

  // ------------------------------------------------------------- host calls

  /** A host function starts: returns the mark for {@link #exitHost}. */
  int enterHost() {
    hostDepth++;
    drain();
    return borrowed.size();
  }

  /** The arguments of a host function; the functions among them are borrowed. */
  @SuppressWarnings("unchecked")
  List<Object> decodeArgs(byte[] args) {
    if (args.length == 1 && args[0] == (byte) Cbor.EMPTY_ARRAY) {
      return new ArrayList<>(0); // a call without arguments: nothing to decode
    }
    borrowing = true;
    try {
      return (List<Object>) CborDecoder.decode(args, false, refs);
    } finally {
      borrowing = false;
    }
  }

  /** The host function returned: its borrowed handles not retained are released. */
  void exitHost(int mark) {
    hostDepth--;
    for (int i = borrowed.size() - 1; i >= mark; i--) {
      Ref r = borrowed.remove(i);
      if (!r.retained && !r.closed) {
        r.released = true;
        r.closed = true;
        r.cleanable.clean(); // freed at the next operation: Lua may still decode the reply
      }
    }
  }

  /** How many references the unit's state holds (for tests). */
  long count() {
    return call(nh::count);
  }
}
