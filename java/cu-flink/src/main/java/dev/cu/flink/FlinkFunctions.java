package dev.cu.flink;

import dev.cu.ComputeUnit;
import dev.cu.LuaRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;

/**
 * The {@code flink} table of a unit inside a {@link CuProcessFunction}: timers and clocks of the
 * key being processed. Times are milliseconds since the epoch, as Flink's.
 *
 * <ul>
 *   <li>{@code flink.timer(t)} / {@code flink.cancel_timer(t)}: a processing-time timer;
 *   <li>{@code flink.event_timer(t)} / {@code flink.cancel_event_timer(t)}: an event-time timer;
 *   <li>{@code flink.now()}: the processing time; {@code flink.watermark()}: the watermark;
 *   <li>{@code flink.timestamp()}: the event's timestamp (the timer's time in {@code on_timer}),
 *       nil when it has none.
 * </ul>
 *
 * A timer calls the global {@code on_timer(t, domain)} of the key's unit, with domain {@code
 * "processing"} or {@code "event"}. Flink keeps one timer per key, time and domain. Setting and
 * cancelling take effect when the script succeeds; a failed script's are dropped.
 */
final class FlinkFunctions {
  private FlinkFunctions() {}

  /**
   * One event's or timer's use of Flink: its context, and the timer changes its scripts asked
   * for. They are applied only when the script succeeded ({@link #applyTimers}), so a failed
   * event leaves Flink's timers as they were, like its state.
   */
  static final class Call {
    final KeyedProcessFunction<?, ?, ?>.Context context;
    private final List<Consumer<TimerService>> timers = new ArrayList<>();

    Call(KeyedProcessFunction<?, ?, ?>.Context context) {
      this.context = context;
    }

    /** Applies the timer changes asked for since the last apply or drop, in order. */
    void applyTimers() {
      TimerService service = context.timerService();
      for (Consumer<TimerService> change : timers) {
        change.accept(service);
      }
      timers.clear();
    }

    /** Forgets the timer changes asked for since the last apply or drop. */
    void dropTimers() {
      timers.clear();
    }
  }

  /** Registers the functions on {@code b}; {@code call} answers the current call, or null. */
  static void register(ComputeUnit.Builder b, Supplier<Call> call) {
    timer(b, call, "flink.timer", TimerService::registerProcessingTimeTimer);
    timer(b, call, "flink.event_timer", TimerService::registerEventTimeTimer);
    timer(b, call, "flink.cancel_timer", TimerService::deleteProcessingTimeTimer);
    timer(b, call, "flink.cancel_event_timer", TimerService::deleteEventTimeTimer);
    b.function("flink.now", args -> current(call).context.timerService().currentProcessingTime());
    b.function("flink.watermark", args -> current(call).context.timerService().currentWatermark());
    b.function("flink.timestamp", args -> current(call).context.timestamp());
  }

  /** A timer change of the current call: checked at once, applied when the script succeeds. */
  private static void timer(
      ComputeUnit.Builder b, Supplier<Call> call, String name, ObjLongConsumer<TimerService> op) {
    b.function(
        name,
        args -> {
          long t = time(name, args);
          current(call).timers.add(s -> op.accept(s, t));
          return null;
        });
  }

  private static Call current(Supplier<Call> call) {
    Call c = call.get();
    if (c == null) {
      throw new IllegalStateException("flink functions work only while an event or timer runs");
    }
    return c;
  }

  /**
   * The one argument, a time in milliseconds: an integer, or a float with an integer value.
   *
   * @throws LuaRuntimeException (a Lua error the script sees) for anything else
   */
  static long time(String name, List<Object> args) {
    Object t = args.isEmpty() ? null : args.get(0);
    if (t instanceof Long l) {
      return l;
    }
    if (t instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p63) {
      return d.longValue();
    }
    // a LuaRuntimeException is the one exception whose message the script sees
    throw new LuaRuntimeException(
        name + ": expects a time in milliseconds (an integer), got " + luaType(t),
        null,
        null,
        null);
  }

  private static String luaType(Object v) {
    if (v == null) {
      return "nil";
    }
    return v instanceof Number
        ? "a non-integer number"
        : v instanceof String
            ? "a string"
            : "a " + (v instanceof Boolean ? "boolean" : "table or function");
  }
}
