package dev.cu.flink;

import java.util.Objects;

/**
 * One event or timer that a {@link CuProcessFunction} could not process, as its side output
 * {@link CuProcessFunction#ERRORS} emits it: the key, what was being processed, the kind of
 * failure and its message. A Flink POJO (public fields, a no-argument constructor), so that any
 * sink and serializer takes it.
 */
public class CuError {
  /** The key, as {@code String.valueOf(key)}. */
  public String key;

  /** The event as JSON, or null for a timer. */
  public String event;

  /** The timer's time, or null for an event. */
  public Long timer;

  /**
   * What failed: {@code syntax}, {@code runtime}, {@code memory} and {@code timeout} for the
   * script (its exception's kind), {@code input} when the event could not be converted to Lua,
   * {@code output} when {@code _io.output} could not be converted to the output type.
   */
  public String kind;

  /** The error's message, as Lua or the conversion gave it. */
  public String message;

  /** An empty error, for Flink's POJO serializer. */
  public CuError() {}

  /** An error with every field given. */
  public CuError(String key, String event, Long timer, String kind, String message) {
    this.key = key;
    this.event = event;
    this.timer = timer;
    this.kind = kind;
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CuError e
        && Objects.equals(key, e.key)
        && Objects.equals(event, e.event)
        && Objects.equals(timer, e.timer)
        && Objects.equals(kind, e.kind)
        && Objects.equals(message, e.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, event, timer, kind, message);
  }

  @Override
  public String toString() {
    return "CuError{key="
        + key
        + (event != null ? ", event=" + event : "")
        + (timer != null ? ", timer=" + timer : "")
        + ", kind="
        + kind
        + ", message="
        + message
        + "}";
  }
}
