package dev.cu.internal;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import jnr.ffi.Pointer;

/**
 * The Java side of one state's upcalls (C calling Java): makes the JNR closures (the store's
 * pair is shared by every state) and replies through {@code cu_upcall_reply}. Every closure
 * catches every Throwable, keeps it for {@link #takeError()} and returns the error flag; C raises
 * the Lua error after Java has returned.
 *
 * <p>The closures reference this object and never the {@link NativeUnit}: the unit's cleaner
 * keeps them, so a reference back would keep a forgotten unit reachable for ever. They reach
 * their targets (a store, the host functions, ...) only weakly, since a target may well reference
 * the unit; the unit holds its targets strongly ({@link NativeUnit#keep}), so a target lives
 * exactly as long as its unit is reachable.
 *
 * <p>The hot upcalls, host functions and exported objects' methods, reach this object through
 * JNI instead when the state could be bound ({@link #jni(Pointer)}, native/src/cu_jni.c): C then calls
 * {@code jniHost} and {@code jniObject} directly, skipping libffi's closure entry and jffi's
 * generic invoker. The contract is the closures'.
 */
final class Upcalls {
  /** Larger replies are passed as arrays (JNI copies them for the call). */
  static final int BUF_MAX = 4096;

  /** Below this size a byte-wise copy beats the JNI bulk copy of {@link Pointer#get}. */
  private static final int SMALL_COPY = 64;

  private final CuLib lib;
  private final Pointer state;
  private final Pointer info;
  private Throwable error;

  /** A native buffer for replies up to {@link #BUF_MAX} bytes, made at the first reply. */
  private Pointer replyBuf;

  /** The state's slots once {@link NativeUnit#slots()} made them: C uses them from then on. */
  NativeSlots slots;

  Upcalls(CuLib lib, Pointer state, Pointer info) {
    this.lib = lib;
    this.state = state;
    this.info = info;
  }

  /** The print closure: each line's bytes, {@code '\n'} included, to {@code sink}. */
  CuLib.cu_PrintFn print(Consumer<byte[]> target) {
    WeakReference<Consumer<byte[]>> weak = new WeakReference<>(target);
    return (data, len) -> {
      try {
        target(weak).accept(bytes(data, len));
        return 0;
      } catch (Throwable t) {
        error = t;
        return 1;
      }
    };
  }

  /**
   * The store's upcalls, one pair for every state: C passes the state, whose Upcalls {@link
   * #connectStore} registered here by address and {@link #disconnectStore} removes before the
   * state is freed. A closure costs native memory, and a unit would otherwise make two.
   */
  private static final ConcurrentHashMap<Long, Upcalls> STORES = new ConcurrentHashMap<>();

  static final CuLib.cu_LoadFn LOAD =
      (s, id) -> {
        Upcalls u = of(s);
        return u == null ? 1 : u.load(id);
      };

  static final CuLib.cu_CommitFn COMMIT =
      (s, delta, len) -> {
        Upcalls u = of(s);
        return u == null ? 1 : u.commit(delta, len);
      };

  /**
   * The Upcalls of state {@code s}, or null, also when the lookup itself fails: no Throwable
   * leaves a closure (C then reports a failed upcall without a message).
   */
  private static Upcalls of(Pointer s) {
    try {
      return STORES.get(s.address());
    } catch (Throwable t) {
      return null;
    }
  }

  /** The target of {@link #LOAD} and {@link #COMMIT} for this state. */
  private WeakReference<NativeUnit.Store> store;

  /** Makes {@code target} the store of this state's {@link #LOAD} and {@link #COMMIT}. */
  void connectStore(NativeUnit.Store target) {
    store = new WeakReference<>(target);
    STORES.put(state.address(), this);
  }

  /** Forgets the store of the state at {@code address}, before the state is freed. */
  static void disconnectStore(long address) {
    STORES.remove(address);
  }

  private int load(long id) {
    try {
      return reply(target(store).load(id)) ? 0 : fail(new OutOfMemoryError("upcall reply"));
    } catch (Throwable t) {
      return fail(t);
    }
  }

  private int commit(Pointer delta, long len) {
    try {
      byte[] removed = target(store).commit(bytes(delta, len), info.getLong(CuLib.INFO_EXT_NEXTID));
      return reply(removed) ? 0 : fail(new OutOfMemoryError("upcall reply"));
    } catch (Throwable t) {
      return fail(t);
    }
  }

  /**
   * The host-function closure. A failure is kept for the caller like any other, but Lua gets
   * only the message {@code host} chooses for it, never the Throwable's own.
   */
  CuLib.cu_HostFn host(NativeUnit.Host target) {
    WeakReference<NativeUnit.Host> weak = new WeakReference<>(target);
    return (index, args, len) -> callHost(weak, index, args, len);
  }

