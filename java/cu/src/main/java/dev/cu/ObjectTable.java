package dev.cu;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.codec.CborEncoder;
import dev.cu.codec.CborException;
import dev.cu.codec.ObjectRefs;
import dev.cu.internal.NativeObjects;
import dev.cu.internal.NativeSlots;
import dev.cu.internal.NativeUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The exported Java objects of one unit ({@link LuaExport}): each object that crossed into Lua
 * has an id (by identity, so {@code equals} plays no part), each class an index, both numbered
 * from this table. It is the codec's {@link ObjectRefs} for the unit, and the Java side of the
 * objects' upcall: method calls and class descriptions.
 *
 * <p>The table holds an object while Lua may reach it: {@link #release} drops the ids Lua
 * collected ({@code cu_object_drain}), except those of exposed globals ({@link #pin}), which
 * live as long as the unit. It never references the unit: the upcall's closure, which the
 * unit's cleaner holds, references it. Not thread-safe: the unit's {@link Guard} serialises its
 * use.
 */
final class ObjectTable implements ObjectRefs, NativeObjects.Objects {
  private final ObjectMapper mapper;
  private final Map<Object, Long> ids = new IdentityHashMap<>();
  private final Map<Long, Object> objects = new HashMap<>();
  private final Set<Long> pinned = new HashSet<>();
  private final List<ExportedClass> classes = new ArrayList<>();
  private final Map<ExportedClass, Integer> classIndex = new IdentityHashMap<>();
  private long nextId = 1;

  /** The unit's handles: method calls convert their values as host functions do. */
  private Handles handles;

  /** The mapper that binds records holding objects, made at the first method call. */
  private ObjectMapper binding;

  /** Connects the upcall when the first object crosses; null once done. */
  private Runnable connect;

  ObjectTable(ObjectMapper mapper, Runnable connect) {
    this.mapper = mapper;
    this.connect = connect;
  }

  @Override
  public long[] reference(Object value) {
    ExportedClass c = ExportedClass.of(value.getClass());
    if (c == null) {
      return null;
    }
    if (connect != null) {
      connect.run();
      connect = null;
    }
    Long id = ids.get(value);
    if (id == null) {
      id = nextId++;
      ids.put(value, id);
      objects.put(id, value);
    }
    Integer cls = classIndex.get(c);
    if (cls == null) {
      cls = classes.size();
      classes.add(c);
      classIndex.put(c, cls);
    }
    return new long[] {id, cls};
  }

  /** Sets the unit's handles, made after this table (they convert with it). */
  void useHandles(Handles handles) {
    this.handles = handles;
  }

  @Override
  public Predicate<Class<?>> byReference() {
    return ObjectTable::exported; // static: kept with the mapper, it must hold no table
  }

  private static boolean exported(Class<?> type) {
    return ExportedClass.of(type) != null;
  }

  @Override
  public Object object(long id, long cls) {
    Object o = objects.get(id);
    if (o == null) {
      throw new CborException("no Java object " + id);
    }
    return o;
  }

  /** Keeps {@code object}, which has crossed, for as long as the unit lives. */
  void pin(Object object) {
    Long id = ids.get(object);
    if (id != null) {
      pinned.add(id);
    }
  }

  /** Whether some object may be released: without one, draining would find nothing to drop. */
  boolean releasable() {
    return objects.size() > pinned.size();
  }

  /** Drops the objects of {@code released}, the ids Lua collected, except pinned ones. */
  void release(long[] released) {
    for (long id : released) {
      if (!pinned.contains(id)) {
        Object o = objects.remove(id);
        if (o != null) {
          ids.remove(o);
        }
      }
    }
  }

  /** How many objects the table holds (tests). */
  int size() {
    return objects.size();
  }

  @Override
  public byte[] call(long id, int cls, int method, byte[] args, NativeSlots slots)
      throws Throwable {
    Object target = objects.get(id);
    ExportedClass c = target == null ? null : ExportedClass.of(target.getClass());
    if (c == null || cls < 0 || cls >= classes.size() || classes.get(cls) != c) {
      throw new IllegalStateException("no Java object " + id + " of class " + cls);
    }
    int mark = handles.enterHost(); // a function argument is borrowed, as by a host function
    try {
      List<Object> a = args == null ? slots.all() : handles.decodeArgs(args);
      Object[] values = c.invoke(target, method, a, binding());
      if (slots != null && slots.put(values)) {
        return NativeUnit.Host.IN_SLOTS;
      }
      // no values: no reply at all (C empties the reply before the upcall)
      return values.length == 0 ? null : handles.encodeArgs(values);
    } finally {
      handles.exitHost(mark);
    }
  }

  /** The unit's mapper as it binds values that may hold exported objects (records, POJOs). */
  ObjectMapper binding() {
    if (binding == null) {
      binding = CborEncoder.referencing(mapper, this);
    }
    return binding;
  }

  @Override
  public byte[] describe(int cls) {
    ExportedClass c = classes.get(cls); // an unknown index (forged input) fails the lookup
    List<Long> tables = new ArrayList<>();
    for (int i = 0; i < c.names().size(); i++) {
      tables.add(c.tableMask(i));
    }
    return CborEncoder.encodeArray(new Object[] {c.simpleName(), c.names(), tables}, mapper);
  }

  @Override
  public String failure(int cls, int method, Throwable t) {
    if (t instanceof LuaRuntimeException && t.getMessage() != null) {
      return t.getMessage();
    }
    String name = cls >= 0 && cls < classes.size() ? classes.get(cls).name(method) : "?";
    return "method '" + name + "' failed";
  }
}
