package dev.cu.flink;

import dev.cu.ComputeUnit;
import java.util.List;
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
 * "processing"} or {@code "event"}. Flink keeps one timer per key, time and domain.
 */
final class FlinkFunctions {
  private FlinkFunctions() {}

  /** Registers the functions on {@code b}; {@code context} answers the current call's context. */
  static void register(
      ComputeUnit.Builder b, Supplier<KeyedProcessFunction<?, ?, ?>.Context> context) {
    b.function(
        "flink.timer",
        args -> {
          timers(context).registerProcessingTimeTimer(time("flink.timer", args));
          return null;
        });
    b.function(
        "flink.event_timer",
        args -> {
          timers(context).registerEventTimeTimer(time("flink.event_timer", args));
          return null;
        });
    b.function(
        "flink.cancel_timer",
        args -> {
          timers(context).deleteProcessingTimeTimer(time("flink.cancel_timer", args));
          return null;
        });
    b.function(
        "flink.cancel_event_timer",
        args -> {
          timers(context).deleteEventTimeTimer(time("flink.cancel_event_timer", args));
          return null;
        });
    b.function("flink.now", args -> timers(context).currentProcessingTime());
    b.function("flink.watermark", args -> timers(context).currentWatermark());
    b.function("flink.timestamp", args -> current(context).timestamp());
  }

  private static KeyedProcessFunction<?, ?, ?>.Context current(
      Supplier<KeyedProcessFunction<?, ?, ?>.Context> context) {
    KeyedProcessFunction<?, ?, ?>.Context c = context.get();
    if (c == null) {
      throw new IllegalStateException("flink functions work only while an event or timer runs");
    }
    return c;
  }

  private static TimerService timers(Supplier<KeyedProcessFunction<?, ?, ?>.Context> context) {
    return current(context).timerService();
  }

  /** The one argument, a time in milliseconds: an integer, or a float with an integer value. */
  static long time(String name, List<Object> args) {
    Object t = args.isEmpty() ? null : args.get(0);
    if (t instanceof Long l) {
      return l;
    }
    if (t instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p63) {
      return d.longValue();
    }
    throw new IllegalArgumentException(
        name + ": expects a time in milliseconds (an integer), got " + luaType(t));
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