  private int callHost(WeakReference<NativeUnit.Host> weak, int index, Pointer args, long len) {
    Throwable failure;
    NativeUnit.Host host;
    try {
      host = target(weak);
    } catch (Throwable t) {
      return fail(t);
    }
    try {
      NativeSlots in = slots;
      byte[] results = host.call(index, args == null ? null : bytes(args, len), in);
      int answer = answer(results);
      if (answer >= 0) {
        return answer;
      }
      failure = new OutOfMemoryError("host function reply");
    } catch (Throwable t) {
      failure = t;
    }
    return fail(failure, host.failure(index, failure));
  }

  /**
   * What a host function's or a method's upcall returns for {@code results}: {@code
   * CU_HOST_SLOTS} when they are in the slots, 0 once replied, -1 when native memory for the
   * reply ran out.
   */
  private int answer(byte[] results) {
    if (results == NativeUnit.Host.IN_SLOTS) {
      return CuLib.CU_HOST_SLOTS;
    }
    return reply(results) ? 0 : -1;
  }

  /**
   * The closure of exported objects: method calls fail like host functions (Lua gets only the
   * message {@code objects} chooses), a class description like a store load.
   */
  CuLib.cu_ObjectFn objects(NativeObjects.Objects target) {
    WeakReference<NativeObjects.Objects> weak = new WeakReference<>(target);
    return (op, id, cls, method, args, len) -> callObjects(weak, op, id, cls, method, args, len);
  }

  private int callObjects(
      WeakReference<NativeObjects.Objects> weak,
      int op,
      long id,
      int cls,
      int method,
      Pointer args,
      long len) {
    NativeObjects.Objects objects;
    try {
      objects = target(weak);
    } catch (Throwable t) {
      return fail(t);
    }
    if (op != CuLib.CU_OBJECT_CALL) {
      Throwable t;
      try {
        if (reply(objects.describe(cls))) {
          return 0;
        }
        t = new OutOfMemoryError("class description reply");
      } catch (Throwable e) {
        t = e;
      }
      return fail(t, "cannot describe the object's class");
    }
    Throwable failure;
    try {
      byte[] results = objects.call(id, cls, method, args == null ? null : bytes(args, len), slots);
      int answer = answer(results);
      if (answer >= 0) {
        return answer;
      }
      failure = new OutOfMemoryError("method reply");
    } catch (Throwable t) {
      failure = t;
    }
    return fail(failure, objects.failure(cls, method, failure));
  }

  CuLib.cu_ModuleFn modules(NativeUnit.Modules target) {
    WeakReference<NativeUnit.Modules> weak = new WeakReference<>(target);
    return (name, len) -> {
      try {
        NativeUnit.Modules modules = target(weak);
        String n = new String(bytes(name, len), StandardCharsets.UTF_8);
        byte[] found = modules.find(n);
        if (found != null) {
          return reply(found) ? CuLib.CU_MODULE_FOUND : fail(new OutOfMemoryError("reply"));
        }
        byte[] places = modules.places(n).getBytes(StandardCharsets.UTF_8);
        return reply(places) ? CuLib.CU_MODULE_MISSING : fail(new OutOfMemoryError("reply"));
      } catch (Throwable t) {
        return fail(t);
      }
    };
  }

  // -------------------------------------------------------------------- JNI

  /** Objects waiting for {@code cu_jni_bind} to take them ({@link #jniTake}), by token. */
  private static final ConcurrentHashMap<Long, Upcalls> BINDING = new ConcurrentHashMap<>();

  /** Tokens are random, so another copy of these classes cannot guess one of ours. */
  private static final java.security.SecureRandom TOKENS = new java.security.SecureRandom();

  /** 0: not tried yet; 1: bound; -1: the closures. */
  private int jni;

  private WeakReference<NativeUnit.Host> jniHostTarget;
  private WeakReference<NativeObjects.Objects> jniObjectsTarget;

  /**
   * Whether host functions and exported objects reach this object through JNI rather than
   * closures. The first call tries to bind the state ({@code checkedState}: the unit's, checked
   * open), unless the system property {@code cu.jni} is {@code false}; a build or process without
   * JNI keeps the closures.
   */
  boolean jni(Pointer checkedState) {
    if (jni == 0) {
      jni = -1;
      if (!"false".equals(System.getProperty("cu.jni"))) {
        long token = register();
        try {
          if (lib.cu_jni_bind(checkedState, token) == CuLib.CU_OK) {
            jni = 1;
          }
        } finally {
          BINDING.remove(token);
        }
      }
    }
    return jni > 0;
  }

  /** The host functions reached through {@link #jniHost}. */
  void jniHost(NativeUnit.Host target) {
    jniHostTarget = new WeakReference<>(target);
  }

