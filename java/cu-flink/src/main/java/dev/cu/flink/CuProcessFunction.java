package dev.cu.flink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.cu.ComputeUnit;
import dev.cu.LuaException;
import dev.cu.LuaMemoryException;
import dev.cu.LuaSyntaxException;
import dev.cu.LuaTimeoutException;
import dev.cu.store.CuStoreException;
import dev.cu.store.InMemoryTableStore;
import dev.cu.store.MapTableStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * A {@link KeyedProcessFunction} that runs a Lua script for each event of its key, in a compute
 * unit whose {@code _home} is that key's Flink keyed state.
 *
 * <ul>
 *   <li>The event (a POJO, record, {@code Map} or {@code JsonNode}, converted by Jackson) is
 *       {@code _io.input}. After the script, {@code _io.output} is emitted, converted by Jackson to
 *       the output type: a Lua sequence emits one record per element, nil emits none.
 *   <li>{@code _home} lives in four keyed states ({@code cu.tables}, {@code cu.counts}, {@code
 *       cu.roots}, {@code cu.next}) through a {@link MapTableStore}: each event whose script
 *       succeeds commits its changes there, so checkpoints, savepoints, restores and rescaling
 *       carry them, on every state backend. A failed script changes neither state nor timers.
 *       An output that does not convert fails after the script succeeded: its changes stand.
 *   <li>Live units are a cache of at most {@code maxLiveUnits} keys per subtask, least recently
 *       used first out; a key's unit is rebuilt from its keyed state when next needed (its tables
 *       load on first access). Keyed state is always the truth.
 *   <li>Lua asks for timers through the {@code flink} table ({@code flink.timer(t)}, {@code
 *       flink.event_timer(t)}; see docs/SCALE.md); a timer calls the global function {@code
 *       on_timer(t, domain)}, whose {@code _io.output} is emitted like an event's. Timers set
 *       or cancelled take effect when the script succeeds.
 *   <li>An event or timer whose script fails (a Lua error, a limit, an input or output that does
 *       not convert) goes to the side output {@link #ERRORS} as a {@link CuError}; the job keeps
 *       running, and the event is not retried. A failure of the state itself (also one the
 *       script caught with {@code pcall}), or any other exception of the unit, closes the key's
 *       unit and fails the task, so Flink restores its last checkpoint.
 * </ul>
 *
 * <p>An optional {@code init} chunk runs whenever a key's unit is built, before the event or
 * timer it was built for: the place to define {@code on_timer} and helper functions, which live
 * in the unit, not in state. How often it runs depends on eviction and restores, so it should not
 * change {@code _home}: its changes would commit each time.
 *
 * @param <K> the key type
 * @param <I> the event type
 * @param <O> the output type
 */
public class CuProcessFunction<K, I, O> extends KeyedProcessFunction<K, I, O>
    implements ResultTypeQueryable<O> {
  private static final long serialVersionUID = 1L;

  /** The side output of events and timers that failed. */
  public static final OutputTag<CuError> ERRORS =
      new OutputTag<>("cu-errors", TypeInformation.of(CuError.class));

  private final String script;
  private final String init;
  private final int maxLiveUnits;
  private final Class<O> outputType;
  private final UnitSetup setup;

  private transient KeyedStateTableMap.States states;
  private transient LiveUnits<K> units;
  private transient ObjectMapper mapper;
  private transient Counter errors;

  /** The event or timer being processed; null between them. */
  private transient FlinkFunctions.Call call;

  private CuProcessFunction(Builder<O> b) {
    this.script = b.script;
    this.init = b.init;
    this.maxLiveUnits = b.maxLiveUnits;
    this.outputType = b.outputType;
    this.setup = b.setup;
  }

  /**
   * A builder of functions whose output records are of {@code outputType}.
   *
   * @throws NullPointerException when {@code outputType} is null
   */
  public static <O> Builder<O> builder(Class<O> outputType) {
    return new Builder<>(Objects.requireNonNull(outputType, "outputType"));
  }

  /**
   * Checks that the scripts compile, and prepares the keyed states and the unit cache.
   *
   * @throws LuaSyntaxException when the script or the init chunk does not compile (the task
   *     fails: no event could run)
   * @throws IllegalArgumentException when the unit settings cannot make a unit (storage given,
   *     a host function that cannot be registered)
   * @throws dev.cu.LuaMemoryException when the settings' memory limit is too small for a unit
   */
  @Override
  public void open(OpenContext openContext) throws Exception {
    // the settings meet a table store here as in every unit: one that asks for storage fails now
    try (ComputeUnit probe = unitBuilder().tableStore(new InMemoryTableStore()).build()) {
      probe.load("script", script);
      if (init != null) {
        probe.load("init", init);
      }
    }
    states = new KeyedStateTableMap.States(getRuntimeContext());
    units = new LiveUnits<>(maxLiveUnits);
    mapper =
        JsonMapper.builder().addModule(new Jdk8Module()).addModule(new JavaTimeModule()).build();
    MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("cu");
    errors = group.counter("errors");
    group.gauge("liveUnits", () -> units.size());
    group.gauge("unitsCreated", () -> units.created());
    group.gauge("unitsEvicted", () -> units.evicted());
  }

  @Override
  public void processElement(I event, Context ctx, Collector<O> out) throws Exception {
    call = new FlinkFunctions.Call(ctx);
    try {
      K key = ctx.getCurrentKey();
      LiveUnits.Live live = live(key, event, null);
      if (live == null) {
        return;
      }
      ComputeUnit unit = live.unit();
      boolean ready =
          step(
              key,
              event,
              null,
              "input",
              () -> {
                unit.clearIo();
                unit.setInput(event);
              },
              live,
              null);
      if (ready) {
        run(key, event, null, live, () -> live.script().call(), out);
      }
    } finally {
      call = null;
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {
    call = new FlinkFunctions.Call(ctx);
    try {
      K key = ctx.getCurrentKey();
      LiveUnits.Live live = live(key, null, timestamp);
      if (live == null) {
        return;
      }
      ComputeUnit unit = live.unit();
      String domain = ctx.timeDomain() == TimeDomain.EVENT_TIME ? "event" : "processing";
      if (step(key, null, timestamp, "input", unit::clearIo, live, null)) {
        run(key, null, timestamp, live, () -> unit.call("on_timer", timestamp, domain), out);
      }
    } finally {
      call = null;
    }
  }

  /** Closes every live unit; the keyed state keeps everything they committed. */
  @Override
  public void close() throws Exception {
    if (units != null) {
      units.closeAll();
    }
  }

  /** The output type, for Flink's type extraction. */
  @Override
  public TypeInformation<O> getProducedType() {
    return TypeInformation.of(outputType);
  }

  /**
   * The key's live unit, built (and its init run) when it has none; null when init failed (it
   * was reported).
   */
  private LiveUnits.Live live(K key, I event, Long timer) {
    LiveUnits.Live live = units.get(key);
    if (live != null) {
      return live;
    }
    KeyedStateTableMap map = new KeyedStateTableMap(states, key, this::currentKey);
    MapTableStore store = new MapTableStore(map);
    ComputeUnit unit;
    try {
      unit = unitBuilder().tableStore(store).build();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    try {
      live = new LiveUnits.Live(unit, store, map, unit.load("script", script));
    } catch (RuntimeException e) {
      closeAfter(new LiveUnits.Live(unit, store, map, null), e);
      throw e;
    }
    if (init != null) {
      LiveUnits.Live built = live;
      if (!step(key, event, timer, null, () -> unit.execute("init", init), built, built)) {
        call.dropTimers();
        closeAfter(built, null);
        return null;
      }
      call.applyTimers();
    }
    units.put(key, live);
    return live;
  }

  private ComputeUnit.Builder unitBuilder() {
    ComputeUnit.Builder b = ComputeUnit.builder();
    if (setup != null) {
      setup.apply(b);
    }
    FlinkFunctions.register(b, () -> call);
    return b;
  }

  private Object currentKey() {
    FlinkFunctions.Call c = call;
    return c == null ? null : c.context.getCurrentKey();
  }

  /**
   * Runs the script ({@code body}) in the key's unit, then applies the timers it set and emits
   * its output; a failed script's timers are dropped.
   */
  private void run(
      K key, I event, Long timer, LiveUnits.Live live, Runnable body, Collector<O> out) {
    if (!step(key, event, timer, null, body, live, null)) {
      call.dropTimers();
      return;
    }
    call.applyTimers();
    List<O> records = new ArrayList<>();
    Runnable read = () -> records.addAll(records(live.unit().getOutput()));
    if (step(key, event, timer, "output", read, live, null)) {
      records.forEach(out::collect);
    }
  }

  /**
   * Runs one step of an event or timer in the key's unit ({@code live}): preparing {@code _io}
   * ({@code stage} "input"), the script (stage null) or reading {@code _io.output} ("output"). A
   * failure of the step is reported to the side output and answers false. A failure of the state
   * under the unit, also one that Lua caught or turned into another error (the map remembers
   * it), or any exception that is not Lua's or a conversion's, closes the unit ({@code building},
   * or the key's live one) and is thrown: the task fails and Flink restores its last checkpoint.
   */
  private boolean step(
      K key,
      I event,
      Long timer,
      String stage,
      Runnable body,
      LiveUnits.Live live,
      LiveUnits.Live building) {
    RuntimeException failed = null;
    try {
      body.run();
    } catch (LuaException | IllegalArgumentException e) {
      failed = e;
    } catch (RuntimeException | Error e) {
      closeUnit(key, building, e);
      throw e;
    }
    CuStoreException swallowed = live.map().takeFailure();
    if (fatal(failed)) { // the state's failure as the VM passed it on, with the Lua context
      closeUnit(key, building, failed);
      throw failed;
    }
    if (swallowed != null) { // caught by the script, or turned into another error
      if (failed != null) {
        swallowed.addSuppressed(failed);
      }
      closeUnit(key, building, swallowed);
      throw swallowed;
    }
    if (failed != null) {
      report(key, event, timer, kind(failed, stage), failed.getMessage());
      return false;
    }
    return true;
  }

  private void closeUnit(K key, LiveUnits.Live building, Throwable failure) {
    if (building != null) {
      closeAfter(building, failure);
    } else {
      try {
        units.remove(key);
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
  }

  /** Closes {@code live}; a failure to close is added to {@code failure} (dropped if null). */
  private static void closeAfter(LiveUnits.Live live, Throwable failure) {
    try {
      live.close();
    } catch (RuntimeException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      }
    }
  }

  /** The records of one {@code _io.output}: none for nil, one per element of a sequence. */
  private List<O> records(Object output) {
    List<O> records = new ArrayList<>();
    if (output instanceof List<?> list) {
      for (Object o : list) {
        records.add(mapper.convertValue(o, outputType));
      }
    } else if (output != null) {
      records.add(mapper.convertValue(output, outputType));
    }
    return records;
  }

  private void report(K key, I event, Long timer, String kind, String message) {
    errors.inc();
    call.context.output(
        ERRORS, new CuError(String.valueOf(key), json(event), timer, kind, message));
  }

  private String json(I event) {
    if (event == null) {
      return null;
    }
    try {
      return mapper.writeValueAsString(event);
    } catch (JsonProcessingException | RuntimeException e) {
      return String.valueOf(event);
    }
  }

  /**
   * The kind of a failure of a step: a limit's, else the stage's ("input", "output"), else the
   * script's ("syntax", "runtime").
   */
  private static String kind(RuntimeException e, String stage) {
    if (e instanceof LuaMemoryException) {
      return "memory";
    } else if (e instanceof LuaTimeoutException) {
      return "timeout";
    } else if (stage != null) {
      return stage;
    }
    return e instanceof LuaSyntaxException ? "syntax" : "runtime";
  }

  /**
   * Whether {@code t} must fail the task rather than the event: the state under the unit failed,
   * or the JVM did (an {@link Error}), anywhere in its causes.
   */
  private static boolean fatal(Throwable t) {
    int depth = 0;
    for (Throwable c = t; c != null && depth < 64; c = c.getCause(), depth++) {
      if (c instanceof CuStoreException || c instanceof Error) {
        return true;
      }
    }
    return false;
  }

  /** Settings of a {@link CuProcessFunction}. */
  public static final class Builder<O> {
    private final Class<O> outputType;
    private String script;
    private String init;
    private int maxLiveUnits = 1000;
    private UnitSetup setup;

    private Builder(Class<O> outputType) {
      this.outputType = outputType;
    }

    /**
     * The Lua chunk run for each event, with the event as {@code _io.input}. Required.
     *
     * @throws NullPointerException when {@code code} is null
     */
    public Builder<O> script(String code) {
      this.script = Objects.requireNonNull(code, "script");
      return this;
    }

    /**
     * A Lua chunk run whenever a key's unit is built (define {@code on_timer} and helpers here;
     * do not change {@code _home}, since how often it runs depends on eviction and restores).
     * Default none.
     */
    public Builder<O> init(String code) {
      this.init = code;
      return this;
    }

    /**
     * Live units kept per subtask; beyond it, the least recently used is closed. Default 1000.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder<O> maxLiveUnits(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxLiveUnits must be at least 1, got " + max);
      }
      this.maxLiveUnits = max;
      return this;
    }

    /**
     * Settings for every unit (limits, host functions, exposed objects, modules). It must not
     * give the unit storage (the task fails when it opens): its {@code _home} is the keyed state,
     * which also replaces a table store the settings give.
     */
    public Builder<O> unit(UnitSetup setup) {
      this.setup = setup;
      return this;
    }

    /**
     * The function.
     *
     * @throws IllegalStateException when no script was given
     */
    public <K, I> CuProcessFunction<K, I, O> build() {
      if (script == null) {
        throw new IllegalStateException("a CuProcessFunction needs a script");
      }
      return new CuProcessFunction<>(this);
    }
  }
}
