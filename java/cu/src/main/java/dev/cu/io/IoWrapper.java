package dev.cu.io;

import dev.cu.ComputeUnit;
import dev.cu.LuaRuntimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Request/response helpers over a unit's {@code _io}: one input in, one output back, with
 * metadata; batches of a stream; and named requests routed to global Lua functions. Uses only
 * the public {@link ComputeUnit} API and the unit's thread rules.
 */
public final class IoWrapper {
  private final ComputeUnit unit;

  public IoWrapper(ComputeUnit unit) {
    this.unit = unit;
  }

  /** {@link #computeWithIo(String, Object, IoOptions)} with {@link IoOptions#defaults()}. */
  public IoResult computeWithIo(String code, Object input) {
    return computeWithIo(code, input, IoOptions.defaults());
  }

  /**
   * Sets {@code _io.input} and {@code _io.meta} (the options' metadata plus a random {@code
   * requestId} and an ISO-8601 {@code timestamp}), runs the chunk, and returns its return value
   * with {@code _io.output}. Throws what {@link ComputeUnit#compute} throws.
   */
  public IoResult computeWithIo(String code, Object input, IoOptions options) {
    if (options.clearBefore()) {
      unit.clearIo();
    }
    Map<String, Object> meta = new LinkedHashMap<>(options.metadata());
    meta.put("requestId", UUID.randomUUID().toString());
    meta.put("timestamp", Instant.now().toString());
    unit.setMetadata(meta);
    unit.setInput(input);
    Object value = unit.compute(code);
    return new IoResult(value, unit.getOutput(), Collections.unmodifiableMap(meta));
  }

  /**
   * Runs the chunk once per batch of {@code batchSize} items, in order. Each run sees {@code
   * _io.input = {batch = items, batchIndex = i (0-based), hasMore = bool}}; the list holds each
   * run's {@code _io.output}.
   */
  public List<Object> processStream(String code, List<?> items, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1");
    }
    List<Object> outputs = new ArrayList<>();
    for (int from = 0, index = 0; from < items.size(); from += batchSize, index++) {
      int to = Math.min(items.size(), from + batchSize);
      Map<String, Object> input = new LinkedHashMap<>();
      input.put("batch", items.subList(from, to));
      input.put("batchIndex", index);
      input.put("hasMore", to < items.size());
      unit.clearIo();
      unit.setInput(input);
      unit.compute(code);
      outputs.add(unit.getOutput());
    }
    return outputs;
  }

  /**
   * Calls global Lua function {@code method} with {@code params} (as {@code _io.input} too) and
   * returns its result as the output; when the function returns nothing, the output is what it
   * left in {@code _io.output}. An undefined method gives {@code {error = "Unknown method: X"}}.
   */
  public IoResult request(String method, Object params) {
    unit.clearIo();
    Map<String, Object> meta =
        Map.of(
            "method",
            method,
            "requestId",
            UUID.randomUUID().toString(),
            "timestamp",
            Instant.now().toString());
    unit.setMetadata(meta);
    unit.setInput(params);
    Object value;
    try {
      value = unit.call(method, params);
    } catch (LuaRuntimeException e) {
      if (e.getMessage().equals("'" + method + "' is not a function")) {
        return new IoResult(null, Map.of("error", "Unknown method: " + method), meta);
      }
      throw e;
    }
    return new IoResult(value, value != null ? value : unit.getOutput(), meta);
  }
}