  /** The exported objects reached through {@link #jniObject}. */
  void jniObjects(NativeObjects.Objects target) {
    jniObjectsTarget = new WeakReference<>(target);
  }

  /** Registers this object for {@code cu_jni_bind} to take; returns its random token. */
  long register() {
    long token;
    do {
      token = TOKENS.nextLong();
    } while (BINDING.putIfAbsent(token, this) != null);
    return token;
  }

  /** Called by C inside {@code cu_jni_bind}: the object registered under {@code token}. */
  static Object jniTake(long token) {
    return BINDING.remove(token);
  }

  /** Called by C for a host-function call: {@code cu_HostFn}'s contract. */
  int jniHost(int index, long args, long len) {
    if (jniHostTarget == null) {
      return fail(new IllegalStateException("host functions are not available"));
    }
    return callHost(jniHostTarget, index, args == 0 ? null : address(args), len);
  }

  /** Called by C for a host-function call with its arguments in the slots. */
  int jniHost(int index) {
    return jniHost(index, 0, 0);
  }

  /** Called by C for a method call with its arguments in the slots. */
  int jniObject(long id, int cls, int method) {
    return jniObject(CuLib.CU_OBJECT_CALL, id, cls, method, 0, 0);
  }

  /** Called by C for a method call or class description: {@code cu_ObjectFn}'s contract. */
  int jniObject(int op, long id, int cls, int method, long args, long len) {
    if (jniObjectsTarget == null) {
      return fail(new IllegalStateException("Java objects are not available"));
    }
    return callObjects(
        jniObjectsTarget, op, id, cls, method, args == 0 ? null : address(args), len);
  }

  /** Called by C in {@code cu_jni_bind}: the address of the state this object serves. */
  long jniState() {
    return state.address();
  }

  /** Called by C with a Throwable that escaped a JNI upcall: the failure's cause. */
  void jniFailed(Throwable t) {
    error = t;
  }

  private Pointer address(long address) {
    return Pointer.wrap(jnr.ffi.Runtime.getRuntime(lib), address);
  }

  /**
   * The target of a closure. Its unit holds it, so it is gone only when the unit is unreachable,
   * and then no call can reach the state: only a bug gets here.
   */
  private static <T> T target(WeakReference<T> weak) {
    T t = weak.get();
    if (t == null) {
      throw new IllegalStateException("upcall into a unit that was collected");
    }
    return t;
  }

  /** Forgets the Throwable of an earlier run (at the start of each run). */
  void clearError() {
    error = null;
  }

  /** The Throwable an upcall kept during the last run, cleared by this call. */
  Throwable takeError() {
    Throwable t = error;
    error = null;
    return t;
  }

  /**
   * Replies to the upcall in progress; false when native memory ran out. C empties the reply
   * before every upcall, so an empty reply needs no call.
   */
  private boolean reply(byte[] data) {
    if (data == null || data.length == 0) {
      return true;
    }
    if (data.length > BUF_MAX) {
      return lib.cu_upcall_reply(state, data, data.length) == CuLib.CU_OK;
    }
    if (replyBuf == null) {
      replyBuf = nativeCopy(lib, data, BUF_MAX);
    } else {
      put(replyBuf, data);
    }
    return lib.cu_upcall_reply(state, replyBuf, data.length) == CuLib.CU_OK;
  }

  /** Keeps {@code t} for the caller and replies with its message; returns the error flag. */
  private int fail(Throwable t) {
    return fail(t, t.getMessage() != null ? t.getMessage() : t.getClass().getName());
  }

  /** Keeps {@code t} for the caller and replies with {@code message}; returns the error flag. */
  private int fail(Throwable t, String message) {
    error = t;
    reply(message.getBytes(StandardCharsets.UTF_8));
    return 1;
  }

  /**
   * New native memory of at least {@code capacity} bytes holding {@code b}, freed by the garbage
   * collector with its {@code Pointer}.
   */
  static Pointer nativeCopy(CuLib lib, byte[] b, int capacity) {
    Pointer p =
        jnr.ffi.Runtime.getRuntime(lib)
            .getMemoryManager()
            .allocateDirect(Math.max(capacity, Math.max(b.length, 1)));
    put(p, b);
    return p;
  }

  static void put(Pointer p, byte[] b) {
    if (b.length > SMALL_COPY) {
      p.put(0, b, 0, b.length);
    } else {
      for (int i = 0; i < b.length; i++) {
        p.putByte(i, b[i]);
      }
    }
  }

  static byte[] bytes(Pointer p, long len) {
    byte[] b = new byte[Math.toIntExact(len)];
    if (len > SMALL_COPY) {
      p.get(0, b, 0, b.length);
    } else {
      for (int i = 0; i < b.length; i++) {
        b[i] = p.getByte(i);
      }
    }
    return b;
  }
}
